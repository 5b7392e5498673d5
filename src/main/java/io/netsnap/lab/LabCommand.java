package io.netsnap.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.netsnap.cli.OneShotRun;
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
                + "over the lab inventory, print the per-device table. Exit code 0: all ok, 1: some device failed, "
                + "2: configuration or preflight error.")
public final class LabCommand implements Subcommand {

    private static final String DEFAULT_DATA = "./netsnap-data";

    @Spec
    CommandSpec spec;

    // no picocli default: a --netsnap.archive.root setting must be able to stand in for it
    @Option(names = "--data", paramLabel = "DIR",
            description = "Archive root; the lab keeps its files in DIR/lab (default: " + DEFAULT_DATA + ").")
    Path data;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "Longest wait for the run (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    SpringSettings settings;

    @Override
    public Integer call() {
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
            return OneShotRun.startAndWait(properties, out, new RunLauncher.Request(null, List.of(), null,
                    "netsnap lab"), timeout);
        }
    }
}
