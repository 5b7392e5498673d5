package io.netsnap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.RunReport;
import io.netsnap.workflow.RunLauncher;

/** The per-device table printed at the end of a run, and the exit code it implies. */
final class RunTable {

    private RunTable() {
    }

    static void print(PrintWriter out, RunLauncher.Result result, Path archiveRoot) {
        out.println();
        if (result.abortReason() != null) {
            out.println("Run " + result.runId() + " ABORTED before any device was touched:");
            if (result.preflightProblems().isEmpty()) {
                out.println("  " + result.abortReason());
            } else {
                // One line per problem: each names the Vault path, device or target to fix.
                result.preflightProblems().forEach(problem -> out.println("  preflight: " + problem));
            }
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"DEVICE", "PLATFORM", "STATUS", "CHANGE", "LINES", "SHA256", "DETAIL"});
            for (DeviceResult r : result.results()) {
                rows.add(row(r.device(), r));
                if (r.contexts() != null) {
                    // An ASA in multiple context mode: one line per stored file, so a failed context is never
                    // hidden behind the device's summary.
                    for (DeviceResult context : r.contexts()) {
                        rows.add(row("  " + context.context(), context));
                    }
                }
            }
            printAligned(out, rows);
            RunReport.Counts c = result.counts();
            out.println();
            out.printf("%d device(s): %d ok (%d changed, %d unchanged), %d failed. Run %s: %s%n", c.total(), c.ok(),
                    c.changed(), c.unchanged(), c.failed(), result.runId(), result.outcome());
        }
        out.println("Archive:  " + archiveRoot.toAbsolutePath().normalize());
        if (result.exportDir() != null) {
            out.println("Export:   " + archiveRoot.resolve(result.exportDir()).toAbsolutePath().normalize());
        }
        if (result.historyCommit() != null) {
            out.println("History:  " + archiveRoot.resolve("history").toAbsolutePath().normalize() + " @ "
                    + result.historyCommit().substring(0, 12));
        }
        out.flush();
    }

    private static String[] row(String name, DeviceResult r) {
        return new String[] {name, r.context() == null ? r.platform() : "", r.status(),
                r.ok() ? (Boolean.TRUE.equals(r.changed()) ? "changed" : "unchanged") : "-",
                r.ok() ? "+" + r.linesAdded() + " -" + r.linesRemoved() : "-",
                r.sha256() == null ? "-" : r.sha256().substring(0, 12),
                r.ok() ? "" : r.error() + ": " + withoutDevicePrefix(r)};
    }

    private static String withoutDevicePrefix(DeviceResult r) {
        String message = r.message() == null ? "" : r.message();
        String prefix = r.device() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static void printAligned(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                width[i] = Math.max(width[i], row[i] == null ? 1 : row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row[i] == null ? "-" : row[i];
                line.append(i == columns - 1 ? cell : String.format("%-" + (width[i] + 2) + "s", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
