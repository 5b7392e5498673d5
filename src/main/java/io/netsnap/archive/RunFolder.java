package io.netsnap.archive;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Identifies one run's dated export folder, {@code runs/<yyyy-MM-dd>/<runId>/}.
 *
 * @param runId   run identifier, safe as a folder name
 * @param runDate the run's start date
 */
public record RunFolder(String runId, LocalDate runDate) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    public RunFolder {
        if (runId == null || !SAFE.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId + "' is not a safe folder name");
        }
        java.util.Objects.requireNonNull(runDate, "runDate");
    }

    String relativePath() {
        return "runs/" + runDate + "/" + runId;
    }
}
