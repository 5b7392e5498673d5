package io.netsnap.lab;

import static io.netsnap.lab.CliSyntax.command;
import static io.netsnap.lab.CliSyntax.group;
import static io.netsnap.lab.CliSyntax.numbered;

/**
 * The IOS exec-mode commands the simulator knows, with the visibility IOS gives them: {@code show running-config}
 * only exists at privilege 15, so at {@code >} it is marked like any unknown keyword.
 *
 * <pre>
 * LAB-SW1#show runx
 *                 ^
 * % Invalid input detected at '^' marker.
 * </pre>
 *
 * A line that is one unknown word is taken, as on a real box, for the name of a host to telnet to.
 */
final class IosCommands {

    enum Command {
        ENABLE, DISABLE, EXIT, SHOW_CLOCK, SHOW_PRIVILEGE, SHOW_RUNNING_CONFIG, SHOW_VERSION, TERMINAL_LENGTH,
        TERMINAL_WIDTH
    }

    /** IOS privilege levels: where a user lands without enable, and after it. */
    static final int USER = 1;
    static final int PRIVILEGED = 15;
    /** The range IOS accepts for {@code terminal length} and {@code terminal width}. */
    private static final int MAX_TERMINAL_SIZE = 512;

    static final CliSyntax<Command> SYNTAX = new CliSyntax<>(
            command("disable", USER, Command.DISABLE),
            command("enable", USER, Command.ENABLE),
            command("exit", USER, Command.EXIT),
            command("logout", USER, Command.EXIT),
            group("show", USER,
                    command("clock", USER, Command.SHOW_CLOCK),
                    command("privilege", USER, Command.SHOW_PRIVILEGE),
                    command("running-config", PRIVILEGED, Command.SHOW_RUNNING_CONFIG),
                    command("version", USER, Command.SHOW_VERSION)),
            group("terminal", USER,
                    numbered("length", USER, Command.TERMINAL_LENGTH, 0, MAX_TERMINAL_SIZE),
                    numbered("width", USER, Command.TERMINAL_WIDTH, 0, MAX_TERMINAL_SIZE)));

    private IosCommands() {
    }
}
