package io.netsnap.workflow;

/** Process ids, job types and error codes: the contract between the BPMN files and the workers. */
public final class Processes {

    public static final String NETWORK_BACKUP = "network-backup";
    public static final String DEVICE_BACKUP = "device-backup";
    public static final String CONFIG_RESTORE = "config-restore";

    /** The approval tasks of config-restore: who completed them last is the approver. */
    static final java.util.Set<String> USER_TASKS_RESTORE_APPROVAL = java.util.Set.of("UserTask_Approval",
            "UserTask_EmergencyApproval");
    /** The conclusion reached from the approval's timer. */
    static final String TASK_CONCLUDE_TIMED_OUT = "Task_ConcludeTimedOut";

    /** The person task of a failed preflight, its form and the group that gets it. */
    static final String USER_TASK_PREFLIGHT_FAILED = "UserTask_PreflightFailed";
    static final String FORM_PREFLIGHT_FAILED = "preflight-failed";
    /** The person task of a device whose backup failed after its retries: retry now or skip. */
    static final String USER_TASK_DEVICE_FAILED = "UserTask_DeviceFailed";
    static final String FORM_DEVICE_FAILED = "device-backup-failed";
    static final String GROUP_OPERATORS = "network-operators";

    /** Element ids the deployer edits. */
    static final String NIGHTLY_START = "StartEvent_Nightly";
    static final String RUN_WINDOW_START = "StartEvent_RunWindow";
    /** The escalation task of a run that has not ended within its window. */
    static final String USER_TASK_RUN_OVERDUE = "UserTask_RunOverdue";

    /**
     * {@code retries} of the device steps as the model files give them: the first attempt and one retry per wait of
     * the default {@code netsnap.retry.backoff}; the deployer sets the configured number.
     */
    static final int DEVICE_ATTEMPTS = 4;
    /** {@code retries} of the run's own steps (upload, restore steps), which the deployer leaves as they are. */
    static final int RUN_STEP_ATTEMPTS = 3;

    static final String JOB_RESOLVE_SCOPE = "netsnap.resolve-scope";
    static final String JOB_PREFLIGHT = "netsnap.preflight";
    static final String JOB_RESOLVE_DEVICE = "netsnap.resolve-device";
    static final String JOB_BACKUP_DEVICE = "netsnap.backup-device";
    static final String JOB_DISCOVER_CONTEXTS = "netsnap.discover-contexts";
    static final String JOB_BACKUP_CONTEXT = "netsnap.backup-context";
    static final String JOB_SUMMARIZE_CONTEXTS = "netsnap.summarize-contexts";
    static final String JOB_ARUBA_LOGIN = "netsnap.aruba.login";
    static final String JOB_ARUBA_COPY_RUNNING_FLASH = "netsnap.aruba.copy-running-flash";
    static final String JOB_ARUBA_FLASH_BACKUP = "netsnap.aruba.flash-backup";
    static final String JOB_ARUBA_COPY_FLASH_SCP = "netsnap.aruba.copy-flash-scp";
    static final String JOB_ARUBA_TAR_FLASH_CLEAN = "netsnap.aruba.tar-flash-clean";
    static final String JOB_ARUBA_FETCH_CONFIG = "netsnap.aruba.fetch-config";
    static final String JOB_ARUBA_CLEAN_AFTER_FAILURE = "netsnap.aruba.clean-after-failure";
    static final String JOB_ARUBA_LOGOUT = "netsnap.aruba.logout";
    static final String JOB_RECORD_DEVICE_DECISION = "netsnap.record-device-decision";
    static final String JOB_ESCALATE_RUN = "netsnap.escalate-run";
    static final String JOB_NOTIFY_RUN_END = "netsnap.notify-run-end";
    static final String JOB_COMMIT_HISTORY = "netsnap.commit-history";
    static final String JOB_WRITE_REPORT = "netsnap.write-report";
    static final String JOB_UPLOAD_RUN = "netsnap.upload-run";
    static final String JOB_APPLY_RETENTION = "netsnap.apply-retention";
    static final String JOB_RESTORE_PREPARE = "netsnap.restore.prepare";
    static final String JOB_RESTORE_DECIDE = "netsnap.restore.decide";
    static final String JOB_RESTORE_CHECKPOINT = "netsnap.restore.checkpoint";
    static final String JOB_RESTORE_PUSH = "netsnap.restore.push";
    static final String JOB_RESTORE_VERIFY = "netsnap.restore.verify";
    static final String JOB_RESTORE_ROLLBACK = "netsnap.restore.rollback";
    static final String JOB_RESTORE_VERIFY_ROLLBACK = "netsnap.restore.verify-rollback";
    static final String JOB_RESTORE_CONCLUDE = "netsnap.restore.conclude";

    /** Error codes thrown by workers; every one is caught in the models. */
    static final String ERROR_INVENTORY_INVALID = "INVENTORY_INVALID";
    static final String ERROR_PREFLIGHT_FAILED = "PREFLIGHT_FAILED";
    static final String ERROR_AUTH_FAILED = "AUTH_FAILED";
    static final String ERROR_HOST_KEY_MISMATCH = "HOST_KEY_MISMATCH";
    static final String ERROR_DEVICE_UNREACHABLE = "DEVICE_UNREACHABLE";
    static final String ERROR_DEVICE_TIMEOUT = "DEVICE_TIMEOUT";
    static final String ERROR_UNSUPPORTED_COMMAND = "UNSUPPORTED_COMMAND";
    static final String ERROR_DEVICE_PROTOCOL = "DEVICE_PROTOCOL";
    static final String ERROR_CREDENTIALS_UNAVAILABLE = "CREDENTIALS_UNAVAILABLE";
    static final String ERROR_ARCHIVE_FAILED = "ARCHIVE_FAILED";
    static final String ERROR_UNSUPPORTED_PLATFORM = "UNSUPPORTED_PLATFORM";
    /** A variable named a device that is not in the run's inventory, or none at all. */
    static final String ERROR_DEVICE_UNKNOWN = "DEVICE_UNKNOWN";
    /** A variable named an ASA context that neither the inventory lists nor discovery found on the device. */
    static final String ERROR_CONTEXT_UNKNOWN = "CONTEXT_UNKNOWN";
    /** A device step whose run reference (runId, runDate) is not a netsnap run's. */
    static final String ERROR_RUN_INVALID = "RUN_INVALID";
    /** The upload gave up; the variable {@code upload} names the cause (AUTH_FAILED, HOST_KEY_MISMATCH, ...). */
    static final String ERROR_UPLOAD_FAILED = "UPLOAD_FAILED";
    /** A restore step refused: nothing was pushed; the variable {@code refusal} says why. */
    static final String ERROR_RESTORE_REFUSED = "RESTORE_REFUSED";
    /** The device did not take the pushed configuration: the model rolls back. */
    static final String ERROR_PUSH_FAILED = "PUSH_FAILED";
    /** The device does not hold the candidate after the push (or cannot be read): the model rolls back. */
    static final String ERROR_VERIFY_FAILED = "VERIFY_FAILED";
    /** No checkpoint could be taken: nothing is pushed. */
    static final String ERROR_CHECKPOINT_FAILED = "CHECKPOINT_FAILED";
    /** The rollback failed or could not be verified: device state unknown. */
    static final String ERROR_ROLLBACK_FAILED = "ROLLBACK_FAILED";

    private Processes() {
    }
}
