package io.netsnap.device;

import org.springframework.stereotype.Component;

import io.netsnap.inventory.PlatformTraits;

/**
 * Cisco NX-OS ({@code nxos}), Nexus switches.
 *
 * <p>Users land privileged; the prompt starts with a carriage return and ends with a space, and the echo of a
 * command ends {@code \r\n} on a Nexus 9000 but {@code \r\r\n} on a Nexus 5500:
 * <pre>
 * \rDC-NX-01# terminal length 0\r\r\n
 * \rDC-NX-01# show running-config\r\n
 * \r\n
 * !Command: show running-config
 * !Running configuration last done at: Tue Sep 30 09:02:26 2025     volatile: moves with every config session
 * !Time: Mon Dec  1 14:37:04 2025                                     volatile: the time of the fetch
 *
 * version 10.4(5) Bios:version 01.11
 * hostname DC-NX-01
 * ...
 * </pre>
 * A role without {@code permit command terminal length 0} gets {@code % Permission denied for the role} and the
 * pager stays on: reverse-video {@code \x1b[7m--More--\x1b[27m}, wiped with {@code \r\x1b[K} once answered.
 */
@Component
final class NxosDriver extends CliDriver {

    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("nxos");

    static final CliProfile PROFILE = CliProfile.builder()
            .prompt("(?:^|[\\r\\n])\\r*(?<host>[\\w.@-]+)(?:\\([\\w.-]+\\))?(?<mode>[>#]) ?\\z")
            .enable("enable", "(?i)password: ?\\z")
            .sessionSetup("terminal length 0", "terminal width 511")
            .fetch("show running-config")
            .pager("(?:\\x1b\\[7m)?--More--(?:\\x1b\\[(?:27)?m)? ?\\z", " ", "\\r\\x1b\\[K")
            .errors("^% ?(Invalid (command|parameter|range)|Incomplete command|Ambiguous command|Permission denied)",
                    "^Command (authorization failed|Rejected)")
            .volatileLines("!Time: .*", "!Running configuration last done at: .*")
            // username admin password 5 $5$..., snmp-server user admin network-admin auth md5 <key> priv aes-128 <key>,
            // tacacs-server key 7 "...", radius-server host 10.0.0.1 key 7 "...", hsrp: authentication md5 key-string
            // <key>, ip ospf message-digest-key 1 md5 3 <key>, ip ospf authentication-key 3 <key>, ntp
            // authentication-key 1 md5 <key> 7,
            // snmp-server host 192.0.2.60 traps version 2c COMMUNITY (but not the 'use-vrf' of its other lines)
            .secrets("(?:^|\\s)(?:password|key|key-string|authentication-key|md5) (?:[0-9] )?+"
                            + "(?!key-string\\b|md5\\b)(?<secret>\\S+)",
                    "(?:^|\\s)auth (?:md5|sha\\S*) (?<secret>\\S+)",
                    "(?:^|\\s)priv (?:aes-128 |3des )?(?<secret>\\S+)",
                    "snmp-server community (?<secret>\\S+)",
                    "snmp-server host \\S+ (?:(?:informs|traps) )?(?:version (?:1|2c|3 \\S+) )?"
                            + "(?!use-vrf\\b|filter-vrf\\b|source-interface\\b)(?<secret>\\S+)")
            .build();

    NxosDriver(SshConnector connector) {
        super(connector, PROFILE);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }
}
