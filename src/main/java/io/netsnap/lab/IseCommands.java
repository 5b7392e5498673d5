package io.netsnap.lab;

import static io.netsnap.lab.CliSyntax.command;
import static io.netsnap.lab.CliSyntax.group;
import static io.netsnap.lab.CliSyntax.numbered;

/**
 * The ISE admin-CLI exec commands the simulator knows. ISE has no enable mode: an admin-role user sees every command
 * at once. There is no {@code terminal width} on ISE, so clients that send it get an error, as on a real node.
 */
final class IseCommands {

    enum Command {
        EXIT, SHOW_RUNNING_CONFIG, SHOW_VERSION, TERMINAL_LENGTH
    }

    /** The one level every command is at. */
    static final int ADMIN = 0;
    /** [UNVERIFIED] upper bound; the simulator only needs 0 and page sizes to work. */
    private static final int MAX_LENGTH = 511;

    static final CliSyntax<Command> SYNTAX = new CliSyntax<>(
            command("exit", ADMIN, Command.EXIT),
            group("show", ADMIN,
                    command("running-config", ADMIN, Command.SHOW_RUNNING_CONFIG),
                    command("version", ADMIN, Command.SHOW_VERSION)),
            group("terminal", ADMIN,
                    numbered("length", ADMIN, Command.TERMINAL_LENGTH, 0, MAX_LENGTH)));

    private IseCommands() {
    }
}
