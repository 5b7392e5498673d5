package io.netsnap.device;

import org.springframework.stereotype.Component;

import io.netsnap.inventory.PlatformTraits;

/**
 * Cisco ISE ({@code ise}), the ADE-OS admin CLI.
 *
 * <p>The prompt is {@code host/user#}; there is no enable mode. A login may first offer disconnected sessions:
 * <pre>
 * Following disconnected ssh sessions are available to resume.
 * [1] 875.User-Friday_Jan_17_08:26:00_2020
 * Enter session number to resume or press &lt;Enter&gt; to start a new one:
 * </pre>
 * and netsnap always starts a new one. ISE is slow: {@code show running-config} prints
 * {@code Generating configuration...} and then may stay silent for many seconds, in bursts; the per-command idle
 * timeout (inventory {@code timeout}, 60 s by default) and the per-device ceiling cover it, never a fixed wait. Give
 * large deployments {@code timeout: PT180S}.
 */
@Component
final class IseDriver extends CliDriver {

    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("ise");

    static final CliProfile PROFILE = CliProfile.builder()
            .prompt("(?:^|[\\r\\n])\\r*(?<host>[\\w.-]+)/[\\w.@-]+(?:\\([\\w.-]+\\))?(?<mode>[>#]) ?\\z")
            .loginAnswer("(?i)press <Enter> to start a new one: ?\\z", "\n")
            .loginAnswer("(?i)press <Enter> to continue\\.? ?\\z", "\n")
            .sessionSetup("terminal length 0")
            .fetch("show running-config")
            .pager(" ?--More-- ?\\z", " ", " ?\\x08+ *\\x08*|\\r +\\r")
            .errors("^% ?(Invalid input|Incomplete command|Ambiguous command|Permission denied|Unknown command)")
            .volatileLines("Generating configuration\\.\\.\\.")
            // username admin password hash $5$... role admin; repository: user backup password plain <x>;
            // snmp-server community <x> ro; ntp authentication-key 1 md5 plain <x>
            .secrets("(?:^|\\s)password (?:hash |plain )?(?<secret>\\S+)",
                    "(?:^|\\s)md5 (?:hash |plain )?(?<secret>\\S+)",
                    "snmp-server community (?<secret>\\S+)")
            .build();

    IseDriver(SshConnector connector) {
        super(connector, PROFILE);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }
}
