package io.netsnap.lab;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The state shared by all sessions of one simulated Nexus switch and the text of its show commands. Sessions run on
 * their own threads, so everything mutable here is thread-safe.
 */
final class NxosDevice {

    /** NX-OS pads the day of month with a space: {@code Mon Dec  1 14:37:04 2025}. */
    private static final DateTimeFormatter NXOS_TIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final Duration UPTIME_AT_START = Duration.ofDays(23).plusHours(4).plusMinutes(17);
    /** How long before the simulator's start the configuration was last changed. */
    private static final Duration UNCHANGED_AT_START = Duration.ofDays(6).plusHours(3).plusMinutes(41);

    /**
     * The legal banner NX-OS prints after login and at the top of {@code show version}. The first four lines are
     * the real ones; a real switch follows them with some fifteen lines of third-party and GPL/LGPL licence notices,
     * shortened here to a few lines in the same spirit (clients skip the banner as a whole).
     */
    static final List<String> BANNER = List.of(
            "Cisco Nexus Operating System (NX-OS) Software",
            "TAC support: http://www.cisco.com/tac",
            "Copyright (C) 2002-2025, Cisco and/or its affiliates.",
            "All rights reserved.",
            "Some components of this software are third-party works used under their own",
            "licences, among them GPL 2.0, GPL 3.0, LGPL 2.0 and LGPL 2.1; see",
            "http://www.opensource.org/licenses/gpl-2.0.php and",
            "http://www.gnu.org/licenses/old-licenses/library.txt.");

    /** A body and when it became the running configuration: they change together. */
    private record Config(String body, Instant lastChange) {
    }

    private final NxosDeviceSpec spec;
    private final Clock clock;
    private final Instant bootTime;
    private final CommandLog commands = new CommandLog();
    private volatile Config config;
    private Instant lastTimestamp = Instant.MIN;

    NxosDevice(NxosDeviceSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        Instant now = clock.instant();
        this.bootTime = now.minus(UPTIME_AT_START);
        this.config = new Config(spec.configBody(), now.minus(UNCHANGED_AT_START).truncatedTo(ChronoUnit.SECONDS));
    }

    NxosDeviceSpec spec() {
        return spec;
    }

    CommandLog commands() {
        return commands;
    }

    void updateConfigBody(String body) {
        config = new Config(NxosDeviceSpec.normalizeBody(body), clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The whole output of {@code show running-config}: a blank line, the header, a blank line, the body and a
     * closing blank line (captured on a C93180YC-FX3, NX-OS 10.4(5)):
     *
     * <pre>
     *
     * !Command: show running-config
     * !Running configuration last done at: Tue Sep 30 09:02:26 2025
     * !Time: Mon Dec  1 14:37:04 2025
     *
     * version 10.4(5) Bios:version 01.11
     * hostname TEST-12345
     * ...
     * </pre>
     *
     * {@code !Time:} is the time of the call, {@code !Running configuration last done at:} moves only when the
     * configuration changes. The header names the command in full even when the user abbreviated it.
     */
    List<String> runningConfig() {
        Config current = config;
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("!Command: show running-config");
        lines.add("!Running configuration last done at: " + NXOS_TIME.format(current.lastChange()));
        lines.add("!Time: " + NXOS_TIME.format(nextTimestamp()));
        lines.add("");
        lines.addAll(List.of(current.body().split("\n", -1)));
        lines.add("");
        return lines;
    }

    /**
     * The current time to the second, but always later than the previous one: a real switch shows the same
     * {@code !Time:} for two fetches within one second, the simulator moves it on so that consecutive fetches always
     * differ in their volatile line, which is what a client's filter has to cope with.
     */
    private synchronized Instant nextTimestamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        lastTimestamp = now.isAfter(lastTimestamp) ? now : lastTimestamp.plusSeconds(1);
        return lastTimestamp;
    }

    /** A shortened {@code show version} of a Nexus 9300 on NX-OS 10.4(5). */
    List<String> showVersion() {
        List<String> lines = new ArrayList<>(BANNER);
        lines.addAll(List.of(
                "",
                "Software",
                "  BIOS: version 01.11",
                "  NXOS: version 10.4(5)",
                "  BIOS compile time:  05/29/2024",
                "  NXOS image file is: bootflash:///nxos64-cs.10.4.5.M.bin",
                "  NXOS compile time:  3/10/2025 12:00:00 [03/10/2025 21:04:16]",
                "",
                "Hardware",
                "  cisco Nexus9000 C93180YC-FX3 Chassis",
                "  Intel(R) Xeon(R) CPU D-1528 @ 1.90GHz with 32823832 kB of memory.",
                "  Processor Board ID FDO00000000",
                "",
                "  Device name: " + spec.hostname(),
                "  bootflash: 115805708 kB",
                "",
                "Kernel uptime is " + uptime(Duration.between(bootTime, clock.instant())),
                "",
                "Last reset",
                "  Reason: Unknown",
                "  System version: 10.4(5)",
                ""));
        return lines;
    }

    /** NX-OS style: {@code 23 day(s), 4 hour(s), 17 minute(s), 3 second(s)}, every unit always present. */
    static String uptime(Duration up) {
        return up.toDays() + " day(s), " + up.toHoursPart() + " hour(s), " + up.toMinutesPart() + " minute(s), "
                + up.toSecondsPart() + " second(s)";
    }
}
