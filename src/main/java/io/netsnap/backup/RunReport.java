package io.netsnap.backup;

import java.time.Instant;
import java.util.List;

/**
 * What a run did, as written to {@code report.json} and printed by the CLI.
 *
 * @param runId         run id
 * @param outcome       {@code OK} (every device backed up), {@code PARTIAL} (some failed) or {@code ABORTED}
 *                      (stopped before any device was touched)
 * @param startedAt     start of the run
 * @param finishedAt    end of the run
 * @param reason        why the run was started (the start form, the CLI; "nightly schedule" for the timer)
 * @param requestedBy   who started it, as stated at the start; {@code null} when nobody said
 * @param counts        device counters
 * @param historyCommit the history commit of this run; the previous one when nothing changed
 * @param exportDir     the run's export folder, relative to the archive root
 * @param abortReason   why the run was aborted, or {@code null}
 * @param devices       one result per device
 * @param upload        the upload to the backup server (files, bytes, verified), or {@code null} when the run ended
 *                      before it
 * @param decisions     who decided what about failed devices (retry now, skip), in the order they were taken
 */
public record RunReport(String runId, String outcome, Instant startedAt, Instant finishedAt, String reason,
                        String requestedBy, Counts counts,
                        String historyCommit, String exportDir, String abortReason, List<DeviceResult> devices,
                        io.netsnap.upload.UploadResult upload, List<DeviceDecision> decisions) {

    public RunReport {
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    public static final String OK = "OK";
    public static final String PARTIAL = "PARTIAL";
    public static final String ABORTED = "ABORTED";

    /** Device counters of a run. */
    public record Counts(int total, int ok, int failed, int changed, int unchanged) {

        static Counts of(List<DeviceResult> results) {
            int ok = (int) results.stream().filter(DeviceResult::ok).count();
            int changed = (int) results.stream().filter(r -> r.ok() && Boolean.TRUE.equals(r.changed())).count();
            return new Counts(results.size(), ok, results.size() - ok, changed, ok - changed);
        }
    }
}
