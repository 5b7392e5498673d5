package io.netsnap.device;

import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
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
final class IosDriver extends CliDriver implements RestoreDriver {

    static final PlatformTraits TRAITS = PlatformTraits.cliOverSsh("ios").withRestore();

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

    /*
     * Restore (shared/reference/restore-facts.md §2). Prerequisites on the device: 'ip scp server enable', a login
     * that lands at privilege 15 (SCP cannot enable), and 'archive' with a 'path' (revert trigger error needs it).
     *
     * LAB-RTR1#copy running-config flash:netsnap-R1-rollback.cfg
     * Destination filename [netsnap-R1-rollback.cfg]?                        Enter
     * 2287 bytes copied in 0.100 secs (22870 bytes/sec)
     * LAB-RTR1#verify /md5 flash:netsnap-R1-candidate.cfg
     * .MD5 of flash:netsnap-R1-candidate.cfg Done!
     * verify /md5 (flash:netsnap-R1-candidate.cfg) = 410db2a7015eaa42b1fe71f1bf3d59a2
     * LAB-RTR1#configure replace flash:netsnap-R1-candidate.cfg force revert trigger error
     * Total number of passes: 1                                              success: both lines, and no
     * Rollback Done                                                          failure text anywhere
     *
     * Failures: "Failed to apply command X" ... "The original configuration has been successfully restored."
     * (reverted); "Rollback aborted after 5 passes" (partly applied, never reverted, even when the output also says
     * "Rollback Done" elsewhere: NAPALM's open PR #1701); "%The input file is not a valid config file.",
     * "Error: Could not open file F for reading", "%Please turn config archive on" (nothing changed).
     */
    private static final Pattern DESTINATION = Pattern.compile("Destination filename \\[[^\\]]*\\]\\? ?\\z");
    private static final Pattern OVERWRITE = Pattern.compile("over ?write\\? \\[confirm\\] ?\\z");
    private static final Pattern COPIED = Pattern.compile("(?m)^\\d+ bytes copied in ");
    private static final Pattern MD5 = Pattern.compile("(?m)^verify /md5 \\(([^)]*)\\) = ([0-9a-f]{32})\\s*$");
    private static final Pattern PASSES = Pattern.compile("(?m)^Total number of passes: (\\d+)\\s*$");
    private static final Pattern DONE = Pattern.compile("(?m)^Rollback Done\\s*$");
    private static final Pattern ABORTED = Pattern.compile("(?m)^Rollback aborted after (\\d+) passes");
    private static final Pattern RESTORED = Pattern.compile("The original configuration has been successfully restored");
    private static final Pattern FAILED_COMMANDS = Pattern.compile("(?m)^Failed to apply command ");
    private static final Pattern FAILURE_WORDS = Pattern.compile("(?im)fail|abort|error");

    /** §2.7 and §8.6: the header, timestamps, the device-computed clock period; no 'file prompt quiet' is set. */
    private static final List<Pattern> CHANGED_BY_REPLACE = Stream.of("Building configuration\\.\\.\\.",
            "Current configuration : \\d+ bytes", "! Last configuration change at .*",
            "! NVRAM config last updated at .*", "! No configuration change since last restart.*",
            "ntp clock-period \\d+", "Load for .*", "Time source is .*").map(Pattern::compile).toList();

    private final CandidateTransfer transfer;

    IosDriver(SshConnector connector) {
        super(connector, PROFILE);
        this.transfer = new CandidateTransfer(connector);
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }

    @Override
    public Checkpoint checkpoint(Device device, Credentials credentials, String restoreId) {
        String file = "flash:netsnap-" + CandidateTransfer.checkedId(restoreId) + "-rollback.cfg";
        try (CliSession session = fetcher.open(device, credentials)) {
            String answer = session.sendAndExpect("copy running-config " + file, DESTINATION,
                    "the destination prompt of copy");
            if (DESTINATION.matcher(answer).find()) {
                answer = session.sendAndExpect("", OVERWRITE, "the end of copy");
                if (OVERWRITE.matcher(answer).find()) {
                    answer = session.sendAndExpect("", OVERWRITE, "the end of copy");
                }
            }
            if (!COPIED.matcher(answer).find()) {
                throw new DeviceException.Protocol(device.name(), "copy running-config " + file
                        + " did not report the bytes copied" + reason(answer));
            }
            md5On(device, session, file);
        }
        return new Checkpoint(device.name(), restoreId, file);
    }

