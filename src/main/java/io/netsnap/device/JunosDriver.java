package io.netsnap.device;

import org.springframework.stereotype.Component;

import io.netsnap.inventory.PlatformTraits;

/**
 * Juniper Junos ({@code junos}): SRX, EX, QFX, MX.
 *
 * <p>There is no enable: every user lands in operational mode at {@code user@host> } (trailing space) and what it
 * may see is decided by its login class. The echo of a command ends with a space before {@code \r\n}, and a blank
 * line comes before each prompt; on a virtual chassis or a cluster the line above the prompt names the member
 * ({@code {master:0}}, {@code {primary:node0}}):
 * <pre>
 * netsnap@srx1&gt; set cli screen-length 0 \r\n
 * Screen length set to 0
 *
 * netsnap@srx1&gt; show configuration | display omit \r\n
 * ## Last commit: 2024-12-06 11:41:05 UTC by admin       volatile: moves with every commit, even an empty one
 * version 22.4R3-S2.11;
 * system {
 *     root-authentication {
 *         encrypted-password "$6$..."; ## SECRET-DATA     Junos marks its secrets itself
 *     }
 * ...
 *
 * {master:0}                                             volatile: the member that answered, not configuration
 * netsnap@ex-vc1&gt;
 * </pre>
 * {@code | display omit} (as Oxidized fetches) also shows statements marked {@code apply-flags omit}, which a plain
 * {@code show configuration} hides; the hierarchical form is what {@code load override} restores. A class that denies
 * {@code set cli screen-length} leaves the pager on: {@code ---(more)---} or {@code ---(more 42%)---} on a line of
 * its own, held at {@code ---(more 100%)---} after the last page, and overwritten with {@code \r}, blanks,
 * {@code \r} once a space is pressed. A word the CLI does not know (or that the class denies) is marked with a caret:
 * <pre>
 * netsnap@srx3&gt; show configuration | display omit
 *                    ^
 * syntax error, expecting &lt;command&gt;.
 * </pre>
 */
@Component
final class JunosDriver extends CliDriver {

    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("junos");

    static final CliProfile PROFILE = CliProfile.builder()
            // user@host> ; '#' is configuration mode, never entered; no enable(...): the builder leaves it null
            .prompt("(?:^|[\\r\\n])\\r*[\\w.+-]+@(?<host>[\\w.-]+)(?<mode>[>#]) ?\\z")
            .sessionSetup("set cli screen-length 0", "set cli screen-width 0")
            .fetch("show configuration | display omit")
            .pager("(?<=\\n)---\\(more(?: \\d+%)?\\)---\\z", " ", "\\r +\\r")
            .errors("^syntax error\\b", "^unknown command\\.", "^'[^']*' is ambiguous\\.", "^error: ")
            .volatileLines("## Last commit: .*",
                    "## Last changed: .*",
                    "\\{(?:master|backup|linecard|primary|secondary|hold|disabled|ineligible)(?::[\\w-]+)?\\}")
            // Junos tags what it holds secret, the whole quoted value: encrypted-password "$6$..."; ## SECRET-DATA,
            // ssh-ed25519 "ssh-ed25519 AAAA... user@host"; ## SECRET-DATA
            .secrets("\"(?<secret>[^\"]*)\";? ## SECRET-DATA",
                    // untagged but encrypted ($9$ reversible, $1$/$5$/$6$ crypt): secret "$9$...", authentication-key
                    // "$9$...", pre-shared-key ascii-text "$9$...", authentication-key 1 type md5 value "$9$..."
                    "\"(?<secret>\\$[0-9a-z]{1,2}\\$[^\"]*)\"",
                    "(?:^|\\s)(?:encrypted-password|authentication-key|privacy-key|secret|password|key"
                            + "|simple-password|ascii-text|hexadecimal|value) \"(?<secret>[^\"]*)\"",
                    // snmp { community NAME { ... } } or community NAME; - not 'from community X;' of a policy
                    "^\\s*community \"(?<secret>[^\"]*)\"(?: \\{|;)$",
                    "^\\s*community (?<secret>[^\\s;{\"]+)(?: \\{|;)$",
                    // archive-sites { "scp://backup:PASSWORD@192.0.2.40/srx1"; }
                    "://[^:/@\\s\"]+:(?<secret>[^@\\s\"]+)@")
            .build();

    JunosDriver(SshConnector connector) {
        super(connector, PROFILE);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }
}
