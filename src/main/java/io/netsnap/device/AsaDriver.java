package io.netsnap.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.PlatformTraits;

/**
 * Cisco ASA ({@code asa}), in single or multiple context mode.
 *
 * <p>Prompts start with a carriage return and end with a space ({@code \rfw1> }, {@code \rfw1# }); in multiple mode
 * the system execution space is {@code \rasa# } and a context {@code \rasa/DMZ# }. {@code enable} asks
 * {@code Password: } and echoes one {@code *} per typed character. The pager is {@code <--- More --->}.
 *
 * <p>Single mode is fetched with {@code more system:running-config}, which shows the real keys a restore needs
 * ({@code show running-config} prints {@code *****} for them). In multiple mode the system space and each context
 * are fetched separately, each in a session of its own, so a failing context costs only itself:
 * <pre>
 * \rasa# show mode
 * Security context mode: multiple
 * \rasa# changeto system
 * \rasa# show context
 * Context Name      Class                Interfaces           Mode         URL
 * *admin            default              GigabitEthernet0/0   Routed       disk0:/admin.cfg
 *  DMZ              default              GigabitEthernet0/1   Routed       disk0:/DMZ.cfg
 * Total active Security Contexts: 2
 * \rasa# changeto context DMZ
 * \rasa/DMZ# show running-config
 * : Saved                                                  volatile: every line starting ": "
 * : Written by enable_15 at 10:01:02.345 UTC Sun Jan 5 2025
 * ASA Version 9.16(4) &lt;context&gt;
 * ...
 * Cryptochecksum:0123456789abcdef0123456789abcdef          volatile: follows every write
 * : end
 * </pre>
 */
@Component
final class AsaDriver extends CliDriver implements ContextDriver {

    static final CliProfile PROFILE = CliProfile.builder()
            .prompt("(?:^|[\\r\\n])\\r*(?<host>[\\w.@-]+)(?:/[\\w.-]+)*(?:\\([\\w.-]+\\))?(?<mode>[>#]) ?\\z")
            .enable("enable", "(?i)password: ?\\z")
            .sessionSetup("terminal pager 0")
            .fetch("more system:running-config")
            .pager("<--- More ---> ?\\z", " ", "\\r +\\r")
            .errors("^ERROR:", "^% ?(Invalid input|Incomplete command|Ambiguous command|Unrecognized command)",
                    "^Command authorization failed", "^Access denied", "^Invalid password")
            .volatileLines(":", ": .*", "Cryptochecksum: ?\\S*")
            // enable password <hash> pbkdf2, passwd <x> encrypted, username u password <hash> pbkdf2,
            // ikev1 pre-shared-key <x>, aaa-server host block " key <x>", ldap-login-password <x>,
            // snmp-server host ... community <x>, failover key <x>, ospf message-digest-key 1 md5 <x>,
            // ntp authentication-key 1 md5 <x> (the key after md5, not the word md5)
            .secrets("(?:^|\\s)(?:password|passwd|pre-shared-key|key|ldap-login-password|community|md5"
                    + "|authentication-key) (?:hex |[0-9] )?+(?!md5\\b)(?<secret>\\S+)")
            .build();

    /**
     * What ASA accepts as a context name, and all netsnap ever types after {@code changeto context}; the inventory
     * checks listed contexts against the same rule. {@code null} is the ASA's own; {@code system} is where netsnap
     * stores the system execution space.
     */
    static final PlatformTraits.ContextRule CONTEXTS = new PlatformTraits.ContextRule(
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}"),
            "letters, digits, '_' and '-', starting with a letter or digit, at most 32 characters",
            java.util.Set.of(SYSTEM, "null"),
            "the system execution space is always backed up (as '" + SYSTEM + "') and is not a security context");
    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("asa").withContexts(CONTEXTS);

    /** A row of {@code show context}: the admin context is starred; wrapped interface lists start with spaces. */
    private static final Pattern CONTEXT_ROW = Pattern.compile("^[ *](?<name>\\S+)\\s+\\S+");
    private static final Pattern CONTEXT_TOTAL = Pattern.compile("Total active Security Contexts: (\\d+)");

    AsaDriver(SshConnector connector) {
        super(connector, PROFILE);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }

    @Override
    public Contexts discover(Device device, Credentials credentials) {
        try (CliSession session = fetcher.open(device, credentials)) {
            String mode = fetcher.run(device, session, "show mode");
            if (mode.contains("single")) {
                if (!device.contexts().isEmpty()) {
                    throw new DeviceException.Protocol(device.name(), "the inventory lists contexts "
                            + device.contexts() + " but the ASA is in single context mode");
                }
                return new Contexts(false, List.of());
            }
            if (!mode.contains("multiple")) {
                throw new DeviceException.Protocol(device.name(), "'show mode' gave no context mode: "
                        + firstLine(mode));
            }
            List<String> names = new ArrayList<>();
            names.add(SYSTEM);
            if (!device.contexts().isEmpty()) {
                names.addAll(device.contexts());
            } else {
                fetcher.run(device, session, "changeto system");
                names.addAll(parseContexts(device, fetcher.run(device, session, "show context")));
            }
            return new Contexts(true, names);
        }
    }

    @Override
    public FetchedConfig fetchContext(Device device, Credentials credentials, String context) {
        if (!SYSTEM.equals(context)) {
            requireContextName(device, context);
        }
        try (CliSession session = fetcher.open(device, credentials)) {
            fetcher.run(device, session, SYSTEM.equals(context) ? "changeto system" : "changeto context " + context);
            return fetcher.fetch(device, session, "show running-config");
        }
    }

    /** The context names of {@code show context}, checked against its own total so no context goes unnoticed. */
    static List<String> parseContexts(Device device, String output) {
        List<String> names = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        Integer total = null;
        for (String line : output.split("\n")) {
            Matcher totalLine = CONTEXT_TOTAL.matcher(line);
            if (totalLine.find()) {
                total = Integer.parseInt(totalLine.group(1));
                continue;
            }
            if (line.startsWith("Context Name")) {
                continue;
            }
            Matcher row = CONTEXT_ROW.matcher(line);
            if (row.find()) {
                String name = row.group("name");
                requireContextName(device, name);
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    // Each context becomes a file: two names that differ only in case would share one on some
                    // file systems.
                    throw new DeviceException.Protocol(device.name(), "'show context' lists '" + name
                            + "' twice (ignoring case); list the contexts in the inventory");
                }
                names.add(name);
            }
        }
        if (total == null || total != names.size()) {
            throw new DeviceException.Protocol(device.name(), "'show context' listed " + names.size()
                    + " contexts but " + (total == null ? "no total" : "a total of " + total)
                    + "; list the contexts in the inventory");
        }
        return names;
    }

    /** A security context's name: plain, and not one the ASA (or netsnap, for the system space) reserves. */
    private static void requireContextName(Device device, String context) {
        if (!CONTEXTS.isPlainName(context)) {
            throw new DeviceException.Protocol(device.name(), "context name '" + printable(context)
                    + "' is not a plain name (letters, digits, '_', '-'); netsnap will not type it into the ASA");
        }
        if (CONTEXTS.isReserved(context)) {
            throw new DeviceException.Protocol(device.name(), "context name '" + context + "' is reserved");
        }
    }

    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int cut = stripped.indexOf('\n');
        return "'" + (cut < 0 ? stripped : stripped.substring(0, cut)) + "'";
    }
}
