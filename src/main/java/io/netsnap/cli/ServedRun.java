package io.netsnap.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import io.netsnap.archive.Archive;
import io.netsnap.workflow.RunLauncher;

/**
 * For a {@link Subcommand} ({@code netsnap lab --serve}): one network-backup run, then what {@code netsnap run} does
 * (engine, workers, the task channel for {@code netsnap tasks} and {@code netsnap restore}) until SIGTERM / Ctrl-C.
 * Unlike {@link OneShotRun} the application is started as a service, since a one-shot command never opens the task
 * channel; the console stays the command's, the log goes to the log file.
 */
public final class ServedRun {

    private ServedRun() {
    }

    /**
     * @param properties settings that outrank application.yaml, -D and the environment
     * @param whatNext   after the run's table: what the caller does with the service (the lab makes a change for a
     *                   restore to undo) and prints what to do next
     * @return the run's exit code, once the service has been stopped
     */
    public static int runThenServe(Map<String, Object> properties, PrintWriter out, RunLauncher.Request request,
                                   Duration timeout, BiConsumer<PrintWriter, ConfigurableApplicationContext> whatNext)
            throws InterruptedException {
        Map<String, Object> all = new HashMap<>(properties);
        all.putIfAbsent("logging.threshold.console", "OFF");
        // device lines for this run only: later backups (a restore's checkpoint, the nightly run) go to the log
        AtomicBoolean first = new AtomicBoolean(true);
        PrintWriter progress = new PrintWriter(new Writer() {
            @Override
            public void write(char[] text, int offset, int length) {
                if (first.get()) {
                    out.write(text, offset, length);
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                // the command's own writer stays open
            }
        }, true);
        ConfigurableApplicationContext context = Application.start(all, progress, Application.Role.SERVICE);
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        int exit;
        try {
            RunLauncher.Result result = context.getBean(RunLauncher.class).startAndWait(request, timeout);
            first.set(false);
            Archive archive = context.getBean(Archive.class);
            RunTable.print(out, result, archive.root());
            exit = NetsnapCommand.exitCode(result);
            whatNext.accept(out, context);
            out.flush();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        // Spring's shutdown hook closes the context on SIGTERM / Ctrl-C, which removes the task channel's socket
        closed.await();
        return exit;
    }
}
