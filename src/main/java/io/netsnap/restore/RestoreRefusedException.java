package io.netsnap.restore;

/**
 * A restore step that netsnap refuses, for a reason a person must hear: the code is what the process catches, the
 * message one line that names the restore, the device and what did not match. Never carries configuration text.
 */
public class RestoreRefusedException extends RuntimeException {

    /** Why a restore step is refused. */
    public enum Reason {
        /** The device is not in netsnap's inventory. */
        DEVICE_UNKNOWN,
        /** The device's driver cannot restore. */
        UNSUPPORTED_PLATFORM,
        /** The history has no such version of the device. */
        VERSION_UNKNOWN,
        /** The version was stored with its secrets masked: pushing it would put the mask on the device. */
        VERSION_MASKED,
        /** Another restore of the device has not concluded. */
        RESTORE_IN_FLIGHT,
        /** The approver is the requester. */
        FOUR_EYES,
        /** No approval is recorded for the restore. */
        NOT_APPROVED,
        /** The approval was already used by a push. */
        APPROVAL_USED,
        /** The approval's time ran out before the push. */
        APPROVAL_EXPIRED,
        /** The device or the content differs from what was requested and approved. */
        NOT_WHAT_WAS_APPROVED,
        /** netsnap has no record of the restore. */
        RESTORE_UNKNOWN,
        /** The restore has already concluded. */
        RESTORE_CONCLUDED,
        /** netsnap did not record who asked for the restore (it was not requested through netsnap). */
        REQUESTER_UNKNOWN,
        /** The approval task was completed without a record of who completed it. */
        APPROVER_UNKNOWN,
        /** Nobody approved the restore in time. */
        APPROVAL_TIMED_OUT,
        /** netsnap has no pre-restore checkpoint of the device to roll back to. */
        NO_CHECKPOINT
    }

    private final Reason reason;

    public RestoreRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
