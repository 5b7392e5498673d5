package io.netsnap.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;

import io.netsnap.archive.Archive;
import io.netsnap.workflow.RunLauncher;

/** One network-backup run for a {@link Subcommand}: start the application, run, wait, print the per-device table. */
public final class OneShotRun {

    private OneShotRun() {
    }

    /**
     * Starts the application as a command that does one thing and exits (the log goes to the log file), runs one
     * network-backup, prints a line per device as it ends and the table at the end.
     *
     * @param properties settings that outrank application.yaml, -D and the environment
     * @return the exit code: 0 all ok, 1 some device failed, 2 aborted before any device
     */
    public static int startAndWait(Map<String, Object> properties, PrintWriter out, RunLauncher.Request request,
                                   Duration timeout) {
        try (ConfigurableApplicationContext context = Application.start(properties, out,
                Application.Role.ONE_SHOT)) {
            RunLauncher.Result result = context.getBean(RunLauncher.class).startAndWait(request, timeout);
            RunTable.print(out, result, context.getBean(Archive.class).root());
            return NetsnapCommand.exitCode(result);
        }
    }

    /**
     * Starts the application as a command that does one thing and exits, for a {@link Subcommand} that drives it
     * itself ({@code netsnap bench}); the caller closes it.
     */
    public static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return Application.start(properties, null, Application.Role.ONE_SHOT);
    }
}
