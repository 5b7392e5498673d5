package io.netsnap.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import io.netsnap.archive.Archive;
import io.netsnap.backup.RunStart;
import io.netsnap.inventory.InventoryException;
import io.netsnap.workflow.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code netsnap backup}: one network-backup run, on a remote cluster or the embedded engine. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Start a network-backup run; with --wait (always on the embedded engine) print the per-device "
                + "table at the end. On a remote engine the run uses the models netsnap run deployed; this command "
                + "deploys nothing there. Exit code 0: all ok, 1: some device failed, 2: bad input or preflight error.")
final class BackupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--inventory", paramLabel = "FILE", description = "Inventory YAML (default: netsnap.inventory).")
    Path inventory;

    @Option(names = "--group", paramLabel = "GROUP", description = "Back up only this group.")
    String group;

    @Option(names = "--device", paramLabel = "NAME", description = "Back up only these devices (repeatable).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--reason", description = "Why this run is needed (shown in Operate).")
    String reason;

    @Option(names = "--wait", description = "Wait for the run to end and print the per-device table.")
    boolean waitForEnd;

    @Option(names = "--timeout", defaultValue = "PT2H", description = "Longest wait with --wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--data", paramLabel = "DIR", description = "Archive root (default: netsnap.archive.root).")
    Path data;

    @Mixin
    SpringSettings settings;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Map<String, Object> properties = settings.properties();
        settings.shorthand(properties, "--data", "netsnap.archive.root", data);
        settings.shorthand(properties, "--inventory", "netsnap.inventory", inventory);
        try (ConfigurableApplicationContext context = Application.start(properties, out,
                Application.Role.ONE_SHOT)) {
            try {
                context.getBean(RunStart.class).loadInventory(inventory).select(group, devices);
            } catch (InventoryException e) {
                err.println(e.getMessage());
                return NetsnapCommand.CONFIG_ERROR;
            }
            RunLauncher launcher = context.getBean(RunLauncher.class);
            RunLauncher.Request request = new RunLauncher.Request(group, devices, inventory, reason);
            boolean embedded = "embedded".equals(context.getEnvironment().getProperty("netsnap.engine.active"));
            if (!waitForEnd && !embedded) {
                out.println("Started network-backup instance " + launcher.start(request));
                return NetsnapCommand.OK;
            }
            if (!waitForEnd) {
                out.println("Embedded engine: waiting for the run to end (it lives only as long as this command).");
            }
            out.println("Backing up...");
            out.flush();
            RunLauncher.Result result = launcher.startAndWait(request, timeout);
            RunTable.print(out, result, context.getBean(Archive.class).root());
            return NetsnapCommand.exitCode(result);
        }
    }
}
