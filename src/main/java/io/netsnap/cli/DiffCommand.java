package io.netsnap.cli;

import java.util.Optional;
import java.util.concurrent.Callable;

import io.netsnap.archive.MaskedDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netsnap diff DEVICE [FROM] [TO]}: a unified diff between two versions, secrets masked. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Show what changed in a device's configuration between two versions, as a unified diff with "
                + "secrets masked by the platform's rules. FROM defaults to the version before TO, TO to the latest. "
                + "DEVICE is a device's name, or NAME/CONTEXT for an ASA context.")
final class DiffCommand implements Callable<Integer> {

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
        try (HistoryView view = HistoryView.open(device, options)) {
            Optional<MaskedDiff> diff = view.archive().diff(view.historyPath(), from, to, view.mask());
            if (diff.isEmpty()) {
                spec.commandLine().getErr().println("netsnap: " + device + " has "
                        + view.archive().versions(view.historyPath()).size()
                        + " version(s) in the history; nothing to compare");
                return NetsnapCommand.DEVICE_FAILED;
            }
            diff.get().lines().forEach(out::println);
            if (diff.get().onlyMaskedSecretsDiffer()) {
                out.println("(only masked secrets differ)");
            }
            return NetsnapCommand.OK;
        }
    }
}
