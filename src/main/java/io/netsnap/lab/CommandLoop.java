package io.netsnap.lab;

import java.io.IOException;
import java.util.function.Supplier;

/** The prompt, read, log, run cycle every simulated CLI shares once its login dialogue is over. */
final class CommandLoop {

    /** Runs one command line; returns {@code false} when the session should end (e.g. {@code exit}). */
    @FunctionalInterface
    interface LineRunner {
        boolean run(String line) throws IOException;
    }

    private CommandLoop() {
    }

    /**
     * Prints the prompt, reads a line, records it and runs it, until the runner ends the session or the client closes
     * its side. The prompt is asked for anew each time because it can change (IOS {@code >} to {@code #}).
     */
    static void run(TerminalInput in, TerminalOutput out, CommandLog log, Supplier<String> prompt, LineRunner runner)
            throws IOException {
        out.print(prompt.get());
        String line;
        while ((line = in.readLine(true)) != null) {
            log.record(line);
            if (!runner.run(line)) {
                return;
            }
            out.print(prompt.get());
        }
    }
}
