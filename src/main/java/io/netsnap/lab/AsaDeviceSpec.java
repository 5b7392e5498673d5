package io.netsnap.lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a simulated Cisco ASA looks like to an SSH client, in single or multiple context mode. {@link #toString()}
 * redacts the password, the enable secret and the configuration texts so a spec can be logged.
 *
 * <p>A configuration body is what the ASA shows between its version line and its {@code Cryptochecksum:} line,
 * usually starting with {@code !}; the simulator adds the volatile {@code : Saved} header, the version line, the
 * checksum and {@code : end} itself. In multiple mode the system body is the truth about contexts, as on a real box:
 * every {@code context NAME} block in it (with {@code allocate-interface}, {@code config-url}, optional
 * {@code member}) needs a {@link Context} of the same name, and {@code admin-context NAME} must name one of them.
 *
 * @param hostname            the prompt's base, e.g. {@code fw1} gives {@code \rfw1> }
 * @param username            the only SSH user accepted
 * @param password            that user's SSH password (password authentication is the only method offered)
 * @param enableSecret        what {@code enable} asks for; the empty string is the ASA factory default of no enable
 *                            password, where an empty line at {@code Password:} is enough
 * @param mode                single or multiple context mode
 * @param configBody          single mode: the running configuration; multiple mode: the system configuration
 * @param contexts            multiple mode: each security context's configuration; empty in single mode
 * @param banner              {@code banner motd} lines printed before the login lines; {@code null} for none
 * @param autoEnable          {@code aaa authorization exec ... auto-enable}: the user lands at {@code #} and
 *                            {@code enable} is an invalid command there
 * @param pagingLocked        {@code true}: command authorization forbids {@code terminal pager 0}, so paging stays on
 * @param loginToAdminContext multiple mode: the user is an admin-context user and lands in the admin context
 *                            ({@code host/admin>}) instead of the system execution space
 */
public record AsaDeviceSpec(String hostname, String username, String password, String enableSecret, Mode mode,
        String configBody, List<Context> contexts, String banner, boolean autoEnable, boolean pagingLocked,
        boolean loginToAdminContext) {

    /** The security context mode, as {@code show mode} reports it. */
    public enum Mode {
        SINGLE, MULTIPLE
    }

    /**
     * One security context of a multiple-mode ASA.
     *
     * @param name       as in the system configuration's {@code context NAME}
     * @param configBody the context's running configuration (see {@link AsaDeviceSpec} for what a body is)
     */
    public record Context(String name, String configBody) {

        public Context {
            SpecChecks.requireToken(name, "context name");
            configBody = normalizeBody(configBody);
        }

        @Override
        public String toString() {
            return "Context[name=" + name + ", configBody=" + configBody.length() + " chars]";
        }
    }

    public AsaDeviceSpec {
        SpecChecks.requireToken(hostname, "hostname");
        SpecChecks.requireToken(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(enableSecret, "enableSecret (use \"\" for a blank enable password)");
        Objects.requireNonNull(mode, "mode");
        configBody = normalizeBody(configBody);
        contexts = List.copyOf(contexts);
        if (mode == Mode.SINGLE) {
            if (!contexts.isEmpty()) {
                throw new IllegalArgumentException("a single-mode ASA has no security contexts");
            }
            if (loginToAdminContext) {
                throw new IllegalArgumentException("loginToAdminContext needs multiple context mode");
            }
        } else {
            requireMatchingContexts(configBody, contexts);
        }
    }

    /** A single-context ASA that pages until told otherwise, lets {@code terminal pager 0} through, no banner. */
    public static AsaDeviceSpec single(String hostname, String username, String password, String enableSecret,
            String configBody) {
        return new AsaDeviceSpec(hostname, username, password, enableSecret, Mode.SINGLE, configBody, List.of(), null,
                false, false, false);
    }

    /** A multiple-context ASA; the user logs in to the system execution space. */
    public static AsaDeviceSpec multiple(String hostname, String username, String password, String enableSecret,
            String systemConfigBody, List<Context> contexts) {
        return new AsaDeviceSpec(hostname, username, password, enableSecret, Mode.MULTIPLE, systemConfigBody,
                contexts, null, false, false, false);
    }

    public AsaDeviceSpec withBanner(String newBanner) {
        return new AsaDeviceSpec(hostname, username, password, enableSecret, mode, configBody, contexts, newBanner,
                autoEnable, pagingLocked, loginToAdminContext);
    }

    public AsaDeviceSpec withEnableSecret(String newSecret) {
        return new AsaDeviceSpec(hostname, username, password, newSecret, mode, configBody, contexts, banner,
                autoEnable, pagingLocked, loginToAdminContext);
    }

    /** No enable password configured (the ASA default): {@code enable} is answered with an empty line. */
    public AsaDeviceSpec withBlankEnablePassword() {
        return withEnableSecret("");
    }

    public AsaDeviceSpec withAutoEnable(boolean enabled) {
        return new AsaDeviceSpec(hostname, username, password, enableSecret, mode, configBody, contexts, banner,
                enabled, pagingLocked, loginToAdminContext);
    }

    public AsaDeviceSpec withPagingLocked(boolean locked) {
        return new AsaDeviceSpec(hostname, username, password, enableSecret, mode, configBody, contexts, banner,
                autoEnable, locked, loginToAdminContext);
    }

    public AsaDeviceSpec withLoginToAdminContext(boolean admin) {
        return new AsaDeviceSpec(hostname, username, password, enableSecret, mode, configBody, contexts, banner,
                autoEnable, pagingLocked, admin);
    }

    @Override
    public String toString() {
        return "AsaDeviceSpec[hostname=" + hostname + ", username=" + username + ", password=<redacted>"
                + ", enableSecret=" + (enableSecret.isEmpty() ? "blank" : "<redacted>") + ", mode=" + mode
                + ", configBody=" + configBody.length() + " chars, contexts="
                + contexts.stream().map(Context::name).toList() + ", banner=" + (banner == null ? "none" : "present")
                + ", autoEnable=" + autoEnable + ", pagingLocked=" + pagingLocked + ", loginToAdminContext="
                + loginToAdminContext + "]";
    }

    /**
     * Accepts {@code \r\n} or {@code \n} line ends and drops trailing blank lines. Trailing spaces inside lines are
     * kept: the ASA writes some ({@code  ip address 10.0.0.1 255.255.255.0 }) and they are part of the checksum.
     */
    static String normalizeBody(String body) {
        Objects.requireNonNull(body, "configBody");
        String text = body.replace("\r\n", "\n");
        while (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("configBody must not be blank");
        }
        return text;
    }

    /** The system configuration and the context list must describe the same contexts, as they do on a real box. */
    static void requireMatchingContexts(String systemBody, List<Context> contexts) {
        List<String> declared = AsaContexts.parse(systemBody).stream().map(AsaContexts.Entry::name).toList();
        List<String> given = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        for (Context context : contexts) {
            given.add(context.name());
            if (!unique.add(context.name())) {
                throw new IllegalArgumentException("context " + context.name() + " is given twice");
            }
        }
        if (declared.isEmpty()) {
            throw new IllegalArgumentException("the system configuration declares no 'context NAME' block");
        }
        if (!new HashSet<>(declared).equals(unique) || declared.size() != given.size()) {
            throw new IllegalArgumentException("the system configuration declares contexts " + declared
                    + " but bodies were given for " + given);
        }
        String admin = AsaContexts.adminContext(systemBody);
        if (admin == null || !unique.contains(admin)) {
            throw new IllegalArgumentException("the system configuration needs 'admin-context NAME' naming one of "
                    + declared + ", has " + admin);
        }
    }
}
