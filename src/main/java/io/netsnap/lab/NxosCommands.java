package io.netsnap.lab;

import static io.netsnap.lab.CliSyntax.command;
import static io.netsnap.lab.CliSyntax.group;
import static io.netsnap.lab.CliSyntax.numbered;

/**
 * The NX-OS exec commands the simulator knows. NX-OS has no privilege levels in the IOS sense (roles decide, and
 * the simulated user's role is {@code network-admin}), so every command is visible at once. Ranges are NX-OS's:
 * {@code terminal length <0-511>}, {@code terminal width <24-511>}.
 */
final class NxosCommands {

    enum Command {
        EXIT, SHOW_RUNNING_CONFIG, SHOW_VERSION, TERMINAL_LENGTH, TERMINAL_WIDTH
    }

    /** The one level every command is at. */
    static final int ROLE = 0;
    private static final int MAX_TERMINAL_SIZE = 511;
    private static final int MIN_WIDTH = 24;

    static final CliSyntax<Command> SYNTAX = new CliSyntax<>(
            command("exit", ROLE, Command.EXIT),
            group("show", ROLE,
                    command("running-config", ROLE, Command.SHOW_RUNNING_CONFIG),
                    command("version", ROLE, Command.SHOW_VERSION)),
            group("terminal", ROLE,
                    numbered("length", ROLE, Command.TERMINAL_LENGTH, 0, MAX_TERMINAL_SIZE),
                    numbered("width", ROLE, Command.TERMINAL_WIDTH, MIN_WIDTH, MAX_TERMINAL_SIZE)));

    private NxosCommands() {
    }
}
