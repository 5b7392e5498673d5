package io.netsnap.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

import io.netsnap.archive.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netsnap diff DEVICE [FROM] [TO]}: a unified diff between two versions, secrets masked. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Show what changed in a device's configuration between two versions, as a unified diff with "
                + "secrets masked by the platform's rules. FROM defaults to the version before TO, TO to the latest. "
                + "DEVICE is a name from the inventory, or NAME/CONTEXT for an ASA context.")
final class DiffCommand implements Callable<Integer> {

    private static final int CONTEXT_LINES = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEVICE")
    String device;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FROM", description = "Commit id (or a unique prefix).")
    String from;

    @Parameters(index = "2", arity = "0..1", paramLabel = "TO", description = "Commit id (or a unique prefix).")
    String to;

    @Mixin
    HistoryView.Options options;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (HistoryView view = HistoryView.open(device, options)) {
            List<Version> versions = view.archive().versions(view.historyPath());
            String toRevision = to != null ? to : versions.isEmpty() ? null : versions.get(0).commit();
            String fromRevision = from != null ? from : previous(versions, toRevision);
            if (toRevision == null || fromRevision == null) {
                err.println("netsnap: " + device + " has " + versions.size()
                        + " version(s) in the history; nothing to compare");
                return NetsnapCommand.DEVICE_FAILED;
            }
            String before = view.archive().textAt(fromRevision, view.historyPath()).orElse("");
            String after = view.archive().textAt(toRevision, view.historyPath()).orElse("");
            // masked before diffing: a changed secret shows as no change rather than as two secrets
            List<String> beforeLines = view.mask().apply(before).lines().toList();
            List<String> afterLines = view.mask().apply(after).lines().toList();
            List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(label(fromRevision), label(toRevision),
                    beforeLines, DiffUtils.diff(beforeLines, afterLines), CONTEXT_LINES);
            diff.forEach(out::println);
            if (diff.isEmpty() && !before.equals(after)) {
                out.println("(only masked secrets differ)");
            }
            return NetsnapCommand.OK;
        }
    }

    /** The version before {@code revision} in the device's own history, matched by commit id prefix. */
    private static String previous(List<Version> versions, String revision) {
        for (int i = 0; i < versions.size() - 1; i++) {
            if (revision != null && versions.get(i).commit().startsWith(revision)) {
                return versions.get(i + 1).commit();
            }
        }
        return null;
    }

    private String label(String revision) {
        return device + "@" + revision.substring(0, Math.min(12, revision.length()));
    }
}
