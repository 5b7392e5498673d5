package io.netsnap.device;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;

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
final class IosDriver implements DeviceDriver {

    static final CliProfile PROFILE = new CliProfile(
            Pattern.compile("(?:^|[\\r\\n])\\r*(?<host>[\\w.@()/:-]+?)(?:\\([\\w.-]+\\))?(?<mode>[>#]) ?\\z"),
            Pattern.compile("(?i)password: ?\\z"),
            "enable",
            List.of("terminal length 0", "terminal width 0"),
            "show running-config",
            Pattern.compile(" ?--More-- ?\\z"),
            " ",
            // The pager's trailing space can arrive after " --More--" has matched and been answered: strip it too.
            Pattern.compile(" ?\\x08+ *\\x08*"),
            List.of(Pattern.compile("^% ?(Invalid input|Incomplete command|Ambiguous command|Bad secret|Access denied"
                            + "|Authentication failed|Permission denied|This command is not authorized)"),
                    Pattern.compile("^Command (authorization failed|Rejected)")),
            List.of(Pattern.compile("Building configuration\\.\\.\\."),
                    Pattern.compile("Current configuration : \\d+ bytes"),
                    Pattern.compile("! Last configuration change at .*"),
                    Pattern.compile("! NVRAM config last updated at .*"),
                    Pattern.compile("! No configuration change since last restart.*"),
                    Pattern.compile("ntp clock-period \\d+")),
            "exit");

    private final CliFetcher fetcher;

    IosDriver(SshConnector connector) {
        this.fetcher = new CliFetcher(connector, PROFILE);
    }

    @Override
    public String platform() {
        return "ios";
    }

    @Override
    public FetchedConfig fetch(Device device, Credentials credentials) {
        return fetcher.fetch(device, credentials);
    }
}
