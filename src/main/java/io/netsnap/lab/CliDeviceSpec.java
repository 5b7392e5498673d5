package io.netsnap.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 */
public record CliDeviceSpec(SimulatorProfile profile, String hostname, String username, String password,
        String enableSecret, List<String> banner, String configBody, Duration buildDelay, boolean pagingLocked,
        boolean hangOnBuild, boolean passwordlessEnable, String echoLineEnd) {

    public CliDeviceSpec {
        Objects.requireNonNull(profile, "profile");
        SpecChecks.requireToken(hostname, "hostname");
        SpecChecks.requireToken(username, "username");
        Objects.requireNonNull(password, "password");
        SpecChecks.requireNotNegative(buildDelay, "buildDelay");
        Objects.requireNonNull(echoLineEnd, "echoLineEnd");
        banner = banner == null ? null : List.copyOf(banner);
        if (passwordlessEnable && enableSecret != null) {
            throw new IllegalArgumentException("a passwordless enable asks for no secret: enableSecret must be null");
        }
        if (profile.enable() == null && (enableSecret != null || passwordlessEnable)) {
            throw new IllegalArgumentException(profile.platform() + " has no enable: users land privileged");
        }
        configBody = normalizeBody(profile, configBody);
    }

    /** A well-behaved device of the platform: the profile's banner, build delay and echo, paging can be switched off. */
    public static CliDeviceSpec of(String platform, String hostname, String username, String password,
            String enableSecret, String configBody) {
        SimulatorProfile profile = SimulatorProfile.of(platform);
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret, null, configBody,
                profile.buildDelay(), false, false, false, profile.echoLineEnd());
    }

    /** A device of the platform that lands privileged. */
    public static CliDeviceSpec of(String platform, String hostname, String username, String password,
            String configBody) {
        return of(platform, hostname, username, password, null, configBody);
    }

    public CliDeviceSpec withHostname(String newHostname) {
        return new CliDeviceSpec(profile, newHostname, username, password, enableSecret, banner, configBody,
                buildDelay, pagingLocked, hangOnBuild, passwordlessEnable, echoLineEnd);
    }

    /** The user lands at the user prompt and must {@code enable} with this secret. */
    public CliDeviceSpec withEnableSecret(String secret) {
        return new CliDeviceSpec(profile, hostname, username, password, secret, banner, configBody, buildDelay,
                pagingLocked, hangOnBuild, passwordlessEnable, echoLineEnd);
    }

    /** A banner of the given text, lines separated by {@code \n}, instead of the profile's. */
    public CliDeviceSpec withBanner(String text) {
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret,
                List.of(text.split("\r?\n", -1)), configBody, buildDelay, pagingLocked, hangOnBuild,
                passwordlessEnable, echoLineEnd);
    }

    public CliDeviceSpec withBuildDelay(Duration newBuildDelay) {
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret, banner, configBody,
                newBuildDelay, pagingLocked, hangOnBuild, passwordlessEnable, echoLineEnd);
    }

    public CliDeviceSpec withPagingLocked(boolean locked) {
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret, banner, configBody,
                buildDelay, locked, hangOnBuild, passwordlessEnable, echoLineEnd);
    }

    public CliDeviceSpec withHangOnBuild(boolean hang) {
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret, banner, configBody,
                buildDelay, pagingLocked, hang, passwordlessEnable, echoLineEnd);
    }

    /** See {@code passwordlessEnable}; the spec must have no enable secret. */
    public CliDeviceSpec withPasswordlessEnable(boolean passwordless) {
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret, banner, configBody,
                buildDelay, pagingLocked, hangOnBuild, passwordless, echoLineEnd);
    }

    public CliDeviceSpec withEchoLineEnd(String lineEnd) {
        return new CliDeviceSpec(profile, hostname, username, password, enableSecret, banner, configBody,
                buildDelay, pagingLocked, hangOnBuild, passwordlessEnable, lineEnd);
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
                + ", password=<redacted>, enableSecret=" + (enableSecret == null ? "none" : "<redacted>")
                + ", configBody=" + configBody.length() + " chars, buildDelay=" + buildDelay + ", pagingLocked="
                + pagingLocked + ", hangOnBuild=" + hangOnBuild + ", passwordlessEnable=" + passwordlessEnable + "]";
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
