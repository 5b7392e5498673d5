package io.netsnap.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import io.netsnap.archive.Archive;
import io.netsnap.lab.Lab;
import io.netsnap.workflow.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netsnap lab}: the whole job on one machine, against simulated devices and Vault. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Start simulated devices and Vault on loopback and the embedded engine, run one network-backup "
                + "over the lab inventory, print the per-device table. Exit code 0: all ok, 1: some device failed, "
                + "2: configuration or preflight error.")
final class LabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./netsnap-data",
            description = "Archive root; the lab keeps its files in DIR/lab (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "Longest wait for the run (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        try (Lab lab = Lab.start(data.resolve("lab"), Lab.standardDevices())) {
            Map<String, Object> properties = new HashMap<>(lab.properties());
            properties.put("netsnap.archive.root", data.toString());
            properties.put("netsnap.engine.mode", "embedded");
            out.println("Lab: " + Lab.standardDevices().size() + " simulated devices and a Vault double on loopback"
                    + " (inventory " + lab.inventory() + ")");
            out.println("Backing up...");
            out.flush();
            try (ConfigurableApplicationContext context = Application.start(properties, out, true)) {
                RunLauncher.Result result = context.getBean(RunLauncher.class)
                        .startAndWait(new RunLauncher.Request(null, List.of(), null, "netsnap lab"), timeout);
                RunTable.print(out, result, context.getBean(Archive.class).root());
                return NetsnapCommand.exitCode(result);
            }
        }
    }
}
