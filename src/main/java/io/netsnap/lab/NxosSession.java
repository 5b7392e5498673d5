package io.netsnap.lab;

import java.io.IOException;
import java.io.InputStream;

import io.netsnap.lab.CliSyntax.Ambiguous;
import io.netsnap.lab.CliSyntax.Empty;
import io.netsnap.lab.CliSyntax.Incomplete;
import io.netsnap.lab.CliSyntax.Invalid;
import io.netsnap.lab.CliSyntax.Ok;
import io.netsnap.lab.CliSyntax.OutOfRange;
import io.netsnap.lab.CliSyntax.Parsed;
import io.netsnap.lab.NxosCommands.Command;

/**
 * One session on the simulated Nexus switch: an interactive shell, or for an SSH {@code exec} request one command
 * whose output is sent bare (no echo, no prompt, no pager) before the channel closes.
 *
 * <p>The prompt starts with a carriage return and ends with a space, and every line the user ends is echoed before
 * the output; this is a whole {@code terminal length 0} exchange on a Nexus 9000:
 *
 * <pre>
 * "\rTEST-12345# " ... "terminal length 0\r\n" "\rTEST-12345# "
 * </pre>
 *
 * Errors put a caret under the offending column, counted from the start of the prompt line ({@code \r} aside):
 *
 * <pre>
 * TEST-12345# show runing-config
 *                     ^
 * % Invalid command at '^' marker.
 * </pre>
 *
 * with {@code % Incomplete command at '^' marker.} (caret right after the line), {@code % Ambiguous command at '^'
 * marker.} and, for a number out of range, {@code Invalid range at '^' marker.} (NX-OS prints that one without the
 * {@code %}). There is no blank line after an error, unlike IOS.
 */
final class NxosSession implements DialogueChannel.Dialogue {

    /** NX-OS draws its pager in reverse video: {@code ESC[7m--More--ESC[27m}. */
    static final String MORE = "\u001b[7m--More--\u001b[27m";
    /**
     * What the simulator sends after the key pressed at the pager: carriage return and erase-to-end-of-line
     * ({@code \r ESC[K}), so the next line (or the prompt) starts where the pager was. This is the simulator's
     * choice; captures of real switches differ in how they wipe the pager and clients must strip both the pager and
     * any ANSI sequence around it.
     */
    static final String ERASE = "\r\u001b[K";
    static final Pager.Style PAGER = new Pager.Style(MORE, ERASE);
    /** Lines per page until the client runs {@code terminal length 0}. */
    private static final int DEFAULT_LENGTH = 24;
    /** Refused when the user's role has no rule permitting {@code terminal length}. */
    static final String PERMISSION_DENIED = "% Permission denied for the role";

    private final NxosDevice device;
    private final NxosDeviceSpec spec;
    private final String execCommand;

    // Only touched by the session thread.
    private TerminalOutput out;
    private TerminalInput in;
    private int length;

    /** @param execCommand the command of an {@code exec} request, or {@code null} for a shell */
    NxosSession(NxosDevice device, String execCommand) {
        this.device = device;
        this.spec = device.spec();
        this.execCommand = execCommand;
    }

    @Override
    public void run(InputStream rawIn, TerminalOutput terminal) throws IOException {
        out = terminal;
        in = new TerminalInput(rawIn, out, spec.echo().lineEnd());
        if (execCommand == null) {
            length = DEFAULT_LENGTH;
            shell();
        } else {
            length = 0;
            device.commands().record(execCommand);
            execute(execCommand, "");
        }
    }

    /** The banner follows a blank line and leads straight into the first prompt. */
    private void shell() throws IOException {
        out.print(TerminalOutput.NEWLINE);
        for (String line : NxosDevice.BANNER) {
            out.println(line);
        }
        String prompt = spec.hostname() + "# ";
        CommandLoop.run(in, out, device.commands(), () -> "\r" + prompt, line -> execute(line, prompt));
    }

    /**
     * Runs one command line; returns {@code false} when the session should end. {@code prompt} is what stands before
     * the typed line on screen (nothing on an exec channel), for the caret.
     */
    private boolean execute(String line, String prompt) throws IOException {
        Parsed<Command> parsed = NxosCommands.SYNTAX.parse(line, NxosCommands.ROLE);
        switch (parsed) {
            case Empty<Command> empty -> {
            }
            case Invalid<Command> invalid -> marker(prompt, invalid.column(), "% Invalid command at '^' marker.");
            case OutOfRange<Command> range -> marker(prompt, range.column(), "Invalid range at '^' marker.");
            case Incomplete<Command> incomplete ->
                    marker(prompt, incomplete.column(), "% Incomplete command at '^' marker.");
            case Ambiguous<Command> ambiguous ->
                    marker(prompt, ambiguous.column(), "% Ambiguous command at '^' marker.");
            case Ok<Command> ok -> {
                return perform(ok);
            }
        }
        return true;
    }

    private void marker(String prompt, int column, String message) throws IOException {
        out.println(" ".repeat(prompt.length() + column) + "^");
        out.println(message);
    }

    private boolean perform(Ok<Command> command) throws IOException {
        switch (command.command()) {
            case EXIT -> {
                return false;
            }
            case SHOW_RUNNING_CONFIG -> {
                out.flush();
                TerminalOutput.pause(spec.buildDelay().toMillis());
                new Pager(out, in, length, PAGER).lines(device.runningConfig());
            }
            case SHOW_VERSION -> new Pager(out, in, length, PAGER).lines(device.showVersion());
            case TERMINAL_LENGTH -> {
                if (spec.pagingLocked()) {
                    out.println(PERMISSION_DENIED);
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
}
