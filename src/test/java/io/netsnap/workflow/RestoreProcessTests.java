package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.netsnap.NetsnapApplication;
import io.netsnap.archive.Archive;
import io.netsnap.archive.Version;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.Device;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.IosArchive;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.restore.RestoreOutcome;
import io.netsnap.restore.RestoreRefusedException;
import io.netsnap.restore.RestoreService;
import io.netsnap.support.LeakScanner;

/**
 * config-restore on the embedded engine with the real workers and simulated IOS routers: a request recorded with the
 * requester's identity, the approval task completed through netsnap's task service (which records who completed
 * it), then checkpoint, push, verification and, when the device fails, the rollback, each visible as its own element.
 * Every router gets two versions first: the one a restore goes back to, and the one it runs now.
 */
@SpringBootTest(classes = NetsnapApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class RestoreProcessTests {

    private static final String REQUESTER = "alice";
    private static final String APPROVER = "bob";
    /** A line the failing routers reject in a configure replace: the candidate has it, the running config not. */
    private static final String FAILING_LINE = "snmp-server location Site 8";
    private static final String STUBBORN_FAILING_LINE = "snmp-server location Site 9";
    /** A line the broken router's own checkpoint holds and that never converges: its rollback aborts. */
    private static final String NON_CONVERGING_LINE = "snmp-server location Site 9 rack 2";

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            router("RTR-APPROVE", 1), router("RTR-REJECT", 2), router("RTR-TIMEOUT", 3), router("RTR-FOUREYES", 4),
            router("RTR-TAMPER", 5), router("RTR-FORGED", 6), router("RTR-BUSY", 7),
            new Lab.LabDevice("RTR-FAILING", "ios", "edge", Lab.Kind.SIMULATED, LabConfigs.router("RTR-FAILING", 8),
                    spec -> spec.withExtension(IosArchive.failing(FAILING_LINE))),
            new Lab.LabDevice("RTR-BROKEN", "ios", "edge", Lab.Kind.SIMULATED, LabConfigs.router("RTR-BROKEN", 9),
                    spec -> spec.withExtension(new IosArchive(STUBBORN_FAILING_LINE, NON_CONVERGING_LINE, false))),
            Lab.LabDevice.nxos("NX-APPROVE", 11), router("RTR-ORPHAN", 12));

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
    }

    @Autowired
    RunLauncher runs;

    @Autowired
    RestoreLauncher restores;

    @Autowired
    RestoreService service;

    @Autowired
    TaskService tasks;

    @Autowired
    ZeebeTestEngine engine;

    @Autowired
    CamundaClient client;

    @Autowired
    Archive archive;

    @Autowired
    DeviceDrivers drivers;

    @Autowired
    DeviceDirectory directory;

    @Autowired
    CredentialsProvider credentials;

    @Autowired
    RestoreRequests restoreRequests;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path elsewhere;

    RunRecords records;

    @BeforeEach
    void records() {
        records = new RunRecords(engine);
    }

    @Test
    void anApprovedRestoreIsPushedVerifiedAndRecordedInTheHistory() throws IOException {
        String device = "RTR-APPROVE";
        String target = twoVersions(device, "description LAN core", "description LAN core (moved to rack 4)");
        String before = running(device);

        RestoreLauncher.Started started = request(device, target);
        long approval = awaitOpenTask(started, "UserTask_Approval").key();
        OpenTask shown = tasks.show(approval);
        assertThat(shown.formId()).isEqualTo("restore-approval");
        assertThat(shown.candidateGroups()).containsExactly("network-approvers");
        assertThat(value(shown, "maskedDiff")).contains("- description LAN core (moved to rack 4)")
                .contains("+ description LAN core\\n").doesNotContain("0822455D0A16544541");
        assertThat(value(shown, "requester")).isEqualTo("\"" + REQUESTER + "\"");
        assertThat(running(device)).as("nothing touched while waiting").isEqualTo(before);

        tasks.complete(approval, Map.of("decision", "approve"), APPROVER, null);

        RestoreOutcome outcome = awaitOutcome(started);
        assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo(RestoreService.RESTORED);
        assertThat(running(device)).isEqualTo(archive.textAt(target, device + ".cfg").orElseThrow());
        assertThat(outcome.sha256After()).isNotNull();
        assertThat(records.completedElements(started.processInstanceKey(), "End_Restored",
                io.camunda.zeebe.protocol.record.value.BpmnElementType.END_EVENT)).isOne();
        assertThat(records.variable(started.processInstanceKey(), "outcome")).isEqualTo("\"RESTORED\"");
        // the checkpoint: the device's own rollback point, and a version in the history
        assertThat(simulator(device).file("flash:netsnap-" + id(started) + "-rollback.cfg")).isNotNull();
        List<Version> versions = archive.versions(device + ".cfg");
        assertThat(versions.get(0).message()).isEqualTo("restore " + id(started) + " of " + device + ": RESTORED");
        String audit = fullMessage(versions.get(0).commit());
        assertThat(audit).contains("Requester: " + REQUESTER).contains("Approver: " + APPROVER)
                .contains("Ticket: CHG-" + device).contains("Version: " + target).contains("Outcome: RESTORED")
                .contains("Sha256-After: " + outcome.sha256After());
        RestoreService.RestoreReport report = report(started);
        assertThat(report.requester()).isEqualTo(REQUESTER);
        assertThat(report.approver()).isEqualTo(APPROVER);
        assertThat(report.outcome()).isEqualTo(RestoreService.RESTORED);
        assertThat(report.historyCommit()).isEqualTo(versions.get(0).commit());
        assertThat(service.ledger().inFlightFor(device)).as("the device is free again").isEmpty();

        // the emergency rollback: back to the checkpoint taken before that restore, approved on its own form
        RestoreLauncher.Started emergency = restores.request(REQUESTER, device, null, true, "INC-7",
                "the restore broke routing");
        assertThat(emergency.intake().version()).isEqualTo(report.checkpointVersion());
        OpenTask expedited = awaitOpenTask(emergency, "UserTask_EmergencyApproval");
        assertThat(expedited.formId()).isEqualTo("restore-emergency-approval");
        assertThat(value(tasks.show(expedited.key()), "maskedDiff")).contains("+ description LAN core (moved to"
                + " rack 4)");
        tasks.complete(expedited.key(), Map.of("decision", "approve"), APPROVER, null);
        assertThat(awaitOutcome(emergency).outcome()).isEqualTo(RestoreService.RESTORED);
        assertThat(running(device)).isEqualTo(before);
    }

    @Test
    void aRejectedRestorePushesNothingAndRecordsWhoRejectedAndWhy() throws IOException {
        String device = "RTR-REJECT";
        String target = twoVersions(device, "description LAN core", "description LAN core v2");
        String before = running(device);
        RestoreLauncher.Started started = request(device, target);

        tasks.complete(awaitOpenTask(started, "UserTask_Approval").key(),
                Map.of("decision", "reject", "rejectReason", "wrong maintenance window"), APPROVER, null);

        RestoreOutcome outcome = awaitOutcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.REJECTED);
        assertThat(outcome.detail()).isEqualTo("rejected by bob: wrong maintenance window");
        assertThat(running(device)).isEqualTo(before);
        assertThat(simulator(device).file("flash:netsnap-" + id(started) + "-candidate.cfg")).isNull();
        assertThat(simulator(device).file("flash:netsnap-" + id(started) + "-rollback.cfg")).isNull();
        assertThat(fullMessage(archive.headCommit())).startsWith("restore " + id(started) + " of " + device
                + ": REJECTED");
    }

    @Test
    void anApprovalNotGivenInTimeRejectsTheRestore() throws IOException {
        String device = "RTR-TIMEOUT";
        String target = twoVersions(device, "description LAN core", "description LAN core v2");
        String before = running(device);
        RestoreLauncher.Started started = request(device, target);
        awaitOpenTask(started, "UserTask_Approval");

        engine.increaseTime(service.properties().approvalTimeout().plusMinutes(1));

        RestoreOutcome outcome = awaitOutcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.TIMED_OUT);
        assertThat(records.completedElements(started.processInstanceKey(), "End_TimedOut",
                io.camunda.zeebe.protocol.record.value.BpmnElementType.END_EVENT)).isOne();
        assertThat(openTasks(started)).isEmpty();
        assertThat(running(device)).isEqualTo(before);
    }

    @Test
    void theRequesterCannotApproveTheTaskGoesBackWithAMessageAndAnotherApproverMay() throws IOException {
        String device = "RTR-FOUREYES";
        String target = twoVersions(device, "description LAN core", "description LAN core v2");
        String before = running(device);
        RestoreLauncher.Started started = request(device, target);
        long first = awaitOpenTask(started, "UserTask_Approval").key();

        tasks.complete(first, Map.of("decision", "approve"), REQUESTER, null);

        OpenTask again = await().atMost(Duration.ofMinutes(1)).until(() -> openTasks(started).stream()
                .filter(t -> t.key() != first).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(again.elementId()).isEqualTo("UserTask_Approval");
        assertThat(value(tasks.show(again.key()), "approvalProblem")).contains(REQUESTER
                + " requested this restore and may not approve it");
        assertThat(running(device)).as("nothing pushed").isEqualTo(before);
        assertThat(service.ledger().approval(id(started))).isEmpty();

        tasks.complete(again.key(), Map.of("decision", "approve"), APPROVER, null);

        assertThat(awaitOutcome(started).outcome()).isEqualTo(RestoreService.RESTORED);
        assertThat(report(started).approver()).isEqualTo(APPROVER);
    }

    @Test
    void variablesChangedAtApprovalAreRefusedAndNothingIsPushed() throws IOException {
        String device = "RTR-TAMPER";
        String target = twoVersions(device, "description LAN core", "description LAN core v2");
        String before = running(device);
        RestoreLauncher.Started started = request(device, target);
        long approval = awaitOpenTask(started, "UserTask_Approval").key();
        String otherVersion = archive.versions(device + ".cfg").get(0).commit();

        // the approver saw one diff; the variables now name another version and another digest, as an edit in Operate
        // or a completion that sets them would
        tasks.complete(approval, Map.of("decision", "approve", "version", otherVersion, "candidateSha256",
                "0".repeat(64)), APPROVER, null);

        RestoreOutcome outcome = awaitOutcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.REFUSED);
        assertThat(outcome.detail()).startsWith("NOT_WHAT_WAS_APPROVED: restore " + id(started) + " was approved for"
                + " version " + target.substring(0, 12)).endsWith("nothing pushed");
        assertThat(running(device)).isEqualTo(before);
        assertThat(simulator(device).file("flash:netsnap-" + id(started) + "-candidate.cfg")).isNull();
        assertThat(records.completedElements(started.processInstanceKey(), "End_PushRefused",
                io.camunda.zeebe.protocol.record.value.BpmnElementType.END_EVENT)).isOne();
    }

    @Test
    void aForeignProcessCallingThePushWithAForgedApprovalPushesNothing() throws IOException {
        String device = "RTR-FORGED";
        String target = twoVersions(device, "description LAN core", "description LAN core v2");
        String before = running(device);
        RestoreLauncher.Started started = request(device, target);
        long approval = awaitOpenTask(started, "UserTask_Approval").key();
        String sha = value(tasks.show(approval), "candidateSha256").replace("\"", "");

        BpmnModelInstance forged = Bpmn.createExecutableProcess("quick-restore").startEvent()
                .serviceTask("push", task -> task.zeebeJobType(Processes.JOB_RESTORE_PUSH).zeebeJobRetries("1"))
                .endEvent().done();
        client.newDeployResourceCommand().addProcessModel(forged, "quick-restore.bpmn").send().join();
        long key = client.newCreateInstanceCommand().bpmnProcessId("quick-restore").latestVersion()
                .variables(Map.of("restoreId", id(started), "deviceName", device, "version", target,
                        "candidateSha256", sha, "approved", true, "approver", APPROVER))
                .send().join().getProcessInstanceKey();

        String incident = await().atMost(Duration.ofMinutes(1)).until(() -> records.json().lines()
                .filter(line -> line.contains("\"INCIDENT\"") && line.contains("\"processInstanceKey\":" + key))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(incident).contains("netsnap did not deploy that process definition");
        assertThat(running(device)).isEqualTo(before);
        assertThat(simulator(device).file("flash:netsnap-" + id(started) + "-candidate.cfg")).isNull();
        assertThat(service.ledger().hasStep(id(started), "push")).isFalse();

        // the real restore is untouched by it, and can still be rejected
        tasks.complete(approval, Map.of("decision", "reject", "rejectReason", "test over"), APPROVER, null);
        assertThat(awaitOutcome(started).outcome()).isEqualTo(RestoreService.REJECTED);
    }

    @Test
    void aSecondRequestForADeviceWithARestoreInFlightIsRefusedNamingIt() throws IOException {
        String device = "RTR-BUSY";
        String target = twoVersions(device, "description LAN core", "description LAN core v2");
        RestoreLauncher.Started first = request(device, target);

        RestoreRefusedException refused = catchThrowableOfType(RestoreRefusedException.class,
                () -> restores.request("carol", device, target, false, "CHG-2", "again"));

        assertThat(refused.reason()).isEqualTo(RestoreRefusedException.Reason.RESTORE_IN_FLIGHT);
        assertThat(refused.getMessage()).contains(device + " already has a restore in flight: restore " + id(first))
                .contains("requested by " + REQUESTER);
        tasks.complete(awaitOpenTask(first, "UserTask_Approval").key(),
                Map.of("decision", "reject", "rejectReason", "test over"), APPROVER, null);
        assertThat(awaitOutcome(first).outcome()).isEqualTo(RestoreService.REJECTED);
    }

    @Test
    void aFailedReplaceIsRolledBackVerifiedAndHandedToAPerson() throws IOException {
        String device = "RTR-FAILING";
        String target = twoVersions(device, FAILING_LINE, FAILING_LINE + " rack 2");
        String before = running(device);
        RestoreLauncher.Started started = request(device, target);

        tasks.complete(awaitOpenTask(started, "UserTask_Approval").key(), Map.of("decision", "approve"), APPROVER,
                null);

        OpenTask failed = awaitOpenTask(started, "UserTask_RestoreFailed");
        assertThat(failed.formId()).isEqualTo("restore-failed");
        RestoreOutcome outcome = service.ledger().outcome(id(started)).orElseThrow();
        assertThat(outcome.outcome()).isEqualTo(RestoreService.ROLLED_BACK);
        assertThat(outcome.detail()).startsWith("restored to the checkpoint; the device is as before; the push had"
                + " failed: ");
        assertThat(running(device)).as("the device equals the checkpoint").isEqualTo(before);
        assertThat(records.completedElements(started.processInstanceKey(), "Task_Rollback",
                io.camunda.zeebe.protocol.record.value.BpmnElementType.SERVICE_TASK)).isOne();
        assertThat(service.ledger().inFlightFor(device)).isEmpty();

        tasks.complete(failed.key(), Map.of("acknowledged", true), "carol", null);
        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(started.processInstanceKey()));
    }

    @Test
    void aRollbackThatFailsTooRaisesTheUrgentTaskAndKeepsTheDeviceHeld(CapturedOutput output) throws IOException {
        String device = "RTR-BROKEN";
        String target = twoVersions(device, STUBBORN_FAILING_LINE, NON_CONVERGING_LINE);
        RestoreLauncher.Started started = request(device, target);

        tasks.complete(awaitOpenTask(started, "UserTask_Approval").key(), Map.of("decision", "approve"), APPROVER,
                null);

        OpenTask urgent = awaitOpenTask(started, "UserTask_RollbackFailed");
        assertThat(urgent.formId()).isEqualTo("restore-rollback-failed");
        assertThat(urgent.candidateGroups()).containsExactly("network-operators");
        assertThat(service.ledger().inFlightFor(device)).as("no other restore while the state is unknown")
                .isPresent();
        assertThat(value(tasks.show(urgent.key()), "refusal")).startsWith("\"ROLLBACK_FAILED: RTR-BROKEN: ");

        tasks.complete(urgent.key(), Map.of("deviceState", "recovered", "notes", "fixed on the console"), "carol",
                null);

        RestoreOutcome outcome = awaitOutcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.ROLLBACK_FAILED);
        assertThat(outcome.detail()).startsWith("rollback failed, device state unknown: ");
        assertThat(service.ledger().inFlightFor(device)).isEmpty();

        LeakScanner leaks = new LeakScanner(SETUP.lab().secrets());
        leaks.assertClean("the engine's record stream, approval tasks included", records.json());
        leaks.assertClean("the log", output.getAll());
        leaks.assertClean(SETUP.data().resolve("runs"));
        leaks.assertClean(SETUP.data().resolve("state/restores"));
        leaks.assertClean(SETUP.data().resolve("state/task-completions.jsonl"));
    }

    @Test
    void anNxosRestoreTakesACheckpointRollsBackAtomicallyAndIsVerified() throws IOException {
        String device = "NX-APPROVE";
        String target = twoVersions(device, LabConfigs.nexusSwitch(device, 11), "  name VOICE", "  name VOICE-OLD");
        RestoreLauncher.Started started = request(device, target);

        tasks.complete(awaitOpenTask(started, "UserTask_Approval").key(), Map.of("decision", "approve"), APPROVER,
                null);

        RestoreOutcome outcome = awaitOutcome(started);
        assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo(RestoreService.RESTORED);
        assertThat(running(device)).contains("  name VOICE\n").doesNotContain("VOICE-OLD");
        assertThat(report(started).checkpointVersion()).isNotNull();
        assertThat(records.variable(started.processInstanceKey(), "checkpointOnDevice")).isEqualTo("\"netsnap-"
                + id(started) + "\"");
    }

    /**
     * The embedded engine keeps its state in memory: a restore that a stopped netsnap left unfinished has no instance
     * any more, and would hold its device for good. The next netsnap that serves the archive ends it.
     */
    @Test
    void aRestoreLeftUnfinishedByAPreviousNetsnapEndsWhenTheNextOneServes() {
        String device = "RTR-ORPHAN";
        ProcessLab.run(runs, null, device);
        String version = archive.versions(device + ".cfg").get(0).commit();
        // recorded as by a netsnap that stopped before its instance got anywhere: no instance in this engine
        io.netsnap.restore.RestoreIntake orphan = service.request(REQUESTER, device, null, version, false, "CHG-9",
                "left behind");
        assertThat(service.ledger().inFlightFor(device)).isPresent();

        TaskChannel next = new TaskChannel(elsewhere.resolve("state/tasks.sock"), tasks, restoreRequests, true);
        next.start();
        try {
            RestoreOutcome outcome = service.ledger().outcome(orphan.restoreId()).orElseThrow();
            assertThat(outcome.outcome()).isEqualTo(RestoreService.NOT_PUSHED);
            assertThat(outcome.detail()).isEqualTo("netsnap was restarted before the restore ended (the embedded"
                    + " engine keeps no state); ended before a push; nothing pushed");
            assertThat(service.ledger().inFlightFor(device)).as("the device can be restored again").isEmpty();
        } finally {
            next.stop();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static Lab.LabDevice router(String name, int site) {
        return new Lab.LabDevice(name, "edge", Lab.Kind.SIMULATED, LabConfigs.router(name, site));
    }

    /**
     * Backs the device up, changes one line on it, backs it up again.
     *
     * @return the first version: what a restore goes back to
     */
    private String twoVersions(String device, String line, String changedTo) {
        return twoVersions(device, LabConfigs.router(device, siteOf(device)), line, changedTo);
    }

    private String twoVersions(String device, String body, String line, String changedTo) {
        RunLauncher.Result first = ProcessLab.run(runs, null, device);
        assertThat(first.historyCommit()).as(first.toString()).isNotNull();
        CliSimulator simulator = simulator(device);
        assertThat(body).contains(line + "\n");
        simulator.updateConfigBody(body.replace(line + "\n", changedTo + "\n"));
        RunLauncher.Result second = ProcessLab.run(runs, null, device);
        assertThat(second.historyCommit()).as(second.toString()).isNotNull();
        return first.historyCommit();
    }

    private static int siteOf(String device) {
        return switch (device) {
            case "RTR-APPROVE" -> 1;
            case "RTR-REJECT" -> 2;
            case "RTR-TIMEOUT" -> 3;
            case "RTR-FOUREYES" -> 4;
            case "RTR-TAMPER" -> 5;
            case "RTR-FORGED" -> 6;
            case "RTR-BUSY" -> 7;
            case "RTR-FAILING" -> 8;
            case "RTR-BROKEN" -> 9;
            case "RTR-ORPHAN" -> 12;
            default -> throw new IllegalArgumentException(device);
        };
    }

    private RestoreLauncher.Started request(String device, String version) {
        return restores.request(REQUESTER, device, version, false, "CHG-" + device, "back to the known good state");
    }

    private static String id(RestoreLauncher.Started started) {
        return started.intake().restoreId();
    }

    private List<OpenTask> openTasks(RestoreLauncher.Started started) {
        return tasks.list().stream().filter(t -> t.processInstanceKey() == started.processInstanceKey()).toList();
    }

    private OpenTask awaitOpenTask(RestoreLauncher.Started started, String elementId) {
        return await().atMost(Duration.ofMinutes(2)).until(() -> openTasks(started).stream()
                .filter(t -> t.elementId().equals(elementId)).findFirst(), Optional::isPresent).orElseThrow();
    }

    private RestoreOutcome awaitOutcome(RestoreLauncher.Started started) {
        return restores.awaitOutcome(id(started), Duration.ofMinutes(2))
                .orElseThrow(() -> new AssertionError("restore " + id(started) + " did not end: " + records.json()
                        .lines().filter(l -> l.contains("\"INCIDENT\"") || l.contains("errorMessage")).toList()));
    }

    private static String value(OpenTask task, String name) {
        return task.variables().stream().filter(v -> v.name().equals(name)).map(OpenTask.Variable::value)
                .findFirst().orElseThrow(() -> new AssertionError("no variable " + name + " in " + task));
    }

    private RestoreService.RestoreReport report(RestoreLauncher.Started started) throws IOException {
        java.nio.file.Path file = SETUP.data().resolve("runs").resolve(started.intake().requestedAt().substring(0, 10))
                .resolve(id(started)).resolve("restore.json");
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(Files.readString(file,
                StandardCharsets.UTF_8), RestoreService.RestoreReport.class);
    }

    private String fullMessage(String commit) throws IOException {
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(archive.historyDir().toFile());
             org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
            return walk.parseCommit(git.getRepository().resolve(commit)).getFullMessage();
        }
    }

    private CliSimulator simulator(String device) {
        return (CliSimulator) SETUP.lab().simulator(device);
    }

    /** The device's running configuration as netsnap normalizes it, over a session of its own. */
    private String running(String name) {
        Device device = directory.inventory(null).device(name).orElseThrow();
        return drivers.forPlatform(device.platform()).orElseThrow()
                .fetch(device, credentials.forPath(device.credentials())).normalized();
    }
}
