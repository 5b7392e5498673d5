package io.netsnap.upload;

/**
 * Why an upload failed, one type per cause an operator acts on differently. Messages name the server and the file,
 * never a secret. {@link #code()} is the error code shown in the run report.
 */
public sealed abstract class UploadException extends RuntimeException {

    private final String code;
    private final boolean transientFault;

    private UploadException(String code, boolean transientFault, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.transientFault = transientFault;
    }

    public String code() {
        return code;
    }

    /** Whether trying again later may succeed (network trouble); the others need a person. */
    public boolean transientFault() {
        return transientFault;
    }

    /** The server refused the login: wrong password or key, or the user does not exist. */
    public static final class AuthFailed extends UploadException {
        AuthFailed(String message, Throwable cause) {
            super("AUTH_FAILED", false, message, cause);
        }
    }

    /** The server presented a host key that differs from the one in known_hosts, or one that is not there. */
    public static final class HostKeyMismatch extends UploadException {
        HostKeyMismatch(String message, Throwable cause) {
            super("HOST_KEY_MISMATCH", false, message, cause);
        }
    }

    /** The server refused to create a folder or file (permissions, read-only account). */
    public static final class PermissionDenied extends UploadException {
        PermissionDenied(String message, Throwable cause) {
            super("PERMISSION_DENIED", false, message, cause);
        }
    }

    /** The server accepted the file but failed to store its data: its disk is full or the account is over quota. */
    public static final class DiskFull extends UploadException {
        DiskFull(String message, Throwable cause) {
            super("DISK_FULL", false, message, cause);
        }
    }

    /** A file read back from the server differs from the local one. */
    public static final class VerificationFailed extends UploadException {
        VerificationFailed(String message) {
            super("VERIFICATION_FAILED", true, message, null);
        }
    }

    /** The server could not be reached, or the connection broke: worth retrying. */
    public static final class Unreachable extends UploadException {
        Unreachable(String message, Throwable cause) {
            super("UNREACHABLE", true, message, cause);
        }
    }

    /** Anything else the server answered: bad configuration (target, credentials) or an unexpected error. */
    public static final class Failed extends UploadException {
        Failed(String message, Throwable cause) {
            super("UPLOAD_FAILED", false, message, cause);
        }
    }
}
