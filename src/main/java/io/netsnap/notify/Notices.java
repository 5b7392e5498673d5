package io.netsnap.notify;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.RunReport;

/** Composes the messages: from a report and what the ledger made of it, or from an overdue run. */
final class Notices {

    private Notices() {
    }

    static Notice runEnded(RunReport report, AlertLedger.Step step, URI link, int maxLines) {
        String runId = report.runId();
        RunReport.Counts counts = report.counts();
        boolean aborted = RunReport.ABORTED.equals(report.outcome());
        List<String> facts = new ArrayList<>();
        facts.add("Run " + runId + ": " + Text.oneLine(report.outcome(), 20));
        if (counts != null) {
            facts.add("Devices: " + counts.total() + " total, " + counts.ok() + " ok, " + counts.failed()
                    + " failed, " + counts.changed() + " changed, " + counts.unchanged() + " unchanged");
        }
        if (aborted) {
            facts.add("Aborted: " + Text.oneLine(report.abortReason(), Text.MESSAGE));
        }

        List<Notice.Section> sections = new ArrayList<>();
        section(sections, "New failures", step.newFailures().stream().map(Notices::newFailure).toList(), maxLines);
        section(sections, "Recovered", step.recoveries().stream().map(r -> r.label() + ": backed up again; it had been failing "
                + failingFor(r.failing()) + ": " + r.failing().code()).toList(), maxLines);
        section(sections, "Still failing", step.stillFailing().stream().map(s -> s.label() + ": still failing "
                + failingFor(s.failing()) + ": " + s.failing().code()).toList(), maxLines);
        section(sections, "Changed", changed(report), maxLines);

        List<String> parts = new ArrayList<>();
        count(parts, step.newFailures().size(), "new failure", "new failures");
        count(parts, step.recoveries().size(), "recovered", "recovered");
        count(parts, step.stillFailing().size(), "still failing", "still failing");
        String title;
        if (aborted) {
            title = "Run " + runId + " aborted before any device";
        } else if (parts.isEmpty()) {
            title = "Run " + runId + ": " + (counts == null ? "ended"
                    : counts.ok() + " of " + counts.total() + " devices backed up, " + counts.changed() + " changed");
        } else {
            title = "Run " + runId + ": " + String.join(", ", parts);
        }
        Notice.Level level = aborted || !step.newFailures().isEmpty() ? Notice.Level.FAILURE
                : !step.stillFailing().isEmpty() || (counts != null && counts.failed() > 0) ? Notice.Level.WARNING
                : Notice.Level.OK;
        return new Notice(level, title, facts, sections, link);
    }

    static Notice overdue(String runId, Duration window, Instant startedAt, URI link) {
        String started = startedAt.truncatedTo(ChronoUnit.SECONDS).toString();
        return new Notice(Notice.Level.WARNING, "Run " + runId + " has not ended after " + window,
                List.of("Run " + runId + " started at " + started + " has not ended after " + window
                        + "; it goes on."), List.of(), link);
    }

    private static String newFailure(AlertLedger.NewFailure failure) {
        DeviceResult result = failure.result();
        String platform = result.platform() == null ? "" : " (" + Text.oneLine(result.platform(), 32) + ")";
        String line = failure.label() + platform + ": " + failure.failing().code() + ": "
                + Text.oneLine(result.detail(), Text.MESSAGE);
        if (failure.failing().runs() > 1) {
            line += " (failing " + failingFor(failure.failing()) + ")";
        }
        return failure.previousCode() == null ? line : line + " (was " + failure.previousCode() + ")";
    }

    private static String failingFor(AlertState.Failing failing) {
        return "since " + failing.since() + " (" + failing.runs() + (failing.runs() == 1 ? " run)" : " runs)");
    }

    /** Changed devices and contexts with their diff stats; never the diff itself. */
    private static List<String> changed(RunReport report) {
        List<String> lines = new ArrayList<>();
        for (DeviceResult device : report.devices() == null ? List.<DeviceResult>of() : report.devices()) {
            if (device == null || device.device() == null) {
                continue;
            }
            for (DeviceResult file : device.contexts() == null || device.contexts().isEmpty() ? List.of(device)
                    : device.contexts()) {
                if (file != null && file.ok() && Boolean.TRUE.equals(file.changed())) {
                    String name = Text.oneLine(device.device(), 80);
                    String label = file == device || file.context() == null ? name
                            : name + "/" + Text.oneLine(file.context(), 40);
                    lines.add(label + ": +" + file.linesAdded() + " -" + file.linesRemoved() + " lines");
                }
            }
        }
        return lines;
    }

    private static void section(List<Notice.Section> sections, String heading, List<String> lines, int max) {
        if (lines.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>(lines.subList(0, Math.min(max, lines.size())));
        if (lines.size() > max) {
            shown.add("... and " + (lines.size() - max) + " more");
        }
        sections.add(new Notice.Section(heading, shown));
    }

    private static void count(List<String> parts, int n, String one, String many) {
        if (n > 0) {
            parts.add(n + " " + (n == 1 ? one : many));
        }
    }
}
