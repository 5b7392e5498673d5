package io.netsnap.lab;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Objects;

/**
 * A Cisco IOS device on {@code 127.0.0.1}, reachable over SSH, for {@code netsnap lab} and for tests. It behaves like
 * the real thing rather than like what one client expects: password authentication only, echo of typed input,
 * {@code \r\n} line ends, a prompt without trailing newline, paging on by default, a pause after
 * {@code Building configuration...}, output in small chunks, IOS error messages with the caret marker. See
 * {@link IosDeviceSpec} for the knobs.
 *
 * <p>Commands: {@code enable}, {@code disable}, {@code exit}, {@code logout}, {@code terminal length N},
 * {@code terminal width N}, {@code show running-config}, {@code show version}, {@code show privilege},
 * {@code show clock}, each abbreviable to a unique prefix. An SSH {@code exec} request runs one command and closes.
 *
 * <p>The {@code Current configuration : N bytes} line counts the body as UTF-8 with one {@code \n} per line,
 * {@code end} included. The change timestamps are the current time and {@code ntp clock-period} (if the body has it)
 * drifts, so two fetches of an unchanged configuration always differ in their volatile lines.
 */
public final class IosSimulator extends AbstractSimulator {

    /** What an IOS 15 / IOS-XE SSH server announces. */
    private static final String SERVER_IDENTIFICATION = "Cisco-1.25";

    private final IosDevice device;

    private IosSimulator(SimulatorServer server, IosDevice device) {
        super(server, device.commands());
        this.device = device;
    }

    /** Starts the device on {@code 127.0.0.1} and a free port. */
    public static IosSimulator start(IosDeviceSpec spec, KeyPair hostKey) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hostKey, "hostKey");
        IosDevice device = new IosDevice(spec, Clock.systemUTC());
        SimulatorServer server = SimulatorServer.start(spec.hostname(), SERVER_IDENTIFICATION, spec.username(),
                spec.password(), hostKey, execCommand -> new IosSession(device, execCommand));
        return new IosSimulator(server, device);
    }

    /** Replaces the configuration body, as if someone had changed the device between two backups. */
    public void updateConfigBody(String newBody) {
        device.updateConfigBody(newBody);
    }
}
