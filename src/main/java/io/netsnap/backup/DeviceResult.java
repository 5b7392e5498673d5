package io.netsnap.backup;

/**
 * The outcome of one device's backup, as kept in the run's process variables and written to {@code report.json}.
 * References and figures only: never configuration text, never a secret.
 *
 * @param device       device name
 * @param platform     platform key
 * @param status       {@code OK} or {@code FAILED}
 * @param changed      whether the normalized configuration differs from the history ({@code null} when failed)
 * @param linesAdded   lines added since the last history commit
 * @param linesRemoved lines removed since the last history commit
 * @param file         export file, relative to the archive root ({@code null} when failed)
 * @param historyPath  the device's file in the history ({@code null} when failed)
 * @param sha256       SHA-256 of the export file
 * @param bytes        size of the export file
 * @param error        error code when failed, e.g. {@code AUTH_FAILED}
 * @param message      one-line error message when failed
 */
public record DeviceResult(String device, String platform, String status, Boolean changed, int linesAdded,
                           int linesRemoved, String file, String historyPath, String sha256, long bytes, String error,
                           String message) {

    public static final String OK = "OK";
    public static final String FAILED = "FAILED";

    public static DeviceResult failed(String device, String platform, String error, String message) {
        return new DeviceResult(device, platform, FAILED, null, 0, 0, null, null, null, 0, error, message);
    }

    public boolean ok() {
        return OK.equals(status);
    }
}
