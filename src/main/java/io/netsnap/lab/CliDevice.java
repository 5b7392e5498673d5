package io.netsnap.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state shared by all sessions of one simulated CLI device, and the rendering of its profile's output templates.
 * Sessions run on their own threads, so everything mutable here is thread-safe.
 *
 * <p>Templates ({@code profiles/README.md}): a whole line {@code {build}} is a pause (or, for a hanging device, the
 * point where it falls silent), {@code {config}} the configuration body's lines, {@code {banner}} the banner's lines;
 * inside a line {@code {config-bytes}}, {@code {config-md5}}, {@code {now:PATTERN}}, {@code {fetch-time:PATTERN}},
 * {@code {changed:PATTERN}}, {@code {uptime:words|units}} and what the session knows ({@link Values}). Anything else
 * in braces is text ({@code {master:0}} on Junos). A value with line ends becomes several lines.
 */
final class CliDevice {

    /** A pause in an output: the device has printed what came before and works on the rest. */
    static final String BUILD = "{build}";
    /** The device's silence in the middle of {@code {config}} ({@link CliDeviceSpec#midOutputPause()}). */
    static final String MID_OUTPUT_PAUSE = "\u0000pause";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9-]*)(?::([^}]*))?}");

    /** A body and when it became the running configuration: they change together. */
    private record Config(String body, Instant lastChange) {
    }

    /** What a session knows that a template may show. */
    interface Values {

        /** The value of a placeholder the device does not know, or {@code null} to leave it as text. */
        String value(String name, String argument);

        /** What {@code {config}} shows in this session, given the device's body. */
        String configBody(String body);
    }

    /** A login, for the next one's {@code Last login:} line. */
    record Login(Instant time, String from, int count) {
    }

    private final CliDeviceSpec spec;
    private final Clock clock;
    private final Instant bootTime;
    private final CommandLog commands = new CommandLog();
    private final AtomicInteger configFetches = new AtomicInteger();
    private final Map<String, DateTimeFormatter> formats = new ConcurrentHashMap<>();
    private volatile Config config;
    private final AtomicInteger activeSessions = new AtomicInteger();
    private final AtomicInteger maxSessions = new AtomicInteger();
    private final CliSimulator.Extension.Device extension;
    private Instant lastFetchTime = Instant.MIN;
    private Login lastLogin;

    CliDevice(CliDeviceSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        this.extension = spec.extension() == null ? () -> new CliSimulator.Extension.Session() {
        } : spec.extension().start(spec.profile(), () -> config.body());
        Instant now = clock.instant();
        SimulatorProfile.LastLogin history = spec.profile().lastLogin();
        this.lastLogin = history == null ? null : new Login(now.minus(history.ago()), history.from(), history.count());
        this.bootTime = now.minus(spec.profile().uptime());
        this.config = new Config(spec.configBody(),
                now.minus(spec.profile().unchangedFor()).truncatedTo(ChronoUnit.SECONDS));
    }

    CliDeviceSpec spec() {
        return spec;
    }

    CommandLog commands() {
        return commands;
    }

    CliSimulator.Extension.Device extension() {
        return extension;
    }

    void updateConfigBody(String body) {
        String normalized = CliDeviceSpec.normalizeBody(spec.profile(), body);
        if (spec.extension() != null) {
            spec.extension().check(normalized);
        }
        config = new Config(normalized, clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Counts a session in; the caller must {@link #sessionEnded()} exactly once. */
    void sessionStarted() {
        maxSessions.accumulateAndGet(activeSessions.incrementAndGet(), Math::max);
    }

    void sessionEnded() {
        activeSessions.decrementAndGet();
    }

    int maxConcurrentSessions() {
        return maxSessions.get();
    }

    /** Records a login from {@code address}; returns the one before it. */
    synchronized Login login(String address) {
        Login previous = lastLogin;
        lastLogin = new Login(clock.instant(), address, previous.count() + 1);
        return previous;
    }

    /**
     * The lines of an output, with {@link #BUILD} and {@link #MID_OUTPUT_PAUSE} left in place for the session to pause
     * at. The body is read once, so {@code {config}}, {@code {config-bytes}} and {@code {config-md5}} always agree, and
     * each output that shows it is one more fetch: a drifting line moves on. {@code masked}: {@code {config}} hides
     * what the profile's masks match.
     */
    List<String> render(List<String> template, Values session, boolean masked) {
        List<String> body = null;
        List<String> lines = new ArrayList<>();
        for (String item : template) {
            if (body == null && (item.contains("{config"))) {
                body = fetchBody(session.configBody(config.body()));
            }
            switch (item) {
                case BUILD -> lines.add(BUILD);
                case "{config}" -> addBody(lines, masked ? body.stream().map(this::mask).toList() : body);
                case "{banner}" -> {
                    for (String line : spec.bannerLines()) {
                        lines.add(substitute(line, session, body));
                    }
                }
                default -> lines.addAll(List.of(substitute(item, session, body).split("\n", -1)));
            }
        }
        return lines;
    }

    private void addBody(List<String> lines, List<String> body) {
        int half = body.size() / 2;
        lines.addAll(body.subList(0, half));
        if (!spec.midOutputPause().isZero()) {
            lines.add(MID_OUTPUT_PAUSE);
        }
        lines.addAll(body.subList(half, body.size()));
    }

    /** A body line with what the first matching mask hides replaced by the profile's {@code mask-with}. */
    private String mask(String line) {
        for (Pattern pattern : spec.profile().masks()) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                return matcher.group(1) + spec.profile().maskWith() + line.substring(matcher.end());
            }
        }
        return line;
    }

    private List<String> fetchBody(String text) {
        int fetch = configFetches.incrementAndGet();
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        Pattern drift = spec.profile().drift();
        if (drift != null) {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = drift.matcher(lines.get(i));
                if (m.find()) {
                    // 37 and 97 are coprime: two consecutive fetches never show the same value.
                    long drifted = Long.parseLong(m.group(1)) + (fetch * 37L % 97) - 48;
                    String line = lines.get(i);
                    lines.set(i, line.substring(0, m.start(1)) + drifted + line.substring(m.end(1)));
                }
            }
        }
        return lines;
    }

    private String substitute(String template, Values session, List<String> body) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = value(m.group(1), m.group(2), session, body);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String name, String argument, Values session, List<String> body) {
        return switch (name) {
            case "config-bytes" -> Integer.toString(bytes(body));
            case "config-md5" -> md5(String.join("\n", body));
            case "now" -> format(argument, clock.instant());
            case "fetch-time" -> format(argument, nextFetchTime(argument != null && argument.contains("S")));
            case "changed" -> format(argument, config.lastChange());
            case "uptime" -> uptime(argument, Duration.between(bootTime, clock.instant()));
            default -> session.value(name, argument);
        };
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** The body's size as IOS counts it: UTF-8, one {@code \n} per line. */
    private static int bytes(List<String> body) {
        int bytes = 0;
        for (String line : body) {
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return bytes;
    }

    String format(String pattern, Instant instant) {
        if (pattern == null) {
            throw new IllegalArgumentException(spec.profile().platform() + ": a time placeholder needs a pattern");
        }
        return formats.computeIfAbsent(pattern,
                p -> DateTimeFormatter.ofPattern(p, Locale.ENGLISH).withZone(ZoneOffset.UTC)).format(instant);
    }

    /**
     * The current time to the second (to the millisecond when the pattern shows them, as the ASA's
     * {@code : Written by} line does), but always later than the previous one: a real NX-OS shows the same
     * {@code !Time:} for two fetches within one second, the simulator moves it on so that consecutive fetches always
     * differ in their volatile line, which is what a client's filter has to cope with.
     */
    private synchronized Instant nextFetchTime(boolean millis) {
        ChronoUnit unit = millis ? ChronoUnit.MILLIS : ChronoUnit.SECONDS;
        Instant now = clock.instant().truncatedTo(unit);
        lastFetchTime = now.isAfter(lastFetchTime) ? now : lastFetchTime.plus(1, unit);
        return lastFetchTime;
    }

    /**
     * {@code words} (IOS): {@code 3 weeks, 2 days, 4 hours, 17 minutes}, leading zero units left out; {@code units}
     * (NX-OS): {@code 23 day(s), 4 hour(s), 17 minute(s), 3 second(s)}, every unit always present.
     */
    static String uptime(String style, Duration up) {
        if ("units".equals(style)) {
            return up.toDays() + " day(s), " + up.toHoursPart() + " hour(s), " + up.toMinutesPart() + " minute(s), "
                    + up.toSecondsPart() + " second(s)";
        }
        if (!"words".equals(style)) {
            throw new IllegalArgumentException("uptime style is words or units, not '" + style + "'");
        }
        long minutes = up.toMinutes();
        long[] values = {minutes / (7 * 24 * 60), minutes / (24 * 60) % 7, minutes / 60 % 24, minutes % 60};
        String[] units = {"week", "day", "hour", "minute"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] > 0 || (i == values.length - 1 && parts.isEmpty())) {
                parts.add(values[i] + " " + units[i] + (values[i] == 1 ? "" : "s"));
            }
        }
        return String.join(", ", parts);
    }
}
