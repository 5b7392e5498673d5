package io.netsnap.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a simulated Cisco ISE node (its ADE-OS admin CLI) looks like to an SSH client. {@link #toString()} redacts the
 * password so a spec can be logged. Start from {@link #of} and turn knobs with the {@code withX} methods.
 *
 * @param hostname       the node's name: {@code ISE-PRIMARY} with user {@code netsnap} gives the prompt
 *                       {@code ISE-PRIMARY/netsnap#}
 * @param username       the only SSH user accepted, a CLI admin (ISE has no enable mode)
 * @param password       that user's SSH password (password authentication is the only method offered)
 * @param configBody     what {@code show running-config} prints after {@code Generating configuration...}, lines
 *                       separated by {@code \n}; see {@link LabConfigs#iseNode(String, int)} for a realistic one
 * @param resumeMenu     names of disconnected SSH sessions, e.g. {@code 875.User-Friday_Jan_17_08:26:00_2020}; when
 *                       not empty, every login first shows the menu offering to resume one of them and waits for an
 *                       answer (Enter starts a new session)
 * @param loginDelay     silence after authentication before anything is printed: ISE takes seconds to start its
 *                       CLI (2 to 5 s on real nodes)
 * @param generateDelay  pause after {@code Generating configuration...} before the first line of the body
 * @param midOutputPause pause in the middle of the body ({@link Duration#ZERO} for none): real nodes fall silent for
 *                       many seconds, sometimes longer than a client's idle timeout, in the middle of long outputs
 */
public record IseDeviceSpec(String hostname, String username, String password, String configBody,
        List<String> resumeMenu, Duration loginDelay, Duration generateDelay, Duration midOutputPause) {

    /** Short enough for tests and the lab; real nodes take seconds. */
    public static final Duration DEFAULT_LOGIN_DELAY = Duration.ofMillis(300);
    public static final Duration DEFAULT_GENERATE_DELAY = Duration.ofMillis(500);

    public IseDeviceSpec {
        SpecChecks.requireToken(hostname, "hostname");
        SpecChecks.requireToken(username, "username");
        Objects.requireNonNull(password, "password");
        resumeMenu = List.copyOf(resumeMenu);
        for (String session : resumeMenu) {
            SpecChecks.requireToken(session, "resume menu session name");
        }
        SpecChecks.requireNotNegative(loginDelay, "loginDelay");
        SpecChecks.requireNotNegative(generateDelay, "generateDelay");
        SpecChecks.requireNotNegative(midOutputPause, "midOutputPause");
        configBody = normalizeBody(configBody);
    }

    /**
     * A node that answers promptly: no resume menu, {@link #DEFAULT_LOGIN_DELAY}, {@link #DEFAULT_GENERATE_DELAY},
     * no pause in the middle of the output.
     */
    public static IseDeviceSpec of(String hostname, String username, String password, String configBody) {
        return new IseDeviceSpec(hostname, username, password, configBody, List.of(), DEFAULT_LOGIN_DELAY,
                DEFAULT_GENERATE_DELAY, Duration.ZERO);
    }

    public IseDeviceSpec withResumeMenu(List<String> disconnectedSessions) {
        return new IseDeviceSpec(hostname, username, password, configBody, disconnectedSessions, loginDelay,
                generateDelay, midOutputPause);
    }

    public IseDeviceSpec withLoginDelay(Duration delay) {
        return new IseDeviceSpec(hostname, username, password, configBody, resumeMenu, delay, generateDelay,
                midOutputPause);
    }

    public IseDeviceSpec withGenerateDelay(Duration delay) {
        return new IseDeviceSpec(hostname, username, password, configBody, resumeMenu, loginDelay, delay,
                midOutputPause);
    }

    public IseDeviceSpec withMidOutputPause(Duration pause) {
        return new IseDeviceSpec(hostname, username, password, configBody, resumeMenu, loginDelay, generateDelay,
                pause);
    }

    /** The prompt of an admin-role user; an operator would see {@code >}, which the simulator does not model. */
    String prompt() {
        return hostname + "/" + username + "#";
    }

    @Override
    public String toString() {
        return "IseDeviceSpec[hostname=" + hostname + ", username=" + username + ", password=<redacted>"
                + ", configBody=" + configBody.length() + " chars, resumeMenu=" + resumeMenu + ", loginDelay="
                + loginDelay + ", generateDelay=" + generateDelay + ", midOutputPause=" + midOutputPause + "]";
    }

    /** Accepts {@code \r\n} or {@code \n} line ends and drops trailing blank lines; the body must not be empty. */
    static String normalizeBody(String body) {
        Objects.requireNonNull(body, "configBody");
        String text = body.replace("\r\n", "\n").stripTrailing();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("configBody must not be empty");
        }
        return text;
    }
}
