package io.netsnap.backup;

import java.time.Instant;

import io.netsnap.archive.RunFolder;

/** Types describing a run before it does anything. */
public final class RunPlan {

    private RunPlan() {
    }

    /**
     * A run's identity.
     *
     * @param folder    the run's id and export folder
     * @param startedAt when the run started
     */
    public record Start(RunFolder folder, Instant startedAt) {
    }

    /**
     * Why a run was started and by whom, for the report, the manifest and the history commit. Both come from the
     * start (the start form, the CLI) and are recorded as stated: Camunda 8.6 does not tell a job worker who started
     * an instance.
     *
     * @param reason      why; for the nightly timer start, which carries no variables, "nightly schedule"
     * @param requestedBy who, as the starter stated it; {@code null} when nobody said (Tasklist, the timer)
     */
    public record Request(String reason, String requestedBy) {

        public static final String NIGHTLY = "nightly schedule";

        public Request {
            reason = reason == null || reason.isBlank() ? null : oneLine(reason, 500);
            requestedBy = requestedBy == null || requestedBy.isBlank() ? null : oneLine(requestedBy, 100);
        }

        /** From the start's variables: a start without a scope and without a reason is the nightly timer's. */
        public static Request of(String scope, String reason, String requestedBy) {
            boolean timer = (scope == null || scope.isBlank()) && (reason == null || reason.isBlank());
            return new Request(timer ? NIGHTLY : reason == null || reason.isBlank() ? "no reason given" : reason,
                    requestedBy);
        }

        private static String oneLine(String text, int max) {
            String flat = text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "").trim();
            return flat.length() > max ? flat.substring(0, max) + "..." : flat;
        }
    }
}
