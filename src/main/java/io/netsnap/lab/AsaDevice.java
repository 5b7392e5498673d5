package io.netsnap.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.netsnap.lab.AsaDeviceSpec.Context;
import io.netsnap.lab.AsaDeviceSpec.Mode;

/**
 * The state shared by all sessions of one simulated ASA and the text of its configuration files. Sessions run on their
 * own threads: the configurations live in one immutable snapshot that an update swaps whole, and the counters are
 * atomic.
 */
final class AsaDevice {

    /** The user the ASA names in {@code : Written by} and {@code show curpriv} after a plain {@code enable}. */
    static final String ENABLE_15 = "enable_15";

    /**
     * {@code : Written by enable_15 at 20:03:32.236 UTC Mon Oct 21 2024}: milliseconds included, which is why two
     * fetches of an unchanged configuration still differ (compare {@code show version}'s jittering
     * {@code Configuration last modified by} line).
     */
    private static final DateTimeFormatter WRITTEN_TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS 'UTC' EEE MMM d yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** {@code Last login: 20:01:14 UTC Oct 21 2024 from 10.42.0.17}: no weekday, no milliseconds. */
    private static final DateTimeFormatter LOGIN_TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC' MMM d yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** A lab box has a login history before the simulator starts: it counts in the login lines. */
    private static final int EARLIER_LOGINS = 20;
    private static final Duration SINCE_EARLIER_LOGIN = Duration.ofHours(19).plusMinutes(42);
    private static final String EARLIER_LOGIN_ADDRESS = "192.0.2.25";

    /**
     * Hardware lines per mode: the single-context box is the ASA 5512-X of a recorded session, the multiple-context one
     * an ASA 5555-X on 9.16, where contexts are common. The serial numbers are made up.
     */
    private static final String SINGLE_VERSION = "ASA Version 9.12(4)67 ";
    private static final String SINGLE_HARDWARE =
            ": Hardware:   ASA5512, 4096 MB RAM, CPU Clarkdale 2800 MHz, 1 CPU (2 cores)";
    private static final String SINGLE_SERIAL = ": Serial Number: FCH17LAB512";
    private static final String SYSTEM_VERSION = "ASA Version 9.16(4) <system>";
    private static final String CONTEXT_VERSION = "ASA Version 9.16(4) <context>";
    private static final String MULTIPLE_HARDWARE =
            ": Hardware:   ASA5555, 16384 MB RAM, CPU Lynnfield 2800 MHz, 1 CPU (8 cores)";
    private static final String MULTIPLE_SERIAL = ": Serial Number: FCH18LAB555";

    /**
     * What {@code show running-config} replaces by {@code *****}. The keys are what every ASA release masks (ISSUE
     * ytti/oxidized#2518 and the PRs around it show {@code ikev1 pre-shared-key *****}, aaa-server {@code key *****},
     * {@code ldap-login-password *****}); pbkdf2 password hashes are masked too on the 9.x releases simulated here
     * ({@code enable password ***** pbkdf2}). {@code more system:running-config} shows everything.
     */
    private static final List<Pattern> MASKED = List.of(
            Pattern.compile("^(enable password )\\S+"),
            Pattern.compile("^(passwd )\\S+"),
            Pattern.compile("^(username \\S+ password )\\S+"),
            Pattern.compile("^(\\s*ikev[12] (?:(?:remote|local)-authentication )?pre-shared-key (?:hex )?)\\S+"),
            Pattern.compile("^(\\s+key )\\S+"),
            Pattern.compile("^(\\s*ldap-login-password )\\S+"),
            Pattern.compile("^(snmp-server community )\\S+"),
            Pattern.compile("^(snmp-server host \\S+ \\S+ community )\\S+"),
            Pattern.compile("^(failover key )\\S+"));
    static final String MASK = "*****";

    /** An immutable view of every configuration, swapped whole by an update so a fetch never sees half of one. */
    private record Configs(String main, Map<String, String> contexts) {
    }

    private final AsaDeviceSpec spec;
    private final Clock clock;
    private volatile Configs configs;
    private final CommandLog commands = new CommandLog();
    private final AtomicInteger activeSessions = new AtomicInteger();
    private final AtomicInteger maxSessions = new AtomicInteger();
    private final AtomicLong lastWrittenMillis = new AtomicLong();
    private final Object logins = new Object();
    private int loginCount = EARLIER_LOGINS;
    private Instant lastLoginTime;
    private String lastLoginAddress = EARLIER_LOGIN_ADDRESS;

    AsaDevice(AsaDeviceSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        Map<String, String> contexts = new LinkedHashMap<>();
        for (Context context : spec.contexts()) {
            contexts.put(context.name(), context.configBody());
        }
        this.configs = new Configs(spec.configBody(), Map.copyOf(contexts));
        this.lastLoginTime = clock.instant().minus(SINCE_EARLIER_LOGIN);
    }

    AsaDeviceSpec spec() {
        return spec;
    }

    boolean multiple() {
        return spec.mode() == Mode.MULTIPLE;
    }

    /** Single mode: the running configuration; multiple mode: the system configuration (contexts must still match). */
    synchronized void updateConfigBody(String body) {
        String normalized = AsaDeviceSpec.normalizeBody(body);
        if (multiple()) {
            List<Context> current = configs.contexts().entrySet().stream()
                    .map(entry -> new Context(entry.getKey(), entry.getValue())).toList();
            AsaDeviceSpec.requireMatchingContexts(normalized, current);
        }
        configs = new Configs(normalized, configs.contexts());
    }

