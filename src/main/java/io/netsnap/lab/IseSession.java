package io.netsnap.lab;

import java.io.EOFException;
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
import io.netsnap.lab.IseCommands.Command;

/**
 * One session on the simulated ISE node: an interactive shell, or for an SSH {@code exec} request one command whose
 * output is sent bare (no echo, no prompt, no pager) before the channel closes. A whole login with disconnected
 * sessions waiting looks like this ({@code <Enter>} is the client's answer, echoed as {@code \r\n}):
 *
 * <pre>
 * Following disconnected ssh sessions are available to resume.
 * [1] 875.User-Friday_Jan_17_08:26:00_2020
 * [2] 25035.User-Friday_Jan_17_08:22:48_2020
 * Enter session number to resume or press &lt;Enter&gt; to start a new one: &lt;Enter&gt;
 * Last login: Mon Jan  6 09:12:44 2025 from 192.0.2.50
 * ISE-PRIMARY/netsnap#
 * </pre>
 *
 * Answering with a listed number resumes that session: the simulator then shows just the prompt (what a resumed
 * screen redraws on a real node is not modelled). Any other answer repeats the question.
 *
 * <p>Errors are worded as on IOS, from ISE's IOS-like CLI, without IOS's blank line after them [UNVERIFIED on a
 * real node]:
 *
 * <pre>
 * ISE-PRIMARY/netsnap#show runing-config
 *                             ^
 * % Invalid input detected at '^' marker.
 * </pre>
 */
final class IseSession implements DialogueChannel.Dialogue {

    static final String MORE = "--More--";
    /**
     * After the key pressed at the pager the simulator sends carriage return, eight spaces over the pager, carriage
     * return; the simulator's choice, real nodes were not captured doing it.
     */
    static final Pager.Style PAGER = Pager.Style.overwritten(MORE);
    /** Lines per page until the client runs {@code terminal length 0}. */
    private static final int DEFAULT_LENGTH = 24;

    private final IseDevice device;
    private final IseDeviceSpec spec;
    private final String execCommand;

    // Only touched by the session thread.
    private TerminalOutput out;
    private TerminalInput in;
    private int length;

    /** @param execCommand the command of an {@code exec} request, or {@code null} for a shell */
    IseSession(IseDevice device, String execCommand) {
        this.device = device;
        this.spec = device.spec();
        this.execCommand = execCommand;
    }

    @Override
    public void run(InputStream rawIn, TerminalOutput terminal) throws IOException {
        out = terminal;
        in = new TerminalInput(rawIn, out);
        if (execCommand == null) {
            length = DEFAULT_LENGTH;
            shell();
        } else {
            length = 0;
            device.commands().record(execCommand);
            execute(execCommand, "");
        }
    }

    private void shell() throws IOException {
        TerminalOutput.pause(spec.loginDelay().toMillis());
        boolean resumed = !spec.resumeMenu().isEmpty() && resumeMenu();
        if (!resumed) {
            out.println(device.login());
        }
        String prompt = spec.prompt();
        CommandLoop.run(in, out, device.commands(), () -> prompt, line -> execute(line, prompt));
    }

    /** Returns {@code true} when the user resumed an old session, {@code false} for a new one. */
    private boolean resumeMenu() throws IOException {
        List<String> sessions = spec.resumeMenu();
        out.println("Following disconnected ssh sessions are available to resume.");
        for (int i = 0; i < sessions.size(); i++) {
            out.println("[" + (i + 1) + "] " + sessions.get(i));
        }
        while (true) {
            out.print("Enter session number to resume or press <Enter> to start a new one: ");
            String answer = in.readLine(true);
            if (answer == null) {
                throw new EOFException("client closed its input at the resume menu");
            }
            String choice = answer.strip();
            if (choice.isEmpty()) {
                return false;
            }
            if (choice.matches("\\d{1,3}") && Integer.parseInt(choice) >= 1
                    && Integer.parseInt(choice) <= sessions.size()) {
                return true;
            }
        }
    }

    /**
     * Runs one command line; returns {@code false} when the session should end. {@code prompt} is what stands before
     * the typed line on screen (nothing on an exec channel), for the caret.
     */
    private boolean execute(String line, String prompt) throws IOException {
        Parsed<Command> parsed = IseCommands.SYNTAX.parse(line, IseCommands.ADMIN);
        switch (parsed) {
            case Empty<Command> empty -> {
            }
            case Invalid<Command> invalid -> invalidInput(prompt, invalid.column());
            case OutOfRange<Command> range -> invalidInput(prompt, range.column());
            case Incomplete<Command> incomplete -> out.println("% Incomplete command.");
            case Ambiguous<Command> ambiguous -> out.println("% Ambiguous command:  \"" + line.strip() + "\"");
            case Ok<Command> ok -> {
                return perform(ok);
            }
        }
        return true;
    }

    private void invalidInput(String prompt, int column) throws IOException {
        out.println(" ".repeat(prompt.length() + column) + "^");
        out.println("% Invalid input detected at '^' marker.");
    }

    private boolean perform(Ok<Command> command) throws IOException {
        switch (command.command()) {
            case EXIT -> {
                return false;
            }
            case SHOW_RUNNING_CONFIG -> showRunningConfig();
            case SHOW_VERSION -> new Pager(out, in, length, PAGER).lines(device.showVersion());
            case TERMINAL_LENGTH -> length = command.argument();
        }
        return true;
    }

    /**
     * A blank line, {@code Generating configuration...}, the generate delay, then the body. After the first half of
     * the body's lines (rounded down) the node falls silent for {@link IseDeviceSpec#midOutputPause()}, everything
     * before the silence already on the wire, so a client sees two bursts.
     */
    private void showRunningConfig() throws IOException {
        Pager pager = new Pager(out, in, length, PAGER);
        pager.line("");
        pager.line("Generating configuration...");
        out.flush();
        TerminalOutput.pause(spec.generateDelay().toMillis());
        List<String> body = device.configBody();
        int half = body.size() / 2;
        if (!pager.lines(body.subList(0, half))) {
            return;
        }
        out.flush();
        TerminalOutput.pause(spec.midOutputPause().toMillis());
        pager.lines(body.subList(half, body.size()));
    }
}
