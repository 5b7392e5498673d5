package io.netsnap.lab;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Objects;

/**
 * A Cisco ISE node's admin CLI (ADE-OS) on {@code 127.0.0.1}, reachable over SSH, for {@code netsnap lab} and for
 * tests. What sets ISE apart, and what a client must cope with:
 *
 * <ul>
 *   <li>it is slow: seconds of silence after authentication ({@link IseDeviceSpec#loginDelay()}), after
 *       {@code Generating configuration...} ({@link IseDeviceSpec#generateDelay()}) and in the middle of long
 *       outputs ({@link IseDeviceSpec#midOutputPause()}), sometimes longer than a client's idle timeout.</li>
 *   <li>with disconnected sessions left behind, every login first offers to resume one
 *       ({@link IseDeviceSpec#resumeMenu()}) and waits for an answer; Enter starts a new session.</li>
 *   <li>then {@code Last login: <date> from <address>} and the prompt {@code HOST/USER#}, without trailing space. There
 *       is no enable mode.</li>
 *   <li>paging is on (24 lines, pager {@code --More--}) until {@code terminal length 0}.</li>
 *   <li>{@code show running-config} prints a blank line and {@code Generating configuration...} before the body; the
 *       body has no volatile lines.</li>
 *   <li>errors are IOS-like: a caret line, then {@code % Invalid input detected at '^' marker.}</li>
 * </ul>
 *
 * <p>Commands: {@code show running-config}, {@code show version}, {@code terminal length N}, {@code exit}, each
 * abbreviable to a unique prefix. An SSH {@code exec} request runs one command and closes.
 */
public final class IseSimulator extends AbstractSimulator {

    /** What ISE's OpenSSH server announces [version UNVERIFIED]. */
    private static final String SERVER_IDENTIFICATION = "OpenSSH_7.4";

    private final IseDevice device;

    private IseSimulator(SimulatorServer server, IseDevice device) {
        super(server, device.commands());
        this.device = device;
    }

    /** Starts the node on {@code 127.0.0.1} and a free port. */
    public static IseSimulator start(IseDeviceSpec spec, KeyPair hostKey) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hostKey, "hostKey");
        IseDevice device = new IseDevice(spec, Clock.systemUTC());
        SimulatorServer server = SimulatorServer.start(spec.hostname(), SERVER_IDENTIFICATION, spec.username(),
                spec.password(), hostKey, execCommand -> new IseSession(device, execCommand));
        return new IseSimulator(server, device);
    }

    /** Replaces the configuration body, as if someone had changed the node between two backups. */
    public void updateConfigBody(String newBody) {
        device.updateConfigBody(newBody);
    }
}
