package io.netsnap.lab;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Objects;

/**
 * A Cisco Nexus switch (NX-OS) on {@code 127.0.0.1}, reachable over SSH, for {@code netsnap lab} and for tests. Like
 * {@link IosSimulator} it behaves like the real thing rather than like what one client expects. What sets NX-OS
 * apart, and what a client must cope with:
 *
 * <ul>
 *   <li>after authentication a blank line, the legal banner ({@code Cisco Nexus Operating System (NX-OS) Software},
 *       {@code TAC support: http://www.cisco.com/tac}, {@code Copyright (C) 2002-2025, Cisco and/or its affiliates.},
 *       ...) and the prompt {@code "\rHOST# "}: a leading carriage return and a trailing space. The user lands at
 *       {@code #}; NX-OS roles replace enable.</li>
 *   <li>the end of a typed line is echoed as {@code \r\n} (Nexus 9000) or {@code \r\r\n} (Nexus 5000), see
 *       {@link NxosDeviceSpec.Echo}.</li>
 *   <li>paging is on (24 lines) until {@code terminal length 0}; the pager is {@code ESC[7m--More--ESC[27m}, wiped
 *       with {@code \r ESC[K} after the key. With {@link NxosDeviceSpec#pagingLocked()} the role refuses
 *       {@code terminal length 0} with {@code % Permission denied for the role}.</li>
 *   <li>{@code show running-config} starts with a blank line, {@code !Command: show running-config},
 *       {@code !Running configuration last done at: <date>} (moves only when the configuration changes),
 *       {@code !Time: <now>} (different on every call) and a blank line; the body has no closing {@code end}.</li>
 *   <li>errors: {@code % Invalid command at '^' marker.}, {@code % Incomplete command at '^' marker.} after a caret
 *       line.</li>
 * </ul>
 *
 * <p>Commands: {@code show running-config}, {@code show version}, {@code terminal length N},
 * {@code terminal width N}, {@code exit}, each abbreviable to a unique prefix. An SSH {@code exec} request runs one
 * command and closes. Output leaves in small chunks, as from {@link IosSimulator}.
 */
public final class NxosSimulator extends AbstractSimulator {

    /** What NX-OS's OpenSSH-based server announces [exact version UNVERIFIED]. */
    private static final String SERVER_IDENTIFICATION = "OpenSSH_8.3";

    private final NxosDevice device;

    private NxosSimulator(SimulatorServer server, NxosDevice device) {
        super(server, device.commands());
        this.device = device;
    }

    /** Starts the switch on {@code 127.0.0.1} and a free port. */
    public static NxosSimulator start(NxosDeviceSpec spec, KeyPair hostKey) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hostKey, "hostKey");
        NxosDevice device = new NxosDevice(spec, Clock.systemUTC());
        SimulatorServer server = SimulatorServer.start(spec.hostname(), SERVER_IDENTIFICATION, spec.username(),
                spec.password(), hostKey, execCommand -> new NxosSession(device, execCommand));
        return new NxosSimulator(server, device);
    }

    /**
     * Replaces the configuration body, as if someone had changed the switch between two backups; the next
     * {@code show running-config} shows the new body and a new {@code !Running configuration last done at:}.
     */
    public void updateConfigBody(String newBody) {
        device.updateConfigBody(newBody);
    }
}
