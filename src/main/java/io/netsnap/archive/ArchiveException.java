package io.netsnap.archive;

/** The archive could not be written or read: a full disk, a permission problem, a damaged history. */
public class ArchiveException extends RuntimeException {
    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
