package io.netsnap.restore;

/**
 * A restore as it was asked for, before anything was looked up: recorded by netsnap when the request reaches it (the
 * task channel, with the caller's identity from the kernel), read by the process's first step. The process carries
 * only {@code restoreId}; device, version and requester are read here.
 *
 * @param restoreId   netsnap's id of the restore
 * @param device      the inventory name of the device
 * @param context     the context, or {@code null}
 * @param version     the history commit to restore
 * @param emergency   an emergency rollback to the device's latest pre-restore checkpoint ({@code --to-checkpoint})
 * @param ticket      the change ticket
 * @param reason      why
 * @param requester   who asked, as the kernel named the caller's OS user
 * @param requestedAt when, ISO-8601
 */
public record RestoreIntake(String restoreId, String device, String context, String version, boolean emergency,
                            String ticket, String reason, String requester, String requestedAt) {

    public RestoreIntake {
        RestoreRequest.requireSafe(restoreId, "restore id");
        RestoreRequest.requireSafe(device, "device");
        if (context != null) {
            RestoreRequest.requireSafe(context, "context");
        }
        if (version == null || !version.matches("[0-9a-f]{7,40}")) {
            throw new IllegalArgumentException("not a history version: '" + version + "'");
        }
        if (requester == null || requester.isBlank()) {
            throw new IllegalArgumentException("a restore needs a requester");
        }
    }

    /** The device and, for an ASA, its context, as people read it. */
    public String target() {
        return context == null ? device : device + "/" + context;
    }
}
