package io.netsnap.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One simulated CLI device: its platform's {@link SimulatorProfile} and what is particular to this box. Start from
 * {@link #of} and turn knobs with the {@code withX} methods. {@link #toString()} redacts the password and the enable
 * secret so a spec can be logged.
 *
 * @param profile       how the platform behaves
 * @param hostname      the prompt's base
 * @param username      the only SSH user accepted
 * @param password      that user's SSH password
 * @param enableSecret  {@code null}: the user lands privileged (unless {@code passwordlessEnable}); otherwise the
 *                      user lands at the user prompt and must {@code enable} with this secret. Only for profiles with
 *                      an enable section
 * @param banner        lines printed after login in place of the profile's banner; {@code null}: the profile's
 * @param configBody    the running configuration the device serves in {@code {config}}, lines separated by
 *                      {@code \n}; ends with the profile's last line if it has one
 * @param buildDelay    the pause at {@code {build}} in an output
 * @param pagingLocked  {@code true}: switching paging off is refused (an authorization rule), so the pager stays on
 * @param hangOnBuild   {@code true}: at {@code {build}} the device falls silent until the client gives up
 * @param passwordlessEnable {@code true}: the user lands at the user prompt and {@code enable} raises the privilege
 *                      without asking (AAA {@code enable default none}); requires {@code enableSecret} to be null
 * @param echoLineEnd   what is echoed when the user ends a line (e.g. {@code \r\r\n} on a Nexus 5500)
 * @param loginDelay    silence after authentication before anything is printed (ISE takes seconds)
 * @param midOutputPause silence in the middle of {@code {config}}, after the first half of its lines (rounded down),
 *                      everything before it already on the wire; {@link Duration#ZERO} for none. Real ISE nodes fall
 *                      silent for many seconds, sometimes longer than a client's idle timeout
 * @param outputRate    how fast the device writes, in bytes per second, or 0 for the lab's usual pace (chunks of 256
 *                      bytes at least 2 ms apart: at most about 128 KB/s). Slower is a device on a slow link or with
 *                      a busy CPU; the chunks stay the same, only further apart
 * @param lineDelay     the device's wait after each line of a command's output (what it shows through its pager),
 *                      each line put on the wire by itself; {@link Duration#ZERO} for none. A real CLI writes a
 *                      configuration line by line, and a slow box takes its time per line whatever the link. Adds to
 *                      {@code outputRate}; the echo, prompts and pager prompts are not delayed
 * @param extension     the platform's {@link CliSimulator.Extension} with this box's settings (the ASA's contexts, ISE's
 *                      resume menu); {@code null} for the profile's default, or none if the profile names none
 */
public record CliDeviceSpec(SimulatorProfile profile, String hostname, String username, String password,
        String enableSecret, List<String> banner, String configBody, Duration buildDelay, boolean pagingLocked,
        boolean hangOnBuild, boolean passwordlessEnable, String echoLineEnd, Duration loginDelay,
        Duration midOutputPause, int outputRate, Duration lineDelay, CliSimulator.Extension extension) {

    public CliDeviceSpec {
        Objects.requireNonNull(profile, "profile");
        SpecChecks.requireToken(hostname, "hostname");
        SpecChecks.requireToken(username, "username");
        Objects.requireNonNull(password, "password");
        SpecChecks.requireNotNegative(buildDelay, "buildDelay");
        SpecChecks.requireNotNegative(loginDelay, "loginDelay");
        SpecChecks.requireNotNegative(midOutputPause, "midOutputPause");
        SpecChecks.requireNotNegative(lineDelay, "lineDelay");
        if (outputRate < 0) {
            throw new IllegalArgumentException("outputRate must not be negative");
        }
        Objects.requireNonNull(echoLineEnd, "echoLineEnd");
        banner = banner == null ? null : List.copyOf(banner);
        if (passwordlessEnable && enableSecret != null) {
            throw new IllegalArgumentException("a passwordless enable asks for no secret: enableSecret must be null");
        }
        if (profile.enable() == null && (enableSecret != null || passwordlessEnable)) {
            throw new IllegalArgumentException(profile.platform() + " has no enable: users land privileged");
        }
        configBody = normalizeBody(profile, configBody);
        if (extension == null) {
            extension = CliSimulator.Extension.of(profile);
        } else if (profile.extension() == null
                || !extension.getClass().getSimpleName().equals(profile.extension().name())) {
            throw new IllegalArgumentException(profile.platform() + " does not take a "
                    + extension.getClass().getSimpleName());
        }
        if (extension != null) {
            extension.check(configBody);
        }
    }

    /**
     * A well-behaved device of the platform: the profile's banner, build delay, login delay and echo, paging can be
     * switched off, no pause mid-output. An empty {@code enableSecret} is a blank enable password (the ASA default):
     * an empty line at the password prompt is enough.
     */
    public static CliDeviceSpec of(String platform, String hostname, String username, String password,
            String enableSecret, String configBody) {
        SimulatorProfile profile = SimulatorProfile.of(platform);
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret, null, configBody,
                profile.buildDelay(), false, false, false, profile.echoLineEnd(), profile.loginDelay(),
                Duration.ZERO, 0, Duration.ZERO, null);
    }

    /** A device of the platform that lands privileged (on an ASA: AAA auto-enable). */
    public static CliDeviceSpec of(String platform, String hostname, String username, String password,
            String configBody) {
        return of(platform, hostname, username, password, null, configBody);
    }

    public CliDeviceSpec withHostname(String newHostname) {
        return with(knobs -> knobs.hostname = newHostname);
    }

    /** The user lands at the user prompt and must {@code enable} with this secret; {@code null}: lands privileged. */
    public CliDeviceSpec withEnableSecret(String secret) {
        return with(knobs -> knobs.enableSecret = secret);
    }

    /** A banner of the given text, lines separated by {@code \n}, instead of the profile's. */
    public CliDeviceSpec withBanner(String text) {
        return with(knobs -> knobs.banner = List.of(text.split("\r?\n", -1)));
    }

    public CliDeviceSpec withBuildDelay(Duration newBuildDelay) {
        return with(knobs -> knobs.buildDelay = newBuildDelay);
    }

    public CliDeviceSpec withPagingLocked(boolean locked) {
        return with(knobs -> knobs.pagingLocked = locked);
    }

    public CliDeviceSpec withHangOnBuild(boolean hang) {
        return with(knobs -> knobs.hangOnBuild = hang);
    }

    /** See {@code passwordlessEnable}; the spec must have no enable secret. */
    public CliDeviceSpec withPasswordlessEnable(boolean passwordless) {
        return with(knobs -> knobs.passwordlessEnable = passwordless);
    }

    public CliDeviceSpec withEchoLineEnd(String lineEnd) {
        return with(knobs -> knobs.echoLineEnd = lineEnd);
    }

    public CliDeviceSpec withLoginDelay(Duration delay) {
        return with(knobs -> knobs.loginDelay = delay);
    }

    public CliDeviceSpec withMidOutputPause(Duration pause) {
        return with(knobs -> knobs.midOutputPause = pause);
    }

    /** See {@code outputRate}: bytes per second, 0 for the lab's usual pace. */
    public CliDeviceSpec withOutputRate(int bytesPerSecond) {
        return with(knobs -> knobs.outputRate = bytesPerSecond);
    }

    /** See {@code lineDelay}: the wait after each line of a command's output, zero for none. */
    public CliDeviceSpec withLineDelay(Duration delay) {
        return with(knobs -> knobs.lineDelay = delay);
    }

    /** The platform's extension with this box's settings, e.g. {@code new AsaContexts(contexts)}. */
    public CliDeviceSpec withExtension(CliSimulator.Extension newExtension) {
        return with(knobs -> knobs.extension = Objects.requireNonNull(newExtension, "extension"));
    }

    /** The components, to change one and make a new spec: the record stays immutable, the withers stay one line. */
    private static final class Knobs {
        private final SimulatorProfile profile;
        private final String username;
        private final String password;
        private final String configBody;
        private String hostname;
        private String enableSecret;
        private List<String> banner;
        private Duration buildDelay;
        private boolean pagingLocked;
        private boolean hangOnBuild;
        private boolean passwordlessEnable;
        private String echoLineEnd;
        private Duration loginDelay;
        private Duration midOutputPause;
        private int outputRate;
        private Duration lineDelay;
        private CliSimulator.Extension extension;

        private Knobs(CliDeviceSpec spec) {
            profile = spec.profile;
            username = spec.username;
            password = spec.password;
            configBody = spec.configBody;
            hostname = spec.hostname;
            enableSecret = spec.enableSecret;
            banner = spec.banner;
            buildDelay = spec.buildDelay;
            pagingLocked = spec.pagingLocked;
            hangOnBuild = spec.hangOnBuild;
            passwordlessEnable = spec.passwordlessEnable;
            echoLineEnd = spec.echoLineEnd;
            loginDelay = spec.loginDelay;
            midOutputPause = spec.midOutputPause;
            outputRate = spec.outputRate;
            lineDelay = spec.lineDelay;
            extension = spec.extension;
        }

        private CliDeviceSpec spec() {
            return new CliDeviceSpec(profile, hostname, username, password, enableSecret, banner, configBody,
                    buildDelay, pagingLocked, hangOnBuild, passwordlessEnable, echoLineEnd, loginDelay,
                    midOutputPause, outputRate, lineDelay, extension);
        }
    }

    private CliDeviceSpec with(Consumer<Knobs> change) {
        Knobs knobs = new Knobs(this);
        change.accept(knobs);
        return knobs.spec();
    }

    /** Whether a new session starts privileged rather than at the user prompt. */
    boolean landsPrivileged() {
        return profile.enable() == null || (enableSecret == null && !passwordlessEnable);
    }

    /** The banner lines this device prints. */
    List<String> bannerLines() {
        return banner != null ? banner : profile.banner();
    }

    @Override
    public String toString() {
        return "CliDeviceSpec[platform=" + profile.platform() + ", hostname=" + hostname + ", username=" + username
                + ", password=<redacted>, enableSecret="
                + (enableSecret == null ? "none" : enableSecret.isEmpty() ? "blank" : "<redacted>")
                + ", configBody=" + configBody.length() + " chars, buildDelay=" + buildDelay + ", pagingLocked="
                + pagingLocked + ", hangOnBuild=" + hangOnBuild + ", passwordlessEnable=" + passwordlessEnable
                + ", loginDelay=" + loginDelay + ", midOutputPause=" + midOutputPause + ", outputRate=" + outputRate
                + ", lineDelay=" + lineDelay + ", extension=" + extension
                + "]";
    }

    /**
     * Accepts {@code \r\n} or {@code \n} line ends and drops trailing blank lines (the device adds its own), but keeps
     * trailing spaces inside lines (NX-OS really sends {@code version 10.4(5) Bios:version 01.11 } with one). When the
     * profile has a last line ({@code end} on IOS) the body must end with it: clients rely on it to know the output is
     * complete.
     */
    static String normalizeBody(SimulatorProfile profile, String body) {
        Objects.requireNonNull(body, "configBody");
        String text = body.replace("\r\n", "\n").replaceFirst("\n\\s*$", "");
        if (text.isBlank()) {
            throw new IllegalArgumentException("configBody must not be empty");
        }
        String last = profile.lastLine();
        if (last != null && !text.substring(text.lastIndexOf('\n') + 1).strip().equals(last)) {
            throw new IllegalArgumentException("configBody must end with the line \"" + last + "\"");
        }
        return text;
    }
}
