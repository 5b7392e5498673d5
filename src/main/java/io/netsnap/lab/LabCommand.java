package io.netsnap.lab;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.context.ApplicationContext;

import io.netsnap.archive.Archive;
import io.netsnap.cli.OneShotRun;
import io.netsnap.cli.ServedRun;
import io.netsnap.cli.SpringSettings;
import io.netsnap.cli.Subcommand;
import io.netsnap.workflow.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netsnap lab}: the whole job on one machine, against simulated devices and Vault. It joins the command line
 * through {@code META-INF/services/io.netsnap.cli.Subcommand} (hence public), so that the product never imports the
 * lab.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Start simulated devices and Vault on loopback and the embedded engine, run one network-backup "
                + "over the lab inventory, print the per-device table; with --serve keep serving until Ctrl-C. Exit "
                + "code 0: all ok, 1: some device failed, 2: configuration or preflight error.")
public final class LabCommand implements Subcommand {

    private static final String DEFAULT_DATA = "./netsnap-data";
    /** The device the walkthrough restores: an IOS router, whose simulator knows configure replace. */
    private static final String WALKTHROUGH_DEVICE = "EDGE-RTR-01";

    @Spec
    CommandSpec spec;

    // no picocli default: a --netsnap.archive.root setting must be able to stand in for it
    @Option(names = "--data", paramLabel = "DIR",
            description = "Archive root; the lab keeps its files in DIR/lab (default: " + DEFAULT_DATA + ").")
    Path data;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "Longest wait for the run (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--serve",
            description = "After the run, keep the lab, the embedded engine and netsnap serving (task channel "
                    + "included), print a restore walkthrough and wait for Ctrl-C.")
    boolean serve;

    @Mixin
    SpringSettings settings;

    @Override
    public Integer call() throws InterruptedException {
        var out = spec.commandLine().getOut();
        Map<String, Object> given = settings.properties();
        Path root = Path.of(Objects.requireNonNullElse(
                settings.shorthand(given, "--data", "netsnap.archive.root", data), DEFAULT_DATA));
        given.put("netsnap.archive.root", root.toString());
        try (Lab lab = Lab.start(root.resolve("lab"), Lab.standardDevices())) {
            Map<String, Object> properties = new HashMap<>(lab.properties());
            properties.put("netsnap.engine.mode", "embedded");
            // what the user typed outranks the lab's own wiring, as Spring's command line outranks everything
            properties.putAll(given);
            out.println("Lab: " + Lab.standardDevices().size() + " simulated devices and a Vault double on loopback"
                    + " (inventory " + lab.inventory() + ")");
            out.println("Backing up...");
            out.flush();
            RunLauncher.Request run = new RunLauncher.Request(null, List.of(), null, "netsnap lab");
            if (serve) {
                return ServedRun.runThenServe(properties, out, run, timeout,
                        (printer, context) -> walkthrough(printer, lab, context, timeout,
                                data == null ? "" : " --data " + root));
            }
            return OneShotRun.startAndWait(properties, out, run, timeout);
        }
    }

    /**
     * What to try against the served lab: someone changes {@value #WALKTHROUGH_DEVICE} without a ticket, a run backs
     * it up, and the walkthrough restores the version before, from the request to the approval by a second person.
     */
    private static void walkthrough(PrintWriter out, Lab lab, ApplicationContext context, Duration timeout,
                                    String data) {
        Archive archive = context.getBean(Archive.class);
        String historyPath = Archive.historyPath(WALKTHROUGH_DEVICE, null);
        String before = archive.versions(historyPath).stream().map(v -> v.commit().substring(0, 12)).findFirst()
                .orElse("COMMIT");
        ((CliSimulator) lab.simulator(WALKTHROUGH_DEVICE)).updateConfigBody(LabConfigs.router(WALKTHROUGH_DEVICE, 1)
                .replace(" description LAN core\n", " description LAN core - temporary bypass\n")
                .replace("ip route 0.0.0.0 0.0.0.0 198.51.100.2\n",
                        "ip route 0.0.0.0 0.0.0.0 198.51.100.2\nip route 0.0.0.0 0.0.0.0 203.0.113.99 250\n"));
        RunLauncher.Result drift = context.getBean(RunLauncher.class).startAndWait(new RunLauncher.Request(null,
                List.of(WALKTHROUGH_DEVICE), null, "netsnap lab: after a change without a ticket"), timeout);
        out.println();
        drift.results().stream().filter(r -> r.device().equals(WALKTHROUGH_DEVICE)).findFirst().ifPresent(r ->
                out.println("Someone changed " + WALKTHROUGH_DEVICE + " without a ticket; a run backed it up: "
                        + (r.ok() ? "+" + r.linesAdded() + " -" + r.linesRemoved() + " line(s), history @ "
                        + abbreviate(drift.historyCommit()) : r.status() + " " + r.message())
                        + ". Put it back to " + before + ":"));
        out.println("netsnap is serving the lab (embedded engine, workers, task channel " + archive.root()
                .resolve("state/tasks.sock") + "). In another shell:");
        out.println("  ./netsnap diff " + WALKTHROUGH_DEVICE + data);
        out.println("  ./netsnap restore --device " + WALKTHROUGH_DEVICE + " --version " + before
                + " --ticket CHG-1 --reason \"undo the bypass\"" + data);
        out.println("  ./netsnap tasks list" + data);
        out.println("  ./netsnap tasks show ID" + data + "     (the masked diff the approver sees)");
        out.println("  ./netsnap tasks complete ID --set decision=approve --as alice" + data
                + "     (the lab lets you act as a second person)");
        out.println("  ./netsnap restore --status RESTORE-ID --wait" + data);
        out.println("  ./netsnap history " + WALKTHROUGH_DEVICE + data);
        out.println("Ctrl-C stops the lab.");
        out.flush();
    }

    private static String abbreviate(String commit) {
        return commit == null ? "(unchanged)" : commit.substring(0, Math.min(12, commit.length()));
    }
}
