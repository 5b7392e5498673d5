package io.netsnap.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import io.netsnap.archive.Version;
import io.netsnap.restore.RestoreLedger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netsnap history DEVICE}: the versions of one device's configuration and its restores, newest first.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List the versions of a device's configuration in the history, newest first: date, commit id "
                + "(what diff and restore name), run; and the device's restores among them: date, restore id, "
                + "outcome, version, who. DEVICE is a device's name, or NAME/CONTEXT for an ASA context.")
final class HistoryCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEVICE")
    String device;

    @Mixin
    HistoryView.Options options;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        try (HistoryView view = HistoryView.open(device, options)) {
            List<Version> versions = view.archive().versions(view.historyPath());
            if (versions.isEmpty()) {
                spec.commandLine().getErr().println("netsnap: no version of " + device + " in the history");
                return NetsnapCommand.DEVICE_FAILED;
            }
            List<HistoryView.Restore> restores = HistoryView.restoresOf(
                    view.context().getBean(RestoreLedger.class), device);
            HistoryView.listing(versions, restores, WHEN).forEach(out::println);
            return NetsnapCommand.OK;
        }
    }
}
