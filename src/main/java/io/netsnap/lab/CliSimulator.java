package io.netsnap.lab;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Objects;

import io.netsnap.lab.SimulatorProfile.CommandSpec;

/**
 * A simulated CLI device of any platform that has a {@link SimulatorProfile}, on {@code 127.0.0.1} and a free port,
 * reachable over SSH, for {@code netsnap lab} and for tests. It behaves like the real thing rather than like what one
 * client expects: password authentication only (or keyboard-interactive, as the profile says), echo of typed input,
 * the platform's line ends, prompts, pager and error texts, pauses while a configuration is built, output in small
 * chunks. An SSH {@code exec} request runs one command and closes.
 */
public final class CliSimulator extends AbstractSimulator {

    private final CliDevice device;

    private CliSimulator(SimulatorServer server, CliDevice device) {
        super(server, device.commands());
        this.device = device;
    }

    /** Starts the device on {@code 127.0.0.1} and a free port. */
    public static CliSimulator start(CliDeviceSpec spec, KeyPair hostKey) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hostKey, "hostKey");
        SimulatorProfile profile = spec.profile();
        for (CommandSpec command : profile.commands()) {
            if (!SimulatorProfile.isBuiltIn(command.action())) {
                throw new IllegalArgumentException(profile.platform() + ": command '"
                        + String.join(" ", command.words()) + "' has an unknown action '" + command.action() + "'");
            }
        }
        CliDevice device = new CliDevice(spec, Clock.systemUTC());
        CliSyntax<CommandSpec> syntax = ProfileSession.syntax(profile);
        SimulatorServer server = SimulatorServer.start(spec.hostname(), profile.sshServer(), spec.username(),
                spec.password(), profile.keyboardInteractive(), hostKey,
                execCommand -> new ProfileSession(device, syntax, execCommand));
        return new CliSimulator(server, device);
    }

    /** Replaces the configuration body, as if someone had changed the device between two backups. */
    public void updateConfigBody(String newBody) {
        device.updateConfigBody(newBody);
    }
}
