package io.netsnap.lab;

import static io.netsnap.lab.IosCommands.PRIVILEGED;
import static io.netsnap.lab.IosCommands.USER;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.netsnap.lab.CliSyntax.Ambiguous;
import io.netsnap.lab.CliSyntax.Empty;
import io.netsnap.lab.CliSyntax.Incomplete;
import io.netsnap.lab.CliSyntax.Invalid;
import io.netsnap.lab.CliSyntax.Ok;
import io.netsnap.lab.CliSyntax.OutOfRange;
import io.netsnap.lab.CliSyntax.Parsed;
import io.netsnap.lab.IosCommands.Command;

/**
 * One exec session on the simulated IOS device: an interactive shell (prompt, echo, pager) or, for an SSH
 * {@code exec} request, a single command whose output is sent bare (no echo, no prompt, no pager) before the channel
 * closes.
 */
final class IosSession implements DialogueChannel.Dialogue {

    /** The IOS default for a vty line: paging is on until the client runs {@code terminal length 0}. */
    private static final int DEFAULT_LENGTH = 24;
    private static final int ENABLE_ATTEMPTS = 3;

    private final IosDevice device;
    private final IosDeviceSpec spec;
    private final String execCommand;

    // Only touched by the session thread.
    private TerminalOutput out;
    private TerminalInput in;
    private int privilege;
    private int length;

    /** @param execCommand the command of an {@code exec} request, or {@code null} for a shell */
    IosSession(IosDevice device, String execCommand) {
        this.device = device;
        this.spec = device.spec();
        this.execCommand = execCommand;
    }

    @Override
    public void run(InputStream rawIn, TerminalOutput terminal) throws IOException {
        out = terminal;
        in = new TerminalInput(rawIn, out);
        privilege = spec.landsPrivileged() ? PRIVILEGED : USER;
        if (execCommand == null) {
            length = DEFAULT_LENGTH;
            shell();
        } else {
            length = 0;
            device.commands().record(execCommand);
            execute(execCommand, false);
        }
    }

    private void shell() throws IOException {
        if (spec.banner() != null) {
            for (String line : spec.banner().split("\r?\n", -1)) {
                out.println(line);
            }
        }
        out.print(TerminalOutput.NEWLINE);
        CommandLoop.run(in, out, device.commands(), this::prompt, line -> execute(line, true));
    }

    private String prompt() {
        return spec.hostname() + (privilege == PRIVILEGED ? "#" : ">");
    }

    /** Runs one command line; returns {@code false} when the session should end. */
    private boolean execute(String line, boolean interactive) throws IOException {
        Parsed<Command> parsed = IosCommands.SYNTAX.parse(line, privilege);
        if (!interactive && !(parsed instanceof Ok)) {
            // What IOS answers to "ssh device 'bad command'".
            out.println("Line has invalid autocommand \"" + line + "\"");
            return false;
        }
        switch (parsed) {
            case Empty<Command> empty -> {
            }
            case Invalid<Command> invalid when invalid.loneWord() -> {
                String word = line.strip();
                out.println("Translating \"" + word + "\"...domain server (255.255.255.255)");
                out.println("% Unknown command or computer name, or unable to find computer address");
            }
            case Invalid<Command> invalid -> invalidInput(invalid.column());
            case OutOfRange<Command> outOfRange -> invalidInput(outOfRange.column());
            case Incomplete<Command> incomplete -> {
                out.println("% Incomplete command.");
                out.println("");
            }
            case Ambiguous<Command> ambiguous -> out.println("% Ambiguous command:  \"" + line.strip() + "\"");
            case Ok<Command> ok -> {
                return perform(ok);
            }
        }
        return true;
    }

    private void invalidInput(int column) throws IOException {
        out.println(" ".repeat(prompt().length() + column) + "^");
        out.println("% Invalid input detected at '^' marker.");
        out.println("");
    }

    private boolean perform(Ok<Command> command) throws IOException {
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
     * {@code % Bad secrets}. (With AAA the message would be {@code % Access denied} instead.) When AAA lets enable
     * through without a secret there is no {@code Password:} prompt at all:
     *
     * <pre>
     * LAB-SW1>enable
     * LAB-SW1#
     * </pre>
     */
    private void enable() throws IOException {
        if (privilege == PRIVILEGED) {
            return;
        }
        if (spec.passwordlessEnable()) {
            privilege = PRIVILEGED;
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
            DialogueChannel.hang();
        }
        TerminalOutput.pause(spec.buildDelay().toMillis());
        pager.lines(device.runningConfigAfterBuilding());
    }

    private void page(List<String> lines) throws IOException {
        new Pager(out, in, length).lines(lines);
    }
}
