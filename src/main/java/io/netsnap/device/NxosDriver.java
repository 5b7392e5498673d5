package io.netsnap.device;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
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
final class NxosDriver extends CliDriver implements RestoreDriver {

    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("nxos").withRestore();

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

    /*
     * Restore (shared/reference/restore-facts.md §3). Prerequisite: 'feature scp-server'. A named checkpoint is the
     * rollback point (its output is sourced, that of 'checkpoint file' is not):
     *
     * DC-NX-01# checkpoint netsnap-R1
     * .Done
     * DC-NX-01# show file bootflash:netsnap-R1-candidate.cfg md5sum
     * 410db2a7015eaa42b1fe71f1bf3d59a2                                   the whole output is the hash
     * DC-NX-01# rollback running-config file bootflash:netsnap-R1-candidate.cfg atomic
     * ADVISORY: Rollback operation started...
     * ...
     * Rollback completed successfully.                                    success: this, and no failure text
     *
     * A failure reads "..Generating Running-config for verification" (dots glued to the line), "Verification
     * failed, Rolling back to previous configuration", ..., "Rollback failed." (what NAPALM checks for). Atomic: the
     * switch applies all of the patch or none of it.
     */
    private static final Pattern DONE = Pattern.compile("(?m)^\\.*Done\\s*$");
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern COMPLETED = Pattern.compile("(?m)^Rollback completed successfully\\.\\s*$");
    private static final Pattern ROLLED_BACK = Pattern.compile("Rolling back to previous configuration");
    private static final Pattern FAILURE_WORDS = Pattern.compile("(?i)fail|abort|error");

    /** §3.7 and §8.6: the header lines of show running-config and of a saved configuration. */
    private static final List<Pattern> CHANGED_BY_REPLACE = Stream.of("!Command: .*", "!Time: .*",
            "!Running configuration last done at: .*", "!No configuration change since last restart.*",
            "Startup config saved at:.*").map(Pattern::compile).toList();

    private final CandidateTransfer transfer;

    NxosDriver(SshConnector connector) {
        super(connector, PROFILE);
        this.transfer = new CandidateTransfer(connector);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }

    @Override
    public Checkpoint checkpoint(Device device, Credentials credentials, String restoreId) {
        String name = "netsnap-" + CandidateTransfer.checkedId(restoreId);
        try (CliSession session = fetcher.open(device, credentials)) {
            String output = fetcher.run(device, session, "checkpoint " + name);
            if (!DONE.matcher(output).find()) {
                throw new DeviceException.Protocol(device.name(), "checkpoint " + name + " was not confirmed with "
                        + "'Done'");
            }
        }
        return new Checkpoint(device.name(), restoreId, name);
    }

    @Override
    public PushResult replace(Device device, Credentials credentials, String restoreId, String candidate) {
        String file = "bootflash:netsnap-" + CandidateTransfer.checkedId(restoreId) + "-candidate.cfg";
        CandidateTransfer.checkCandidate(candidate);
        byte[] bytes = CandidateTransfer.bytes(candidate);
        String md5 = CandidateTransfer.md5(bytes);
        transfer.upload(device, credentials, file, bytes);
        try (CliSession session = fetcher.open(device, credentials)) {
            String onDevice = fetcher.run(device, session, "show file " + file + " md5sum").strip();
            if (!MD5.matcher(onDevice).matches()) {
                throw new DeviceException.Protocol(device.name(), "show file " + file + " md5sum gave no MD5");
            }
            if (!onDevice.equals(md5)) {
                throw new DeviceException.Protocol(device.name(), file + " has MD5 " + onDevice
                        + " on the device but netsnap sent " + md5 + "; not replacing");
            }
            String output;
            try {
                output = session.commandRelearningHost("rollback running-config file " + file + " atomic");
            } catch (DeviceException.Unreachable | DeviceException.Timeout e) {
                throw new DeviceException.ReplaceInterrupted(device.name(), file, e.detail());
            }
            String verdict = verdict(output);
            if (verdict != null) {
                throw new DeviceException.ReplaceFailed(device.name(), file, verdict, state(output));
            }
            return new PushResult(file, md5, "Rollback completed successfully.");
        }
    }

    @Override
    public void rollback(Device device, Credentials credentials, Checkpoint checkpoint) {
        CandidateTransfer.checkOwner(device, checkpoint);
        try (CliSession session = fetcher.open(device, credentials)) {
            String output;
            try {
                output = session.commandRelearningHost("rollback running-config checkpoint " + checkpoint.name()
                        + " atomic");
            } catch (DeviceException.Unreachable | DeviceException.Timeout e) {
                throw new DeviceException.RollbackFailed(device.name(), checkpoint.name(),
                        "the session ended before the device's verdict: " + e.detail(),
                        DeviceException.DeviceState.UNKNOWN);
            }
            String verdict = verdict(output);
            if (verdict != null) {
                throw new DeviceException.RollbackFailed(device.name(), checkpoint.name(), verdict, state(output));
            }
        } catch (DeviceException.RollbackFailed e) {
            throw e;
        } catch (DeviceException e) {
            throw new DeviceException.RollbackFailed(device.name(), checkpoint.name(), e.detail(),
                    DeviceException.DeviceState.UNCHANGED);
        }
    }

    @Override
    public List<Pattern> linesChangedByReplace() {
        return CHANGED_BY_REPLACE;
    }

    /** {@code null} when the log says the rollback completed and nothing failed, else what went wrong. */
    private String verdict(String output) {
        String refusal = profile.firstError(output);
        if (refusal != null) {
            return "the device refused the command: " + refusal;
        }
        if (output.contains("Verification failed")) {
            return "verification failed on the device" + (ROLLED_BACK.matcher(output).find()
                    ? " and it rolled back to the previous configuration" : "");
        }
        if (output.contains("Rollback failed")) {
            return "Rollback failed.";
        }
        if (!COMPLETED.matcher(output).find() || FAILURE_WORDS.matcher(output.replace(
                "may lead to Rollback failure", "")).find()) {
            return "the device's log has no clear verdict";
        }
        return null;
    }

    /** Atomic mode: a switch that says it rolls back has applied nothing; without a log line, nobody knows. */
    private static DeviceException.DeviceState state(String output) {
        if (ROLLED_BACK.matcher(output).find()) {
            return DeviceException.DeviceState.REVERTED;
        }
        return output.contains("Executing Rollback Patch") ? DeviceException.DeviceState.UNKNOWN
                : DeviceException.DeviceState.UNCHANGED;
    }
}
