package io.netsnap.lab;

import static io.netsnap.lab.IosCommands.PRIVILEGED;
import static io.netsnap.lab.IosCommands.USER;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netsnap.lab.IosCommands.Ambiguous;
import io.netsnap.lab.IosCommands.Empty;
import io.netsnap.lab.IosCommands.Incomplete;
import io.netsnap.lab.IosCommands.Invalid;
import io.netsnap.lab.IosCommands.Ok;
import io.netsnap.lab.IosCommands.Parsed;
import io.netsnap.lab.IosCommands.UnknownWord;

/**
 * One exec session on the simulated device: an interactive shell (prompt, echo, pager) or, for an SSH {@code exec}
 * request, a single command whose output is sent bare (no echo, no prompt, no pager) before the channel closes.
 * The dialogue runs on a thread of the simulator's executor, never on MINA's I/O threads, because it blocks on input,
 * on the build delay and, for a hanging device, indefinitely.
 */
final class IosSession implements Command {

    private static final Logger log = LoggerFactory.getLogger(IosSession.class);

    /** The IOS default for a vty line: paging is on until the client runs {@code terminal length 0}. */
    private static final int DEFAULT_LENGTH = 24;
    private static final int ENABLE_ATTEMPTS = 3;

    private final IosDevice device;
    private final IosDeviceSpec spec;
    private final ExecutorService executor;
    private final String execCommand;
    private final CountDownLatch destroyed = new CountDownLatch(1);

    private InputStream rawIn;
    private OutputStream rawOut;
    private ExitCallback exitCallback;
    private volatile Future<?> task;

    // Only touched by the session thread.
    private TerminalOutput out;
    private TerminalInput in;
    private int privilege;
    private int length;

    /** @param execCommand the command of an {@code exec} request, or {@code null} for a shell */
    IosSession(IosDevice device, ExecutorService executor, String execCommand) {
        this.device = device;
        this.spec = device.spec();
        this.executor = executor;
        this.execCommand = execCommand;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.rawIn = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.rawOut = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        // IOS writes errors to the terminal like any other output.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exitCallback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        out = new TerminalOutput(rawOut);
        in = new TerminalInput(rawIn, out);
        privilege = spec.enableSecret() == null ? PRIVILEGED : USER;
        length = execCommand == null ? DEFAULT_LENGTH : 0;
        try {
            task = executor.submit(this::converse);
        } catch (RejectedExecutionException e) {
            throw new IOException("simulator " + spec.hostname() + " is shutting down", e);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed.countDown();
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
    }

    private void converse() {
        try {
            if (execCommand == null) {
                shell();
            } else {
                device.recordCommand(execCommand);
                execute(execCommand, false);
            }
            out.flush();
            exitCallback.onExit(0);
        } catch (InterruptedIOException e) {
            log.debug("{}: session closed while busy", spec.hostname());
        } catch (IOException e) {
            if (destroyed.getCount() > 0) {
                log.debug("{}: session ended: {}", spec.hostname(), e.toString());
                exitCallback.onExit(0, e.getMessage(), true);
            }
        }
    }

    private void shell() throws IOException {
        if (spec.banner() != null) {
            for (String line : spec.banner().split("\r?\n", -1)) {
                out.println(line);
            }
        }
        out.print(TerminalOutput.NEWLINE + prompt());
        String line;
        while ((line = in.readLine(true)) != null) {
            device.recordCommand(line);
            if (!execute(line, true)) {
                return;
            }
            out.print(prompt());
        }
    }

    private String prompt() {
        return spec.hostname() + (privilege == PRIVILEGED ? "#" : ">");
    }

    /** Runs one command line; returns {@code false} when the session should end. */
    private boolean execute(String line, boolean interactive) throws IOException {
        Parsed parsed = IosCommands.parse(line, privilege);
        if (!interactive && !(parsed instanceof Ok)) {
            // What IOS answers to "ssh device 'bad command'".
            out.println("Line has invalid autocommand \"" + line + "\"");
            return false;
        }
        switch (parsed) {
            case Empty empty -> {
            }
            case Invalid invalid -> {
                out.println(" ".repeat(prompt().length() + invalid.column()) + "^");
                out.println("% Invalid input detected at '^' marker.");
                out.println("");
            }
            case Incomplete incomplete -> {
                out.println("% Incomplete command.");
                out.println("");
            }
            case Ambiguous ambiguous -> out.println("% Ambiguous command:  \"" + line.strip() + "\"");
            case UnknownWord unknown -> {
                out.println("Translating \"" + unknown.word() + "\"...domain server (255.255.255.255)");
                out.println("% Unknown command or computer name, or unable to find computer address");
            }
            case Ok ok -> {
                return perform(ok);
            }
        }
        return true;
    }

    private boolean perform(Ok command) throws IOException {
        switch (command.command()) {
            case EXIT -> {
                return false;
            }
            case ENABLE -> enable();
            case DISABLE -> privilege = USER;
            case SHOW_CLOCK -> page(List.of(device.showClock()));
            case SHOW_PRIVILEGE -> page(List.of("Current privilege level is " + privilege));
            case SHOW_VERSION -> page(device.showVersion());
            case SHOW_RUNNING_CONFIG -> showRunningConfig();
            case TERMINAL_LENGTH -> {
                if (spec.pagingLocked()) {
                    out.println("Command authorization failed.");
                } else {
                    length = command.argument();
                }
            }
            case TERMINAL_WIDTH -> {
                // Lines are never wrapped here; accepting the command is all a client needs.
            }
        }
        return true;
    }

    /**
     * Local {@code enable secret}: three tries, the typed secret is never echoed, and after the third miss
     * {@code % Bad secrets}. (With AAA the message would be {@code % Access denied} instead.)
     */
    private void enable() throws IOException {
        if (privilege == PRIVILEGED) {
            return;
        }
        if (spec.enableSecret() == null) {
            out.println("% No password set");
            out.println("");
            return;
        }
        for (int attempt = 0; attempt < ENABLE_ATTEMPTS; attempt++) {
            out.print("Password: ");
            String secret = in.readLine(false);
            if (secret == null) {
                throw new IOException("client closed its input at the enable password prompt");
            }
            if (secret.equals(spec.enableSecret())) {
                privilege = PRIVILEGED;
                return;
            }
        }
        out.println("% Bad secrets");
        out.println("");
    }

    private void showRunningConfig() throws IOException {
        Pager pager = new Pager(out, in, length);
        pager.line("Building configuration...");
        out.flush();
        if (spec.hangOnShowRun()) {
            awaitDestroyed();
        }
        TerminalOutput.pause(spec.buildDelay().toMillis());
        for (String line : device.runningConfigAfterBuilding()) {
            if (!pager.line(line)) {
                return;
            }
        }
    }

    private void page(List<String> lines) throws IOException {
        Pager pager = new Pager(out, in, length);
        for (String line : lines) {
            if (!pager.line(line)) {
                return;
            }
        }
    }

    private void awaitDestroyed() throws InterruptedIOException {
        try {
            destroyed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new InterruptedIOException("session closed while hanging in show running-config");
    }
}
