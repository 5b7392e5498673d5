package io.netsnap.lab;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The state shared by all sessions of one simulated ISE node and the text of its show commands. Sessions run on their
 * own threads, so everything mutable here is thread-safe.
 */
final class IseDevice {

    /** The Linux {@code Last login:} format: {@code Mon Jan  6 09:12:44 2025}. */
    private static final DateTimeFormatter LOGIN_TIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** Someone logged in the day before the lab started, from a jump host. */
    private static final Duration FIRST_LOGIN_BEFORE_START = Duration.ofHours(26).plusMinutes(13);
    private static final String FIRST_LOGIN_FROM = "192.0.2.50";
    /** Every lab client connects over loopback. */
    private static final String LAB_CLIENT = SimulatorServer.HOST;

    private final IseDeviceSpec spec;
    private final Clock clock;
    private final CommandLog commands = new CommandLog();
    private volatile String configBody;
    private Instant lastLogin;
    private String lastLoginFrom = FIRST_LOGIN_FROM;

    IseDevice(IseDeviceSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        this.configBody = spec.configBody();
        this.lastLogin = clock.instant().minus(FIRST_LOGIN_BEFORE_START);
    }

    IseDeviceSpec spec() {
        return spec;
    }

    CommandLog commands() {
        return commands;
    }

    void updateConfigBody(String body) {
        configBody = IseDeviceSpec.normalizeBody(body);
    }

    List<String> configBody() {
        return List.of(configBody.split("\n", -1));
    }

    /** {@code Last login: <previous login> from <its address>}, and this login becomes the previous one. */
    synchronized String login() {
        String line = "Last login: " + LOGIN_TIME.format(lastLogin) + " from " + lastLoginFrom;
        lastLogin = clock.instant();
        lastLoginFrom = LAB_CLIENT;
        return line;
    }

    /** The ADE-OS {@code show version} of an ISE 3.2 node. */
    List<String> showVersion() {
        return List.of(
                "Cisco Application Deployment Engine OS Release: 3.2",
                "ADE-OS Build Version: 3.2.0.401",
                "ADE-OS System Architecture: x86_64",
                "",
                "Copyright (c) 2005-2022 by Cisco Systems, Inc.",
                "All rights reserved.",
                "Hostname: " + spec.hostname(),
                "",
                "",
                "Version information of installed applications",
                "---------------------------------------------",
                "",
                "Cisco Identity Services Engine",
                "---------------------------------------------",
                "Version      : 3.2.0.542",
                "Build Date   : Tue Aug 30 05:21:58 2022",
                "Install Date : Fri Sep 23 09:25:02 2022");
    }
}
