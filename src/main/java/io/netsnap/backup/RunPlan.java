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
}
