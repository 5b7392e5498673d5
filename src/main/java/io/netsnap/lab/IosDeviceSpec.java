package io.netsnap.lab;

import java.time.Duration;
import java.util.Objects;

/**
 * What a simulated Cisco IOS device looks like to an SSH client. {@link #toString()} redacts the password and the
 * enable secret so a spec can be logged.
 *
 * @param hostname      the prompt's base, e.g. {@code LAB-SW1} gives {@code LAB-SW1#}
 * @param username      the only SSH user accepted
 * @param password      that user's SSH password (password authentication is the only method offered)
 * @param enableSecret  {@code null}: the user lands privileged at {@code #} (unless {@code passwordlessEnable});
 *                      otherwise the user lands at {@code >} and must {@code enable} with this secret
 * @param banner        MOTD printed after authentication, before the first prompt; {@code null} for none
 * @param configBody    the running configuration below the volatile header ({@code version ...} down to {@code end}),
 *                      lines separated by {@code \n}; must end with the line {@code end}
 * @param buildDelay    pause between {@code Building configuration...} and the rest of {@code show running-config}
 * @param pagingLocked  {@code true}: the user may not run {@code terminal length 0} (an AAA authorization rule), so the
 *                      pager stays on
 * @param hangOnShowRun {@code true}: {@code show running-config} prints {@code Building configuration...} and then
 *                      nothing, until the client gives up
 * @param passwordlessEnable {@code true}: the user lands at {@code >} and {@code enable} goes straight to {@code #}
 *                      without a {@code Password:} prompt, as when AAA authenticates enable with method {@code none}
 *                      ({@code aaa authentication enable default none}) or the AAA server grants it; requires
 *                      {@code enableSecret} to be {@code null}
 */
public record IosDeviceSpec(String hostname, String username, String password, String enableSecret, String banner,
        String configBody, Duration buildDelay, boolean pagingLocked, boolean hangOnShowRun,
        boolean passwordlessEnable) {

    /** The pause of a small switch; real boxes with long configs take 0.5 to 3 s. */
    public static final Duration DEFAULT_BUILD_DELAY = Duration.ofMillis(300);

    public IosDeviceSpec {
        SpecChecks.requireToken(hostname, "hostname");
        SpecChecks.requireToken(username, "username");
        Objects.requireNonNull(password, "password");
        SpecChecks.requireNotNegative(buildDelay, "buildDelay");
        if (passwordlessEnable && enableSecret != null) {
            throw new IllegalArgumentException("a passwordless enable asks for no secret: enableSecret must be null");
        }
        configBody = normalizeBody(configBody);
    }

    /**
     * A well-behaved device: no banner, {@link #DEFAULT_BUILD_DELAY}, paging can be switched off, no hang, enable
     * with {@code enableSecret} if there is one.
     */
    public static IosDeviceSpec of(String hostname, String username, String password, String enableSecret,
            String configBody) {
        return new IosDeviceSpec(hostname, username, password, enableSecret, null, configBody, DEFAULT_BUILD_DELAY,
                false, false, false);
    }

    public IosDeviceSpec withBanner(String newBanner) {
        return new IosDeviceSpec(hostname, username, password, enableSecret, newBanner, configBody, buildDelay,
                pagingLocked, hangOnShowRun, passwordlessEnable);
    }

    public IosDeviceSpec withBuildDelay(Duration newBuildDelay) {
        return new IosDeviceSpec(hostname, username, password, enableSecret, banner, configBody, newBuildDelay,
                pagingLocked, hangOnShowRun, passwordlessEnable);
    }

    public IosDeviceSpec withPagingLocked(boolean locked) {
        return new IosDeviceSpec(hostname, username, password, enableSecret, banner, configBody, buildDelay, locked,
                hangOnShowRun, passwordlessEnable);
    }

    public IosDeviceSpec withHangOnShowRun(boolean hang) {
        return new IosDeviceSpec(hostname, username, password, enableSecret, banner, configBody, buildDelay,
                pagingLocked, hang, passwordlessEnable);
    }

    /** See {@code passwordlessEnable}; the spec must have no enable secret. */
    public IosDeviceSpec withPasswordlessEnable(boolean passwordless) {
        return new IosDeviceSpec(hostname, username, password, enableSecret, banner, configBody, buildDelay,
                pagingLocked, hangOnShowRun, passwordless);
    }

    /** Whether a new session starts at {@code #} rather than {@code >}. */
    boolean landsPrivileged() {
        return enableSecret == null && !passwordlessEnable;
    }

    @Override
    public String toString() {
        return "IosDeviceSpec[hostname=" + hostname + ", username=" + username + ", password=<redacted>"
                + ", enableSecret=" + (enableSecret == null ? "none" : "<redacted>") + ", banner="
                + (banner == null ? "none" : "present") + ", configBody=" + configBody.length() + " chars"
                + ", buildDelay=" + buildDelay + ", pagingLocked=" + pagingLocked + ", hangOnShowRun="
                + hangOnShowRun + ", passwordlessEnable=" + passwordlessEnable + "]";
    }

    /**
     * Accepts {@code \r\n} or {@code \n} line ends and trailing blank lines; insists on the closing {@code end}, since
     * a device never sends a configuration without it and clients rely on it to know the output is complete.
     */
    static String normalizeBody(String body) {
        Objects.requireNonNull(body, "configBody");
        String text = body.replace("\r\n", "\n").stripTrailing();
        int lastBreak = text.lastIndexOf('\n');
        if (!text.substring(lastBreak + 1).equals("end")) {
            throw new IllegalArgumentException("configBody must end with the line \"end\"");
        }
        return text;
    }
}
