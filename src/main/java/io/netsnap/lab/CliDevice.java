package io.netsnap.lab;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * inside a line {@code {hostname}}, {@code {username}}, {@code {privilege}}, {@code {argument}}, {@code {line}},
 * {@code {config-bytes}}, {@code {now:PATTERN}}, {@code {fetch-time:PATTERN}}, {@code {changed:PATTERN}} and
 * {@code {uptime:words|units}}. Anything else in braces is text ({@code {master:0}} on Junos).
 */
final class CliDevice {

    /** A pause in an output: the device has printed what came before and works on the rest. */
    static final String BUILD = "{build}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]+)(?::([^}]*))?}");

    /** A body and when it became the running configuration: they change together. */
    private record Config(String body, Instant lastChange) {
    }

    /** What a session knows that a template may show. */
    record SessionValues(String hostname, String username, int privilege, int argument, String line) {
    }

    private final CliDeviceSpec spec;
    private final Clock clock;
    private final Instant bootTime;
    private final CommandLog commands = new CommandLog();
    private final AtomicInteger configFetches = new AtomicInteger();
    private final Map<String, DateTimeFormatter> formats = new ConcurrentHashMap<>();
    private volatile Config config;
    private Instant lastFetchTime = Instant.MIN;

    CliDevice(CliDeviceSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        Instant now = clock.instant();
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

    void updateConfigBody(String body) {
        config = new Config(CliDeviceSpec.normalizeBody(spec.profile(), body),
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The lines of an output, with {@link #BUILD} left in place for the session to pause at. The body is read once,
     * so {@code {config}} and {@code {config-bytes}} always agree, and each output that shows it is one more fetch:
     * a drifting line moves on.
     */
    List<String> render(List<String> template, SessionValues session) {
        List<String> body = null;
        List<String> lines = new ArrayList<>();
        for (String item : template) {
            if (body == null && (item.contains("{config"))) {
                body = fetchBody();
            }
            switch (item) {
                case BUILD -> lines.add(BUILD);
                case "{config}" -> lines.addAll(body);
                case "{banner}" -> {
                    for (String line : spec.bannerLines()) {
                        lines.add(substitute(line, session, body));
                    }
                }
                default -> lines.add(substitute(item, session, body));
            }
        }
        return lines;
    }

    private List<String> fetchBody() {
        int fetch = configFetches.incrementAndGet();
        List<String> lines = new ArrayList<>(List.of(config.body().split("\n", -1)));
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

    private String substitute(String template, SessionValues session, List<String> body) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = value(m.group(1), m.group(2), session, body);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String name, String argument, SessionValues session, List<String> body) {
        return switch (name) {
            case "hostname" -> session.hostname();
            case "username" -> session.username();
            case "privilege" -> Integer.toString(session.privilege());
            case "argument" -> Integer.toString(session.argument());
            case "line" -> session.line();
            case "config-bytes" -> Integer.toString(bytes(body));
            case "now" -> format(argument, clock.instant());
            case "fetch-time" -> format(argument, nextFetchTime());
            case "changed" -> format(argument, config.lastChange());
            case "uptime" -> uptime(argument, Duration.between(bootTime, clock.instant()));
            default -> null;
        };
    }

    /** The body's size as IOS counts it: UTF-8, one {@code \n} per line. */
    private static int bytes(List<String> body) {
        int bytes = 0;
        for (String line : body) {
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return bytes;
    }

    private String format(String pattern, Instant instant) {
        if (pattern == null) {
            throw new IllegalArgumentException(spec.profile().platform() + ": a time placeholder needs a pattern");
        }
        return formats.computeIfAbsent(pattern,
                p -> DateTimeFormatter.ofPattern(p, Locale.ENGLISH).withZone(ZoneOffset.UTC)).format(instant);
    }

    /**
     * The current time to the second, but always later than the previous one: a real NX-OS shows the same
     * {@code !Time:} for two fetches within one second, the simulator moves it on so that consecutive fetches always
     * differ in their volatile line, which is what a client's filter has to cope with.
     */
    private synchronized Instant nextFetchTime() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        lastFetchTime = now.isAfter(lastFetchTime) ? now : lastFetchTime.plusSeconds(1);
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
