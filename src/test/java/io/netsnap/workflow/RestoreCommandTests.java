package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.netsnap.NetsnapApplication;
import io.netsnap.archive.Archive;
import io.netsnap.backup.RunReport;
import io.netsnap.cli.NetsnapCommand;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.restore.RestoreIntake;
import io.netsnap.restore.RestoreLedger;
import io.netsnap.restore.RestoreService;

/**
 * {@code netsnap restore} against the task channel of a netsnap serving the embedded engine, over the real Unix
 * domain socket: the request is recorded with the caller's OS user as the kernel names it, its config-restore
 * instance waits for approval, a second restore of the device is refused while the first is in flight, and bad
 * input never reaches the ledger.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class RestoreCommandTests {

    private static final String OS_USER = System.getProperty("user.name");
    private static final String DEVICE = "EDGE-RTR-01";

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice(DEVICE, "edge", Lab.Kind.SIMULATED, LabConfigs.router(DEVICE, 1)));

    private static String version;

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    ZeebeTestEngine engine;

    @Autowired
    Archive archive;

    @Autowired
    RestoreLedger ledger;

    @Autowired
    TaskService tasks;

    @Autowired
    RestoreLauncher restoreLauncher;

    @Autowired
    RestoreService restoreService;

    @TempDir
    Path elsewhere;

    /** A version to restore: the lab's first backup, once for the class. */
    @BeforeEach
    void backedUp() {
        if (version == null) {
            assertThat(ProcessLab.run(launcher, null).outcome()).isEqualTo(RunReport.OK);
            version = archive.versions(Archive.historyPath(DEVICE, null)).get(0).commit();
        }
    }

    @Test
    void aRestoreIsRecordedAsTheOsUserAndWaitsForApprovalAndASecondOneIsRefused() {
        Cli asked = restore("--device", DEVICE, "--version", version.substring(0, 12), "--ticket", "CHG-1",
                "--reason", "back to the lab's first backup");

        assertThat(asked.exit).as(asked.all()).isZero();
        Matcher line = Pattern.compile("Restore (restore-\\S+) of " + DEVICE + " to " + version.substring(0, 12)
                + " requested by " + Pattern.quote(OS_USER) + "; it waits for approval by another member of"
                + " network-approvers \\(netsnap tasks list\\)").matcher(asked.out.strip());
        assertThat(line.matches()).as(asked.out).isTrue();
        String restoreId = line.group(1);
        RestoreIntake intake = ledger.intake(restoreId).orElseThrow();
        assertThat(intake.requester()).isEqualTo(OS_USER);
        assertThat(intake.device()).isEqualTo(DEVICE);
        assertThat(intake.version()).as("the full commit id").isEqualTo(version);
        assertThat(intake.ticket()).isEqualTo("CHG-1");
        assertThat(intake.emergency()).isFalse();

        long instance = instanceOf(restoreId);
        long task = new RunRecords(engine).awaitUserTask(instance, "UserTask_Approval").getUserTaskKey();
        Cli list = cli("tasks", "list", "--data", SETUP.data().toString());
        assertThat(list.out).containsPattern(task + "\\s+UserTask_Approval\\s+config-restore\\s+" + instance
                + "\\s+network-approvers");

        Cli status = restore("--status", restoreId);
        assertThat(status.exit).as(status.all()).isZero();
        assertThat(status.out.strip()).isEqualTo("Restore " + restoreId + " of " + DEVICE + " to "
                + version.substring(0, 12) + ": running, requested by " + OS_USER + "; waiting for approval by"
                + " another member of network-approvers (netsnap tasks list)");

        Cli second = restore("--device", DEVICE, "--version", version, "--ticket", "CHG-2", "--reason", "again");
        assertThat(second.exit).as(second.all()).isEqualTo(1);
        assertThat(second.out).isEmpty();
        assertThat(second.err.strip()).startsWith("netsnap: " + DEVICE + " already has a restore in flight: restore "
                + restoreId + " of " + DEVICE + " requested by " + OS_USER).doesNotContain("\n");
        assertThat(ledger.restoreIds()).as("the refused one is not on record").containsExactly(restoreId);
    }

    @Test
    void asIsRefusedWhereTheLabSettingIsOff() {
        // a netsnap outside the lab: the same engine served on a second channel, with the default setting
        TaskChannel strict = new TaskChannel(elsewhere.resolve("state/tasks.sock"), tasks,
                new RestoreRequests(restoreLauncher, restoreService, new TasksProperties(false)), true);
        strict.start();
        try {
            Cli refused = cli("restore", "--device", DEVICE, "--version", version, "--ticket", "CHG-3", "--reason",
                    "as someone else", "--as", "bob", "--data", elsewhere.toString());
            assertThat(refused.exit).isEqualTo(1);
            assertThat(refused.err.strip()).isEqualTo("netsnap: --as is accepted only in the lab"
                    + " (netsnap.tasks.allow-as); here the restore is requested as the OS user running netsnap"
                    + " restore (" + OS_USER + ")");
        } finally {
            strict.stop();
        }
        assertThat(ledger.restoreIds()).allSatisfy(id -> assertThat(ledger.intake(id).orElseThrow().requester())
                .isNotEqualTo("bob"));
    }

    @Test
    void badInputExitsTwoAndRecordsNothing() {
        Cli noTicket = restore("--device", DEVICE, "--version", version, "--reason", "no ticket");
        assertThat(noTicket.exit).isEqualTo(2);
        assertThat(noTicket.err).contains("Missing required argument(s): --ticket=TICKET");

        Cli both = restore("--device", DEVICE, "--version", version, "--to-checkpoint", "--ticket", "CHG-4",
                "--reason", "both");
        assertThat(both.exit).isEqualTo(2);
        assertThat(both.err).contains("--version=COMMIT, --to-checkpoint are mutually exclusive");

        Cli neither = restore("--device", DEVICE, "--ticket", "CHG-4", "--reason", "neither");
        assertThat(neither.exit).isEqualTo(2);
        assertThat(neither.err).contains("a restore needs --device, --version COMMIT or --to-checkpoint");

        Cli blankTicket = restore("--device", DEVICE, "--version", version, "--ticket", " ", "--reason", "blank");
        assertThat(blankTicket.exit).as(blankTicket.all()).isEqualTo(2);
        assertThat(blankTicket.err.strip()).startsWith("netsnap: ").contains("ticket").doesNotContain("\n");

        // what the command line cannot send: the server checks it too
        String answer = new TaskChannelClient(socket()).exchange("{\"op\":\"restore\",\"device\":\"" + DEVICE
                + "\",\"version\":\"" + version + "\",\"toCheckpoint\":true,\"ticket\":\"T\",\"reason\":\"R\"}");
        assertThat(answer).contains("\"ok\":false").contains("\"code\":\"BAD_REQUEST\"");
        assertThat(ledger.restoreIds().stream().map(id -> ledger.intake(id).orElseThrow().ticket()))
                .doesNotContain("CHG-4", " ", "T");
    }

    @Test
    void theStatusOfAnUnknownRestoreIsNotFound() {
        Cli unknown = restore("--status", "restore-20000101-000000-0000");

        assertThat(unknown.exit).isEqualTo(1);
        assertThat(unknown.err.strip()).isEqualTo("netsnap: no restore 'restore-20000101-000000-0000' on record"
                + " (netsnap history DEVICE lists a device's restores)");
        String answer = new TaskChannelClient(socket()).exchange("{\"op\":\"restore-status\",\"restoreId\":\"../x\"}");
        assertThat(answer).contains("\"code\":\"NOT_FOUND\"");
    }

    @Test
    void withNoNetsnapServingTheCommandExitsTwoWithOneLine() {
        Cli none = cli("restore", "--device", DEVICE, "--version", "abc1234", "--ticket", "T", "--reason", "R",
                "--data", elsewhere.toString());

        assertThat(none.exit).isEqualTo(2);
        assertThat(none.err.strip()).startsWith("netsnap: no netsnap with an embedded engine is serving at ")
                .doesNotContain("\n");
    }

    private static Path socket() {
        return TaskChannelClient.socketPath(SETUP.data());
    }

    /** The config-restore instance that carries the restore's id. */
    private long instanceOf(String restoreId) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).until(
                () -> EngineRecords.snapshot(engine).stream().filter(r -> r.getValueType() == ValueType.VARIABLE)
                        .map(r -> (VariableRecordValue) r.getValue())
                        .filter(v -> v.getName().equals("restoreId") && v.getValue().equals("\"" + restoreId + "\""))
                        .map(VariableRecordValue::getProcessInstanceKey).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    private static Cli restore(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "restore";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = SETUP.data().toString();
        return cli(all);
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = NetsnapCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(exit, out.toString(), err.toString());
    }

    private record Cli(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n" + out + err;
        }
    }
}