    synchronized void updateContextConfigBody(String context, String body) {
        if (!configs.contexts().containsKey(context)) {
            throw new IllegalArgumentException("no security context named " + context);
        }
        Map<String, String> contexts = new LinkedHashMap<>(configs.contexts());
        contexts.put(context, AsaDeviceSpec.normalizeBody(body));
        configs = new Configs(configs.main(), Map.copyOf(contexts));
    }

    CommandLog commands() {
        return commands;
    }

    /** Counts a session in; the caller must {@link #sessionEnded()} exactly once. */
    void sessionStarted() {
        int now = activeSessions.incrementAndGet();
        maxSessions.accumulateAndGet(now, Math::max);
    }

    void sessionEnded() {
        activeSessions.decrementAndGet();
    }

    int maxConcurrentSessions() {
        return maxSessions.get();
    }

    /**
     * The lines an ASA prints between authentication and the first prompt, recording this login for the next one:
     *
     * <pre>
     * User netsnap logged in to fw1
     * Logins over the last 91 days: 21.  Last login: 10:00:00 UTC Jan 5 2025 from 192.0.2.25
     * Failed logins since the last login: 0.{space}
     * Type help or '?' for a list of available commands.
     * </pre>
     */
    List<String> loginLines(String clientAddress) {
        String previous;
        int count;
        synchronized (logins) {
            count = ++loginCount;
            previous = LOGIN_TIME.format(lastLoginTime) + " from " + lastLoginAddress;
            lastLoginTime = clock.instant();
            lastLoginAddress = clientAddress;
        }
        return List.of(
                "User " + spec.username() + " logged in to " + spec.hostname(),
                "Logins over the last 91 days: " + count + ".  Last login: " + previous,
                "Failed logins since the last login: 0. ",
                "Type help or '?' for a list of available commands.");
    }

    /** The contexts the system configuration declares, in its order. */
    List<AsaContexts.Entry> contexts() {
        return AsaContexts.parse(configs.main());
    }

    String adminContext() {
        return AsaContexts.adminContext(configs.main());
    }

    boolean hasContext(String name) {
        return configs.contexts().containsKey(name);
    }

    boolean transparent(String context) {
        return configs.contexts().get(context).lines().anyMatch(line -> line.equals("firewall transparent"));
    }

    /**
     * A configuration file as the ASA prints it: single mode or system space when {@code context} is {@code null}.
     * The header's {@code : Written by} time is new on every call; the checksum is the MD5 of the body, so it moves
     * only when the body does, and it is the same masked or not:
     *
     * <pre>
     * : Saved
     *
     * :{space}
     * : Serial Number: FCH17LAB512
     * : Hardware:   ASA5512, 4096 MB RAM, CPU Clarkdale 2800 MHz, 1 CPU (2 cores)
     * : Written by enable_15 at 10:01:02.345 UTC Sun Jan 5 2025
     * !
     * ASA Version 9.12(4)67{space}
     * !
     * hostname fw1
     * ...
     * Cryptochecksum:6a0c2f1e9d9b4e4f8a1b2c3d4e5f6a7b
     * : end
     * </pre>
     *
     * A context's file has no {@code : Serial Number} line (the serial belongs to the system; not verified on a
     * device) and reads {@code ASA Version 9.16(4) <context>}.
     *
     * @param masked {@code true} for {@code show running-config}, {@code false} for {@code more system:running-config}
     */
    List<String> configFile(String context, boolean masked) {
        Configs snapshot = configs;
        String body = context == null ? snapshot.main() : snapshot.contexts().get(context);
        List<String> lines = new ArrayList<>();
        lines.add(": Saved");
        lines.add("");
        lines.add(": ");
        if (!multiple()) {
            lines.add(SINGLE_SERIAL);
            lines.add(SINGLE_HARDWARE);
        } else {
            if (context == null) {
                lines.add(MULTIPLE_SERIAL);
            }
            lines.add(MULTIPLE_HARDWARE);
        }
        lines.add(": Written by " + ENABLE_15 + " at " + WRITTEN_TIME.format(nextWrittenTime()));
        lines.add("!");
        lines.add(!multiple() ? SINGLE_VERSION : context == null ? SYSTEM_VERSION : CONTEXT_VERSION);
        for (String line : body.split("\n", -1)) {
            lines.add(masked ? mask(line) : line);
        }
        lines.add("Cryptochecksum:" + md5(body));
        lines.add(": end");
        lines.add("");
        return lines;
    }

    /** The context whose file is {@code url} (its {@code config-url}), or {@code null}. */
    String contextAt(String url) {
        for (AsaContexts.Entry entry : contexts()) {
            if (entry.url().equals(url)) {
                return entry.name();
            }
        }
        return null;
    }

    static String mask(String line) {
        for (Pattern pattern : MASKED) {
            var matcher = pattern.matcher(line);
            if (matcher.find()) {
                return matcher.group(1) + MASK + line.substring(matcher.end());
            }
        }
        return line;
    }

    /** The clock, but strictly later than the previous call, so two fetches within a millisecond still differ. */
    private Instant nextWrittenTime() {
        long now = clock.millis();
        return Instant.ofEpochMilli(lastWrittenMillis.updateAndGet(last -> Math.max(now, last + 1)));
    }

    private static String md5(String body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(digest.digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
