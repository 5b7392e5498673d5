package io.netsnap.backup;

/**
 * What a person decided about a device whose backup failed in a run ({@code device-backup-failed}), as the run's
 * report lists it.
 *
 * @param device    the device
 * @param error     the error code the person saw
 * @param attempts  the attempts made before the task was raised
 * @param decision  {@code retry} (back it up again now) or {@code skip} (leave it failed in this run)
 * @param decidedBy who completed the task as netsnap recorded it; {@code null} when it was completed outside netsnap
 *                  (Tasklist, the API), where netsnap cannot tell who
 * @param decidedAt when, ISO-8601
 */
public record DeviceDecision(String device, String error, int attempts, String decision, String decidedBy,
                             String decidedAt) {

    public static final String RETRY = "retry";
    public static final String SKIP = "skip";

    /** One line for people: "EDGE-RTR-01: DEVICE_TIMEOUT after 4 attempts, retry by alice". */
    public String line() {
        return device + ": " + error + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ", "
                + decision + " by " + (decidedBy == null ? "someone outside netsnap (not recorded)" : decidedBy);
    }
}
