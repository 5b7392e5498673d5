package io.netsnap.backup;

import java.util.List;

/**
 * The outcome of one device's backup (or of one context of a multiple-context ASA), as recorded in the run's state
 * ({@link DeviceResults}) and written to {@code report.json}; the device-backup instance that computed it has it as
 * its variable {@code result}, for its gateways and for Operate. References and figures only: never configuration text, never a
 * secret.
 *
 * @param device       device name
 * @param context      the context this result is for, or {@code null} for a whole device
 * @param platform     platform key
 * @param status       {@code OK} or {@code FAILED}; a device with contexts is {@code OK} only when every context is
 * @param changed      whether the normalized configuration differs from the history ({@code null} when nothing was
 *                     stored; for a device with contexts, whether any stored context changed)
 * @param linesAdded   lines added since the last history commit
 * @param linesRemoved lines removed since the last history commit
 * @param file         export file, relative to the archive root ({@code null} when failed or split into contexts)
 * @param historyPath  the file in the history; for a device with contexts, its folder
 * @param sha256       SHA-256 of the export file
 * @param bytes        size of the export file; for a device with contexts, of all its files
 * @param error        error code when failed, e.g. {@code AUTH_FAILED}
 * @param message      one-line error message when failed
 * @param contexts     per-context results of a multiple-context device (the system space first), else {@code null}
 */
public record DeviceResult(String device, String context, String platform, String status, Boolean changed,
                           int linesAdded, int linesRemoved, String file, String historyPath, String sha256,
                           long bytes, String error, String message, List<DeviceResult> contexts) {

    public static final String OK = "OK";
    public static final String FAILED = "FAILED";

    public static DeviceResult failed(String device, String context, String platform, String error,
                                      String message) {
        return new DeviceResult(device, context, platform, FAILED, null, 0, 0, null, null, null, 0, error, message,
                null);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** This result, or for a device with contexts each context's result: one entry per stored file. */
    public List<DeviceResult> files() {
        return contexts == null ? List.of(this) : contexts;
    }

    /**
     * The message without the device name it usually starts with (device errors name their device), for lines that
     * name the device already.
     */
    public String detail() {
        return withoutName(device, message);
    }

    /** {@code message} without a leading {@code "name: "}. */
    public static String withoutName(String name, String message) {
        return message != null && name != null && message.startsWith(name + ": ")
                ? message.substring(name.length() + 2) : message;
    }

    /** This result with another message. */
    public DeviceResult withMessage(String message) {
        return new DeviceResult(device, context, platform, status, changed, linesAdded, linesRemoved, file,
                historyPath, sha256, bytes, error, message, contexts);
    }

    /** What a person reads first: the device, and the context when there is one. */
    public String label() {
        return context == null ? device : device + "/" + context;
    }
}
