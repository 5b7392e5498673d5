package io.netsnap.lab;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated Cisco Nexus (NX-OS) switch looks like to an SSH client. {@link #toString()} redacts the password
 * so a spec can be logged. Start from {@link #of} and turn knobs with the {@code withX} methods.
 *
 * @param hostname     the prompt's base: {@code NX-CORE-1} gives {@code \rNX-CORE-1# }
 * @param username     the only SSH user accepted; NX-OS roles put it straight at {@code #}
 * @param password     that user's SSH password (password authentication is the only method offered)
 * @param configBody   the running configuration below the volatile header ({@code version ...} to the last
 *                     interface), lines separated by {@code \n}; NX-OS prints no closing {@code end}. See
 *                     {@link LabConfigs#nexusSwitch(String, int)} for a realistic one
 * @param echo         how the end of a typed line is echoed: {@link Echo#N9K} or {@link Echo#N5K}
 * @param pagingLocked {@code true}: the user's role may not run {@code terminal length} (as with the role rule that
 *                     ytti/oxidized#3157 had to add), so {@code terminal length 0} is refused and the pager stays on
 * @param buildDelay   pause between the echo of {@code show running-config} and its first line, while the switch
 *                     assembles the configuration
 */
public record NxosDeviceSpec(String hostname, String username, String password, String configBody, Echo echo,
        boolean pagingLocked, Duration buildDelay) {

    /** A small switch answers within a fraction of a second; big chassis configs take seconds. */
    public static final Duration DEFAULT_BUILD_DELAY = Duration.ofMillis(200);

    /**
     * The echo of a typed line's end, which differs between Nexus families. Captured on real switches:
     *
     * <pre>
     * N9K (NX-OS 10.x):  "\rTEST-12345# terminal length 0\r\n"
     * N5K (NX-OS 7.x):   "\rTEST-12345# terminal length 0\r\r\n"
     * </pre>
     */
    public enum Echo {
        /** Nexus 9000 / 3000: {@code cmd\r\n}. */
        N9K("\r\n"),
        /** Nexus 5000 / 5500: {@code cmd\r\r\n}, the extra CR that netmiko normalises away. */
        N5K("\r\r\n");

        private final String lineEnd;

        Echo(String lineEnd) {
            this.lineEnd = lineEnd;
        }

        /** The bytes echoed when the user ends a line. */
        public String lineEnd() {
            return lineEnd;
        }
    }

    public NxosDeviceSpec {
        SpecChecks.requireToken(hostname, "hostname");
        SpecChecks.requireToken(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(echo, "echo");
        SpecChecks.requireNotNegative(buildDelay, "buildDelay");
        configBody = normalizeBody(configBody);
    }

    /** A well-behaved Nexus 9000: N9K echo, paging can be switched off, {@link #DEFAULT_BUILD_DELAY}. */
    public static NxosDeviceSpec of(String hostname, String username, String password, String configBody) {
        return new NxosDeviceSpec(hostname, username, password, configBody, Echo.N9K, false, DEFAULT_BUILD_DELAY);
    }

    public NxosDeviceSpec withEcho(Echo newEcho) {
        return new NxosDeviceSpec(hostname, username, password, configBody, newEcho, pagingLocked, buildDelay);
    }

    public NxosDeviceSpec withPagingLocked(boolean locked) {
        return new NxosDeviceSpec(hostname, username, password, configBody, echo, locked, buildDelay);
    }

    public NxosDeviceSpec withBuildDelay(Duration newBuildDelay) {
        return new NxosDeviceSpec(hostname, username, password, configBody, echo, pagingLocked, newBuildDelay);
    }

    public NxosDeviceSpec withHostname(String newHostname) {
        return new NxosDeviceSpec(newHostname, username, password, configBody, echo, pagingLocked, buildDelay);
    }

    @Override
    public String toString() {
        return "NxosDeviceSpec[hostname=" + hostname + ", username=" + username + ", password=<redacted>"
                + ", configBody=" + configBody.length() + " chars, echo=" + echo + ", pagingLocked=" + pagingLocked
                + ", buildDelay=" + buildDelay + "]";
    }

    /**
     * Accepts {@code \r\n} or {@code \n} line ends and drops trailing blank lines (the device adds its own), but keeps
     * trailing spaces inside lines: NX-OS really sends {@code version 10.4(5) Bios:version 01.11 } with one.
     */
    static String normalizeBody(String body) {
        Objects.requireNonNull(body, "configBody");
        String text = body.replace("\r\n", "\n").replaceFirst("\n+$", "");
        if (text.isBlank()) {
            throw new IllegalArgumentException("configBody must not be empty");
        }
        return text;
    }
}
