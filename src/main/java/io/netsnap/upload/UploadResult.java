package io.netsnap.upload;

/**
 * What an upload did, as shown in the run report.
 *
 * @param uploaded whether the run folder is on the server (all files present and verified)
 * @param target   the server folder of the run, without credentials, or {@code null} when no target is configured
 * @param files    files in the run folder
 * @param sent     files sent by this attempt (the others were already on the server, same size and sha256)
 * @param bytes    bytes sent by this attempt
 * @param verified whether every file was read back and matched size and sha256
 * @param error    {@code CODE: message} when the upload failed, otherwise {@code null}
 */
public record UploadResult(boolean uploaded, String target, int files, int sent, long bytes, boolean verified,
                           String error) {

    /** No target configured: nothing to do, and not an error. */
    public static UploadResult skipped() {
        return new UploadResult(false, null, 0, 0, 0, false, null);
    }

    public static UploadResult failed(String target, UploadException e) {
        return new UploadResult(false, target, 0, 0, 0, false, e.code() + ": " + e.getMessage());
    }
}
