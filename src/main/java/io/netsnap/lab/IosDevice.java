package io.netsnap.lab;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state shared by all sessions of one simulated device and the text of its show commands. Sessions run on their
 * own threads, so everything mutable here is thread-safe.
 */
final class IosDevice {

    private static final DateTimeFormatter CONFIG_TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC' EEE MMM d yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK_TIME =
            DateTimeFormatter.ofPattern("'*'HH:mm:ss.SSS 'UTC' EEE MMM d yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Pattern NTP_CLOCK_PERIOD = Pattern.compile("^ntp clock-period (\\d+)$");
    /** Boxes in a lab have been up for a while; a fresh uptime would look like a reload to a diffing tool. */
    private static final Duration UPTIME_AT_START = Duration.ofDays(23).plusHours(4).plusMinutes(17);

    private final IosDeviceSpec spec;
    private final Clock clock;
    private final Instant bootTime;
    private volatile String configBody;
    private final AtomicInteger configFetches = new AtomicInteger();
    private final CommandLog commands = new CommandLog();

    IosDevice(IosDeviceSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        this.bootTime = clock.instant().minus(UPTIME_AT_START);
        this.configBody = spec.configBody();
    }

    IosDeviceSpec spec() {
        return spec;
    }

    void updateConfigBody(String body) {
        configBody = IosDeviceSpec.normalizeBody(body);
    }

    CommandLog commands() {
        return commands;
    }

    /**
     * The lines of {@code show running-config} after {@code Building configuration...}: the header with the byte
     * count and the change timestamps, then the body. The timestamps are the current time and {@code ntp clock-period}
     * drifts on every call, as on old IOS, so consecutive fetches always differ in their volatile lines.
     */
    List<String> runningConfigAfterBuilding() {
        List<String> body = driftedBody(configFetches.incrementAndGet());
        int bytes = 0;
        for (String line : body) {
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        Instant now = clock.instant();
        List<String> lines = new ArrayList<>(body.size() + 8);
        lines.add("");
        lines.add("Current configuration : " + bytes + " bytes");
        lines.add("!");
        lines.add("! Last configuration change at " + CONFIG_TIME.format(now) + " by admin");
        lines.add("! NVRAM config last updated at " + CONFIG_TIME.format(now.minusSeconds(3)) + " by admin");
        lines.add("!");
        lines.addAll(body);
        lines.add("");
        return lines;
    }

    private List<String> driftedBody(int fetch) {
        List<String> lines = new ArrayList<>(List.of(configBody.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            Matcher ntp = NTP_CLOCK_PERIOD.matcher(lines.get(i));
            if (ntp.matches()) {
                // 37 and 97 are coprime: two consecutive fetches never show the same period.
                long drifted = Long.parseLong(ntp.group(1)) + (fetch * 37L % 97) - 48;
                lines.set(i, "ntp clock-period " + drifted);
            }
        }
        return lines;
    }

    List<String> showVersion() {
        String uptime = uptime(Duration.between(bootTime, clock.instant()));
        return List.of(
                "Cisco IOS XE Software, Version 17.09.04a",
                "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_LITE_IOSXE), Version 17.9.4a,"
                        + " RELEASE SOFTWARE (fc3)",
                "Technical Support: http://www.cisco.com/techsupport",
                "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
                "Compiled Fri 20-Oct-23 10:44 by mcpre",
                "",
                "ROM: IOS-XE ROMMON",
                "BOOTLDR: System Bootstrap, Version 17.9.1r, RELEASE SOFTWARE (P)",
                "",
                spec.hostname() + " uptime is " + uptime,
                "Uptime for this control processor is " + uptime,
                "System returned to ROM by Reload Command",
                "System image file is \"flash:packages.conf\"",
                "Last reload reason: Reload Command",
                "",
                "cisco C9200L-24P-4G (ARM64) processor with 1343286K/3071K bytes of memory.",
                "Processor board ID JAE00000000",
                "24 Gigabit Ethernet interfaces",
                "4 Ten Gigabit Ethernet interfaces",
                "2048K bytes of non-volatile configuration memory.",
                "",
                "Configuration register is 0x102",
                "");
    }

    String showClock() {
        return CLOCK_TIME.format(clock.instant());
    }

    /** IOS style: {@code 3 weeks, 2 days, 4 hours, 17 minutes}, leading zero units left out. */
    static String uptime(Duration up) {
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