    @Override
    public PushResult replace(Device device, Credentials credentials, String restoreId, String candidate) {
        String file = "flash:netsnap-" + CandidateTransfer.checkedId(restoreId) + "-candidate.cfg";
        CandidateTransfer.checkCandidate(candidate);
        byte[] bytes = CandidateTransfer.bytes(candidate);
        String md5 = CandidateTransfer.md5(bytes);
        transfer.upload(device, credentials, file, bytes);
        try (CliSession session = fetcher.open(device, credentials)) {
            String onDevice = md5On(device, session, file);
            if (!onDevice.equals(md5)) {
                throw new DeviceException.Protocol(device.name(), file + " has MD5 " + onDevice
                        + " on the device but netsnap sent " + md5 + "; not replacing");
            }
            String output;
            try {
                output = session.commandRelearningHost("configure replace " + file + " force revert trigger error");
            } catch (DeviceException.Unreachable | DeviceException.Timeout e) {
                throw new DeviceException.ReplaceInterrupted(device.name(), file, e.detail());
            }
            return new PushResult(file, md5, verdict(output, (verdict, state) ->
                    new DeviceException.ReplaceFailed(device.name(), file, verdict, state)));
        }
    }

    @Override
    public void rollback(Device device, Credentials credentials, Checkpoint checkpoint) {
        CandidateTransfer.checkOwner(device, checkpoint);
        // NAPALM's rollback(): without 'revert trigger error', which would return to the state being left.
        try (CliSession session = fetcher.open(device, credentials)) {
            String output;
            try {
                output = session.commandRelearningHost("configure replace " + checkpoint.name() + " force");
            } catch (DeviceException.Unreachable | DeviceException.Timeout e) {
                throw new DeviceException.RollbackFailed(device.name(), checkpoint.name(),
                        "the session ended before the device's verdict: " + e.detail(),
                        DeviceException.DeviceState.UNKNOWN);
            }
            verdict(output, (verdict, state) -> new DeviceException.RollbackFailed(device.name(), checkpoint.name(),
                    verdict, state));
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

    /** The MD5 the device computes for {@code file}. */
    private String md5On(Device device, CliSession session, String file) {
        String output = fetcher.run(device, session, "verify /md5 " + file);
        Matcher md5 = MD5.matcher(output);
        if (!md5.find() || !md5.group(1).equals(file)) {
            throw new DeviceException.Protocol(device.name(), "verify /md5 " + file + " gave no MD5" + reason(output));
        }
        return md5.group(2);
    }

    /**
     * The verdict of a {@code configure replace}: success only with its passes and {@code Rollback Done} and no
     * failure text anywhere; otherwise the failure {@code failed} builds, with what the output says of the state.
     */
    private String verdict(String output, BiFunction<String, DeviceException.DeviceState, DeviceException> failed) {
        Matcher aborted = ABORTED.matcher(output);
        if (RESTORED.matcher(output).find()) {
            throw failed.apply(countFailed(output) + " failed to apply; the device restored the original "
                    + "configuration", DeviceException.DeviceState.REVERTED);
        }
        if (aborted.find()) {
            throw failed.apply("Rollback aborted after " + aborted.group(1) + " passes", 
                    DeviceException.DeviceState.PARTIAL);
        }
        if (output.contains("%The input file is not a valid config file")) {
            throw failed.apply("the device says the file is not a valid config file (it needs a 'version' line "
                    + "and a final 'end')", DeviceException.DeviceState.UNCHANGED);
        }
        if (output.contains("Could not open file")) {
            throw failed.apply("the device cannot open the file", DeviceException.DeviceState.UNCHANGED);
        }
        if (output.contains("Please turn config archive on")) {
            throw failed.apply("the archive feature is off ('archive' with a 'path' is needed for revert trigger "
                    + "error)", DeviceException.DeviceState.UNCHANGED);
        }
        String refusal = profile.firstError(output);
        if (refusal != null) {
            throw failed.apply("the device refused the command: " + refusal, DeviceException.DeviceState.UNCHANGED);
        }
        Matcher passes = PASSES.matcher(output);
        if (!passes.find() || !DONE.matcher(output).find() || FAILURE_WORDS.matcher(output).find()) {
            throw failed.apply("the device's output has no clear verdict" + reason(output),
                    DeviceException.DeviceState.UNKNOWN);
        }
        return "Total number of passes: " + passes.group(1) + ", Rollback Done";
    }

    private static String countFailed(String output) {
        long count = FAILED_COMMANDS.matcher(output).results().count();
        return count == 1 ? "1 command" : Math.max(count, 1) + " commands";
    }

    /** The last line of a device's answer when it is a '%' message (never configuration), else nothing. */
    private static String reason(String output) {
        String last = output.strip().lines().reduce((a, b) -> b).orElse("").strip();
        return last.startsWith("%") && last.length() < 120 ? " (" + last + ")" : "";
    }
}
