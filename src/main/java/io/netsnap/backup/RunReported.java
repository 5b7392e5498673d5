package io.netsnap.backup;

/**
 * Published in-process when a run's report is written (once per run), so that what watches runs (metrics) need not
 * read the archive to learn of it.
 *
 * @param runId   the run
 * @param outcome {@link RunReport#OK}, {@link RunReport#PARTIAL} or {@link RunReport#ABORTED}
 */
public record RunReported(String runId, String outcome) {
}
