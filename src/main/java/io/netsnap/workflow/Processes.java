package io.netsnap.workflow;

/** Process ids, job types and error codes: the contract between the BPMN files and the workers. */
public final class Processes {

    public static final String NETWORK_BACKUP = "network-backup";
    public static final String DEVICE_BACKUP = "device-backup";

    /** The person task of a failed preflight, its form and the group that gets it. */
    static final String USER_TASK_PREFLIGHT_FAILED = "UserTask_PreflightFailed";
    static final String FORM_PREFLIGHT_FAILED = "preflight-failed";
    static final String GROUP_OPERATORS = "network-operators";

    /** Element ids the deployer edits. */
    static final String NIGHTLY_START = "StartEvent_Nightly";

    /** {@code retries} of the device backup task in device-backup.bpmn: the first attempt plus two retries. */
    static final int DEVICE_ATTEMPTS = 3;

    static final String JOB_RESOLVE_SCOPE = "netsnap.resolve-scope";
    static final String JOB_PREFLIGHT = "netsnap.preflight";
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
    static final String JOB_COMMIT_HISTORY = "netsnap.commit-history";
    static final String JOB_WRITE_REPORT = "netsnap.write-report";
    static final String JOB_UPLOAD_RUN = "netsnap.upload-run";
    static final String JOB_APPLY_RETENTION = "netsnap.apply-retention";

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

    private Processes() {
    }
}
