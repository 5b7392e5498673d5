package io.netsnap.device;

import org.springframework.stereotype.Component;

import io.netsnap.inventory.PlatformTraits;

/**
 * Arista EOS ({@code eos}).
 *
 * <p>A user lands at {@code host>} (privilege 0-1) or {@code host#}; right after login EOS may put a VT100 status
 * request {@code \x1b[5n} in front of the first prompt, which has no trailing space. {@code enable} asks
 * {@code Password: } when an enable secret is set. Echo and output lines end in {@code \r\n}:
 * <pre>
 * Last login: Mon Dec  1 14:30:02 2025 from 192.0.2.200\r\r\n
 * \x1b[5nleaf1>enable\r\n
 * Password:\x20                                          the secret is not echoed
 * \r\n
 * leaf1#terminal length 0\r\n
 * Pagination disabled.\r\n
 * leaf1#terminal width 511\r\n
 * Width set to 511 columns.\r\n
 * leaf1#show running-config\r\n
 * ! Command: show running-config
 * ! Time: Mon Dec  1 14:30:09 2025                       older EOS; volatile: the time of the fetch
 * ! device: leaf1 (DCS-7050SX3-48YC8, EOS-4.29.2F)       kept: it changes with the model or an upgrade
 * !
 * ! boot system flash:/EOS-4.29.2F.swi
 * ...
 * end\r\n
 * leaf1#
 * </pre>
 * Config modes read {@code leaf1(config)#}, {@code leaf1(config-if-Et1/1)#}, {@code leaf1(config-s-sess4)#}.
 * Refusals start with {@code % } ({@code % Invalid input}, {@code % Incomplete command}, {@code % Ambiguous command},
 * {@code % Invalid input (privileged mode required)}, {@code % Authorization denied for command '...'}); but
 * {@code % Writing ...} is a notice and {@code %FACILITY-N-MNEMONIC} a syslog line. A role or TACACS+ command
 * authorization that refuses {@code terminal length 0} leaves the pager on: reverse video
 * {@code \x1b[7m --More-- \x1b[27m\x1b[K} after a page's last line, wiped with {@code \r\x1b[K} once answered.
 * Oxidized fetches {@code show running-config | no-more | exclude ! Time:}; netsnap turns paging off and answers the
 * pager where it cannot, and drops {@code ! Time:} by normalization, as it does for the other platforms.
 */
@Component
final class EosDriver extends CliDriver {

    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("eos");

    static final CliProfile PROFILE = CliProfile.builder()
            .prompt("(?:^|[\\r\\n])\\r*(?:\\x1b\\[5n)?(?<host>[\\w.-]+)(?:\\([^()\\s]+\\))?(?<mode>[>#]) ?\\z")
            .enable("enable", "[pP]assword: ?\\z")
            .sessionSetup("terminal length 0", "terminal width 511")
            .fetch("show running-config")
            // The reverse-video codes may arrive after ' --More-- ' has matched and been answered; whatever is left
            // of them is a terminal control sequence and is removed with the others.
            .pager("(?:\\x1b\\[7m)? ?--More-- ?(?:\\x1b\\[27m)?(?:\\x1b\\[K)?\\z", " ", "\\r\\x1b\\[K")
            .errors("^%%? (?!Writing\\b)\\S")
            .volatileLines("! Time: .*")
            // EOS shows every password and key with its type: username admin privilege 15 role network-admin
            // secret sha512 $6$..., aaa root secret sha512 ..., enable password sha512 $6$..., neighbor X password 7
            // ..., tacacs-server key 7 ..., radius-server host X key 7 ..., ip ospf authentication-key 7 ..., ntp
            // authentication-key 1 md5 7 ... (the key after md5, not md5); a bare 'key 1' is a key id
            // (ntp server vrf MGMT 192.0.2.123 key 1), not a secret
            .secrets("(?:^|\\s)(?:secret|password|key|authentication-key|md5|sha1) (?:sha512|[0-9]) "
                            + "(?!md5\\b|sha1\\b)(?<secret>\\S+)",
                    // a secret or password typed in clear without a type, should a release show one that way
                    "(?:^|\\s)(?:secret|password) (?!(?:sha512|[0-9]) \\S)(?<secret>\\S+)",
                    // a key with an id before its type, '      key 1a2b 7 <hex>': the key, not the id
                    "(?:^|\\s)key \\S+ [0-9] (?<secret>\\S+)",
                    // snmp-server user u g v3 auth sha <key> priv aes <key>
                    "(?:^|\\s)auth (?:md5|sha\\d*) (?<secret>\\S+)",
                    "(?:^|\\s)priv (?:des|3des|aes\\d*) (?<secret>\\S+)",
                    "snmp-server community (?<secret>\\S+)",
                    "snmp-server host \\S+ (?:vrf \\S+ )?(?:(?:informs|traps) )?(?:version (?:1|2c|3 \\S+) )?"
                            + "(?<secret>\\S+)",
                    "service unsupported-transceiver \\S+ (?<secret>\\S+)")
            .build();

    EosDriver(SshConnector connector) {
        super(connector, PROFILE);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }
}
