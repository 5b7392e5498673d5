package io.netsnap.lab;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Objects;

/**
 * A Cisco ASA on {@code 127.0.0.1}, reachable over SSH, in single or multiple context mode, for {@code netsnap lab}
 * and for tests. It behaves like the device rather than like what one client expects: the login lines, prompts with a
 * leading {@code \r} and a trailing space, echo of typed input and {@code \r\n} line ends, asterisks for the enable
 * password, the {@code <--- More --->} pager on by default, {@code ERROR: % Invalid input detected at '^' marker.}
 * under a caret, {@code Logoff} on exit. See {@link AsaDeviceSpec} for the knobs.
 *
 * <p>Commands, each abbreviable to a unique prefix: {@code enable}, {@code disable}, {@code exit} / {@code logout} /
 * {@code quit}, {@code configure terminal} / {@code end}, {@code terminal pager [lines] N}, {@code no terminal pager},
 * {@code terminal width N} (configuration mode), {@code show curpriv}, {@code show mode},
 * {@code show running-config} (secrets as {@code *****}), {@code more system:running-config} (secrets in clear) and,
 * in multiple mode, {@code show context}, {@code changeto system}, {@code changeto context NAME} and, in the system
 * space, {@code more disk0:/NAME.cfg}.
 *
 * <p>An ASA allows a few concurrent SSH sessions, but netsnap promises to open one at a time:
 * {@link #maxConcurrentSessions()} lets a test hold it to that.
 */
public final class AsaSimulator extends AbstractSimulator {

    /** What an ASA's SSH server announces. */
    private static final String SERVER_IDENTIFICATION = "Cisco-1.25";

    private final AsaDevice device;

    private AsaSimulator(SimulatorServer server, AsaDevice device) {
        super(server, device.commands());
        this.device = device;
    }

    /** Starts the device on {@code 127.0.0.1} and a free port. */
    public static AsaSimulator start(AsaDeviceSpec spec, KeyPair hostKey) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hostKey, "hostKey");
        AsaDevice device = new AsaDevice(spec, Clock.systemUTC());
        SimulatorServer server = SimulatorServer.start(spec.hostname(), SERVER_IDENTIFICATION, spec.username(),
                spec.password(), hostKey, execCommand -> new AsaSession(device, execCommand));
        return new AsaSimulator(server, device);
    }

    /**
     * Replaces the single-mode running configuration, or in multiple mode the system configuration (which must still
     * declare the same contexts), as if someone had changed the device between two backups.
     */
    public void updateConfigBody(String newBody) {
        device.updateConfigBody(newBody);
    }

    /** Replaces one security context's configuration (multiple mode). */
    public void updateContextConfigBody(String context, String newBody) {
        device.updateContextConfigBody(context, newBody);
    }

    /** The most shell or exec sessions that were open at the same time since the device started. */
    public int maxConcurrentSessions() {
        return device.maxConcurrentSessions();
    }
}
