package io.netsnap.device;

import org.springframework.stereotype.Component;

import io.netsnap.inventory.PlatformTraits;

/**
 * Cisco IOS and IOS-XE ({@code ios}).
 *
 * <p>What the device does, and what the profile answers:
 * <pre>
 * LAB-SW123_9200L#show running-config
 * Building configuration...                          volatile; long configs pause here for seconds
 *
 * Current configuration : 20546 bytes                 volatile
 * !
 * ! Last configuration change at 09:37:40 CEST Tue Aug 20 2024 by oxidized     volatile
 * ! NVRAM config last updated at 09:37:37 CEST Tue Aug 20 2024 by oxidized     volatile
 * ...
 * ntp clock-period 36028797018963968                  drifts on old IOS: volatile
 * end
 * </pre>
 * A user without privilege 15 lands at {@code host>} and needs {@code enable} + {@code Password:}. Paging is
 * {@code  --More-- } until {@code terminal length 0}; after a space IOS erases the pager with backspaces.
 */
@Component
final class IosDriver extends CliDriver {

    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("ios");

    static final CliProfile PROFILE = CliProfile.builder()
            .prompt("(?:^|[\\r\\n])\\r*(?<host>[\\w.@()/:-]+?)(?:\\([\\w.-]+\\))?(?<mode>[>#]) ?\\z")
            .enable("enable", "(?i)password: ?\\z")
            .sessionSetup("terminal length 0", "terminal width 0")
            .fetch("show running-config")
            // The pager's trailing space can arrive after " --More--" has matched and been answered: strip it too.
            .pager(" ?--More-- ?\\z", " ", " ?\\x08+ *\\x08*")
            .errors("^% ?(Invalid input|Incomplete command|Ambiguous command|Bad secret|Access denied"
                            + "|Authentication failed|Permission denied|This command is not authorized|No password set)",
                    "^Command (authorization failed|Rejected)")
            .volatileLines("Building configuration\\.\\.\\.",
                    "Current configuration : \\d+ bytes",
                    "! Last configuration change at .*",
                    "! NVRAM config last updated at .*",
                    "! No configuration change since last restart.*",
                    "ntp clock-period \\d+")
            // enable secret 9 $9$..., username x privilege 15 secret 9 ..., line vty / password 7 ..., tacacs key 7 ...,
            // key-string 7 ..., ntp authentication-key 1 md5 ..., snmp-server community PUBLIC RO,
            // ip ospf authentication-key 7 ..., standby 10 authentication md5 key-string 7 ... (the key, not the
            // word key-string; in 'ntp authentication-key 1 md5 ...' the key after md5), snmp-server host 192.0.2.60
            // version 2c COMMUNITY
            .secrets("(?:^|\\s)(?:secret|password|key|key-string|authentication-key|md5|pre-shared-key)"
                            + " (?:[0-9] )?+(?!chain\\b|key-string\\b|md5\\b)(?<secret>\\S+)",
                    "snmp-server community (?<secret>\\S+)",
                    "snmp-server host \\S+ (?:vrf \\S+ )?(?:(?:informs|traps) )?(?:version (?:1|2c|3 \\S+) )?"
                            + "(?<secret>\\S+)")
            .build();

    IosDriver(SshConnector connector) {
        super(connector, PROFILE);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }
}
