package io.netsnap.workflow;

import static io.netsnap.workflow.BrowserForms.Step.choose;
import static io.netsnap.workflow.BrowserForms.Step.tick;
import static io.netsnap.workflow.BrowserForms.Step.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.netsnap.NetsnapApplication;
import io.netsnap.backup.DeviceDecision;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.RunReport;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.IosArchive;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.restore.RestoreOutcome;
import io.netsnap.restore.RestoreService;

/**
 * Every form in {@code forms/}, as Tasklist renders it (form-js in headless Chromium, {@link BrowserForms}): filled
 * in as a person would, its validation messages shown for what it refuses, and what it submits fed to the engine
 * as Tasklist would (a start form's data as the new instance's variables; a task form's data as the completion's,
 * through netsnap's task service, as {@code netsnap tasks complete} does), then the process checked to do what the
 * form promised. {@link #everyFormIsFilledInABrowser()} fails the class for a form no test fills.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class FormsInBrowserTests {

    /** The forms a test fills; {@link #everyFormIsFilledInABrowser()} compares them with {@code forms/}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Fills {
        String[] value();
    }

    private static final String REQUESTER = "alice";
    private static final String APPROVER = "bob";
    private static final String REQUIRED = "Field is required.";
    /** A line RTR-FAILING rejects in a configure replace. */
    private static final String FAILING_LINE = "snmp-server location Site 8";
    private static final String STUBBORN_FAILING_LINE = "snmp-server location Site 9";
    /** A line RTR-BROKEN's own checkpoint holds and that never converges: its rollback aborts. */
    private static final String NON_CONVERGING_LINE = "snmp-server location Site 9 rack 2";

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            new Lab.LabDevice("CORE-SW-01", "core", Lab.Kind.SIMULATED,
                    LabConfigs.aggregationSwitch("CORE-SW-01", 2)),
            router("RTR-APPROVE", 3), router("RTR-REJECT", 4),
            new Lab.LabDevice("RTR-FAILING", "ios", "edge", Lab.Kind.SIMULATED,
                    LabConfigs.router("RTR-FAILING", 8), spec -> spec.withExtension(IosArchive.failing(FAILING_LINE))),
            new Lab.LabDevice("RTR-BROKEN", "ios", "edge", Lab.Kind.SIMULATED, LabConfigs.router("RTR-BROKEN", 9),
                    spec -> spec.withExtension(new IosArchive(STUBBORN_FAILING_LINE, NON_CONVERGING_LINE, false))));
    private static final Lab LAB = SETUP.lab();
    private static final Outage OUTAGE = Outage.down(new InetSocketAddress("127.0.0.1",
            LAB.simulator("EDGE-RTR-01").port()));
    /** The lab inventory with EDGE-RTR-01 behind the outage. */
    private static final Path BEHIND_OUTAGE = SETUP.inventoryBehind("EDGE-RTR-01", OUTAGE);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("netsnap.inventory-folders", () -> SETUP.inventories().toString());
        // a run held by a person's task outlasts this window: the run-overdue task comes
        registry.add("netsnap.run.window", () -> "PT5S");
    }

    @Autowired
    RunLauncher runs;

    @Autowired
    RestoreLauncher restores;

    @Autowired
    RestoreService restoreService;

    @Autowired
    TaskService tasks;

    @Autowired
    CamundaClient client;

    @Autowired
    ZeebeTestEngine engine;

    RunRecords records;

    /** Before the engine starts: every form has a test that fills it, and the browser is there to fill it. */
    @BeforeAll
    static void everyFormIsFilledInABrowser() {
        TreeSet<String> filled = new TreeSet<>();
        Arrays.stream(FormsInBrowserTests.class.getDeclaredMethods()).map(m -> m.getAnnotation(Fills.class))
                .filter(java.util.Objects::nonNull).forEach(f -> filled.addAll(List.of(f.value())));
        assertThat(BrowserForms.formIds()).as("the forms in forms/ and those a test here fills (@Fills)")
                .containsExactlyElementsOf(filled);
        BrowserForms.requireProvisioned();
    }

    @BeforeEach
    void records() {
        records = new RunRecords(engine);
    }

    @AfterEach
    void cut() {
        OUTAGE.down();
    }

    // ---- start forms: Tasklist starts the instance with what the form submitted ------------------------------------

    @Test
    @Fills("start-backup")
    void theStartFormBacksUpTheOneGroupItNames() throws IOException {
        BrowserForms.Filled form = BrowserForms.fill("start-backup", Map.of(), List.of(
                List.of(),
                List.of(choose("Scope", "One group")),
                List.of(type("Group", "core 2")),
                List.of(type("Group", "core"), type("Reason", "CHG-100 core change"))));

        assertRendered(form);
        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("Reason", REQUIRED));
        assertThat(form.attempts().get(1).errors()).containsExactly(new BrowserForms.Shown("Group", REQUIRED),
                new BrowserForms.Shown("Reason", REQUIRED));
        // a name with a space: the hint shows (the form has no pattern: the inventory decides)
        assertThat(form.attempts().get(2).text()).contains("Check the group name.");
        assertThat(form.attempts().get(3).text()).doesNotContain("Check the group name.");
        Map<String, Object> data = form.submitted();
        assertThat(data).isEqualTo(Map.of("scope", "group", "group", "core", "reason", "CHG-100 core change"));

        long run = start(Processes.NETWORK_BACKUP, data);

        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"OK\"");
        RunReport report = report(run);
        assertThat(report.devices()).extracting(DeviceResult::device).containsExactly("CORE-SW-01");
        assertThat(report.reason()).isEqualTo("CHG-100 core change");
    }

    @Test
    @Fills("start-backup")
    void theStartFormBacksUpExactlyTheNamedDevices() throws IOException {
        BrowserForms.Filled form = BrowserForms.fill("start-backup", Map.of(), List.of(
                List.of(choose("Scope", "Named devices"), type("Reason", "before the maintenance window")),
                List.of(type("Devices", "EDGE-RTR-01,\nCORE-SW-01"))));

        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("Devices", REQUIRED));
        Map<String, Object> data = form.submitted();
        assertThat(data).as("the hidden group field is not submitted").isEqualTo(Map.of("scope", "devices",
                "deviceNames", "EDGE-RTR-01,\nCORE-SW-01", "reason", "before the maintenance window"));

        long run = start(Processes.NETWORK_BACKUP, data);

        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"OK\"");
        assertThat(report(run).devices()).extracting(DeviceResult::device)
                .containsExactlyInAnyOrder("EDGE-RTR-01", "CORE-SW-01");
    }

    @Test
    @Fills("restore-request")
    void theRestoreRequestFormStartsARestoreThatEndsAtOnceWithNoRequesterNetsnapKnows() {
        BrowserForms.Filled form = BrowserForms.fill("restore-request", Map.of(), List.of(
                List.of(),
                List.of(type("Device", "RTR-REJECT"), type("Version", "abc12"), type("Change ticket", "CHG-7"),
                        type("Reason", "no")),
                List.of(type("Version", "0123456789abcdef"), type("Reason", "back to last week's state"))));

        assertRendered(form);
        assertThat(form.text()).contains("REQUESTER_UNKNOWN");
        assertThat(form.attempts().get(0).errors()).extracting(BrowserForms.Shown::field)
                .containsExactly("Device", "Version", "Change ticket", "Reason");
        assertThat(form.attempts().get(1).errors()).containsExactly(
                new BrowserForms.Shown("Version", "Field must have minimum length of 7."),
                new BrowserForms.Shown("Reason", "Field must have minimum length of 3."));
        Map<String, Object> data = form.submitted();
        assertThat(data).isEqualTo(Map.of("deviceName", "RTR-REJECT", "version", "0123456789abcdef",
                "ticket", "CHG-7", "reason", "back to last week's state"));

        long key = start(Processes.CONFIG_RESTORE, data);

        // as the form says: ended at its first step, nothing asked and nothing pushed
        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(key));
        assertThat(records.variable(key, "refusal")).contains("REQUESTER_UNKNOWN");
        assertThat(records.completedElements(key, "End_Refused", BpmnElementType.END_EVENT)).isOne();
        assertThat(records.activations(key, "UserTask_Approval")).isZero();
        assertThat(restoreService.ledger().inFlightFor("RTR-REJECT")).isEmpty();
    }

    // ---- task forms: completed through netsnap's task service with what the form submitted ---------------------

    @Test
    @Fills("preflight-failed")
    void aPreflightFailedFormsRetryRunsThePreflightAgainAndBacksUp() {
        Map<String, String> good = LAB.vault().secret("secret", "network/lab-core");
        Map<String, String> broken = new HashMap<>(good);
        broken.remove("password");
        LAB.vault().putSecret("secret", "network/lab-core", broken);
        long run = runs.start(new RunLauncher.Request(null, List.of("CORE-SW-01"), null, "test"));
        OpenTask task = awaitTask(run, Processes.USER_TASK_PREFLIGHT_FAILED, "preflight-failed");
        LAB.vault().putSecret("secret", "network/lab-core", good);

        BrowserForms.Filled form = BrowserForms.fill("preflight-failed", shown(task), List.of(
                List.of(),
                List.of(choose("Decision", "Retry the preflight (the problem is fixed)"))));

        assertRendered(form);
        assertThat(form.text()).contains("Preflight failed: run " + runId(run))
                .contains("Scope: devices CORE-SW-01").contains("has no 'password'");
        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("Decision", REQUIRED));
        assertThat(form.submitted()).isEqualTo(Map.of("decision", "retry"));

        tasks.complete(task.key(), form.submitted(), "carol", null);

        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"OK\"");
        assertThat(records.activations(run, "Task_Preflight")).isEqualTo(2);
        assertThat(records.deviceBackupsOf(run)).isOne();
    }

    @Test
    @Fills("preflight-failed")
    void aPreflightFailedFormsAbortEndsTheRunTouchingNoDevice() {
        long run = runs.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01"),
                SETUP.inventoryWith("EDGE-RTR-01", "network/lab-nowhere"), "test"));
        OpenTask task = awaitTask(run, Processes.USER_TASK_PREFLIGHT_FAILED, "preflight-failed");

        BrowserForms.Filled form = BrowserForms.fill("preflight-failed", shown(task), List.of(
                List.of(choose("Decision", "Abort the run (an abort report is written)"))));

        assertThat(form.text()).contains("lab-nowhere");
        assertThat(form.submitted()).isEqualTo(Map.of("decision", "abort"));
        tasks.complete(task.key(), form.submitted(), "carol", null);

        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"ABORTED\"");
        assertThat(records.variable(run, "abortReason")).contains("aborted by an operator");
        assertThat(records.deviceBackupsOf(run)).isZero();
    }

    @Test
    @Fills({"device-backup-failed", "run-overdue"})
    void aDeviceFailedFormsRetryBacksTheDeviceUpAndTheOverdueFormIsAcknowledgedWhileTheRunGoesOn()
            throws IOException {
        long run = runs.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01"), BEHIND_OUTAGE, "test"));
        long edge = await().atMost(Duration.ofMinutes(1)).until(() -> child(run, "EDGE-RTR-01"),
                Optional::isPresent).orElseThrow();
        OpenTask failed = awaitTask(edge, Processes.USER_TASK_DEVICE_FAILED, "device-backup-failed");

        // the run waits for that decision past its 5 s window: the overdue task, acknowledged with a note
        OpenTask overdue = awaitTask(run, Processes.USER_TASK_RUN_OVERDUE, "run-overdue");
        BrowserForms.Filled note = BrowserForms.fill("run-overdue", shown(overdue), List.of(
                List.of(type("What you found (optional)", "x".repeat(301))),
                List.of(type("What you found (optional)", "EDGE-RTR-01 waits for a decision"))));
        assertRendered(note);
        assertThat(note.text()).contains("Run " + runId(run) + " has not ended in time")
                .contains("the run window is PT5S");
        assertThat(note.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown(
                "What you found (optional)", "Field must have maximum length of 300."));
        assertThat(note.submitted()).isEqualTo(Map.of("note", "EDGE-RTR-01 waits for a decision"));
        tasks.complete(overdue.key(), note.submitted(), "carol", null);
        await().atMost(Duration.ofMinutes(1)).until(() -> records.completedElements(run, "End_RunOverdueSeen",
                BpmnElementType.END_EVENT) == 1);
        assertThat(records.variable(run, "note")).isEqualTo("\"EDGE-RTR-01 waits for a decision\"");
        assertThat(records.ended(run)).as("the run goes on").isFalse();

        BrowserForms.Filled form = BrowserForms.fill("device-backup-failed", shown(failed), List.of(
                List.of(),
                List.of(choose("Decision", "Retry now (back the device up again)"))));
        assertRendered(form);
        assertThat(form.text()).contains("Backup of EDGE-RTR-01 failed").contains("Run " + runId(run) + " goes on")
                .contains("Error: DEVICE_UNREACHABLE").contains("Attempts: " + Processes.DEVICE_ATTEMPTS);
        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("Decision", REQUIRED));
        assertThat(form.submitted()).isEqualTo(Map.of("decision", "retry"));

        OUTAGE.up();
        tasks.complete(failed.key(), form.submitted(), "alice", null);

        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"OK\"");
        assertThat(records.activations(edge, "Task_BackupDevice")).as("backed up anew after the retry").isEqualTo(2);
        assertThat(report(run).decisions()).extracting(DeviceDecision::device, DeviceDecision::decision,
                DeviceDecision::decidedBy).containsExactly(org.assertj.core.groups.Tuple.tuple("EDGE-RTR-01",
                        DeviceDecision.RETRY, "alice"));
    }

    @Test
    @Fills("device-backup-failed")
    void aDeviceFailedFormsSkipEndsTheDeviceAndIsRecorded() throws IOException {
        long run = runs.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01", "CORE-SW-01"), BEHIND_OUTAGE,
                "test"));
        long edge = await().atMost(Duration.ofMinutes(1)).until(() -> child(run, "EDGE-RTR-01"),
                Optional::isPresent).orElseThrow();
        OpenTask failed = awaitTask(edge, Processes.USER_TASK_DEVICE_FAILED, "device-backup-failed");

        BrowserForms.Filled form = BrowserForms.fill("device-backup-failed", shown(failed), List.of(
                List.of(choose("Decision", "Skip this device in this run"))));
        assertThat(form.submitted()).isEqualTo(Map.of("decision", "skip"));
        tasks.complete(failed.key(), form.submitted(), "alice", null);

        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"PARTIAL\"");
        assertThat(records.completedElements(edge, "End_DeviceSkipped", BpmnElementType.END_EVENT)).isOne();
        RunReport report = report(run);
        assertThat(report.decisions()).singleElement().satisfies(decision -> {
            assertThat(decision.decision()).isEqualTo(DeviceDecision.SKIP);
            assertThat(decision.decidedBy()).isEqualTo("alice");
        });
        assertThat(report.devices()).filteredOn(r -> r.device().equals("CORE-SW-01")).singleElement()
                .satisfies(r -> assertThat(r.ok()).isTrue());
    }

    @Test
    @Fills({"restore-approval", "restore-emergency-approval"})
    void anApprovalFormsApproveRestoresAndTheEmergencyFormRollsBack() throws IOException {
        String device = "RTR-APPROVE";
        String target = twoVersions(device, 3, "description LAN core", "description LAN core (moved)");
        RestoreLauncher.Started started = restores.request(REQUESTER, device, target, false, "CHG-11",
                "back to the known good state");
        OpenTask approval = awaitTask(started.processInstanceKey(), "UserTask_Approval", "restore-approval");

        BrowserForms.Filled form = BrowserForms.fill("restore-approval", shown(approval), List.of(
                List.of(),
                List.of(choose("Decision", "Approve: push exactly this content"))));
        assertRendered(form);
        assertThat(form.text()).contains("Approve a configuration restore: " + device)
                .contains("Requested by: " + REQUESTER).contains("Change ticket: CHG-11")
                .contains("- description LAN core (moved)").contains("+ description LAN core")
                .doesNotContain("This task came back");
        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("Decision", REQUIRED));
        assertThat(form.submitted()).as("the hidden reason is not submitted").isEqualTo(Map.of("decision",
                "approve"));

        tasks.complete(approval.key(), form.submitted(), APPROVER, null);

        RestoreOutcome outcome = outcome(started);
        assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo(RestoreService.RESTORED);
        assertThat(restoreReport(started).approver()).isEqualTo(APPROVER);

        RestoreLauncher.Started emergency = restores.request(REQUESTER, device, null, true, "INC-7",
                "the restore broke routing");
        OpenTask expedited = awaitTask(emergency.processInstanceKey(), "UserTask_EmergencyApproval",
                "restore-emergency-approval");
        BrowserForms.Filled rollback = BrowserForms.fill("restore-emergency-approval", shown(expedited), List.of(
                List.of(choose("Decision", "Reject")),
                List.of(choose("Decision", "Approve: push exactly this content"))));
        assertRendered(rollback);
        assertThat(rollback.text()).contains("EMERGENCY ROLLBACK: " + device).contains("+ description LAN core"
                + " (moved)");
        assertThat(rollback.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("Why rejected",
                REQUIRED));
        assertThat(rollback.submitted()).isEqualTo(Map.of("decision", "approve"));

        tasks.complete(expedited.key(), rollback.submitted(), APPROVER, null);

        assertThat(outcome(emergency).outcome()).isEqualTo(RestoreService.RESTORED);
        assertThat(restoreReport(emergency).approver()).isEqualTo(APPROVER);
        assertThat(emergency.intake().version()).isEqualTo(restoreReport(started).checkpointVersion());
    }

    @Test
    @Fills("restore-approval")
    void anApprovalFormsRejectionNeedsAReasonAndRecordsWhoAndWhy() {
        String device = "RTR-REJECT";
        String target = twoVersions(device, 4, "description LAN core", "description LAN core v2");
        RestoreLauncher.Started started = restores.request(REQUESTER, device, target, false, "CHG-12", "rollback");
        OpenTask approval = awaitTask(started.processInstanceKey(), "UserTask_Approval", "restore-approval");

        BrowserForms.Filled form = BrowserForms.fill("restore-approval", shown(approval), List.of(
                List.of(choose("Decision", "Reject")),
                List.of(type("Why rejected", "no")),
                List.of(type("Why rejected", "wrong maintenance window"))));
        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("Why rejected",
                REQUIRED));
        assertThat(form.attempts().get(1).errors()).containsExactly(new BrowserForms.Shown("Why rejected",
                "Field must have minimum length of 3."));
        assertThat(form.submitted()).isEqualTo(Map.of("decision", "reject", "rejectReason",
                "wrong maintenance window"));

        tasks.complete(approval.key(), form.submitted(), APPROVER, null);

        RestoreOutcome outcome = outcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.REJECTED);
        assertThat(outcome.detail()).isEqualTo("rejected by " + APPROVER + ": wrong maintenance window");
    }

    @Test
    @Fills("restore-failed")
    void theRestoreFailedFormNeedsTheTickAndEndsTheRestore() {
        String device = "RTR-FAILING";
        String target = twoVersions(device, 8, FAILING_LINE, FAILING_LINE + " rack 2");
        RestoreLauncher.Started started = restores.request(REQUESTER, device, target, false, "CHG-13", "failing");
        tasks.complete(awaitTask(started.processInstanceKey(), "UserTask_Approval", "restore-approval").key(),
                Map.of("decision", "approve"), APPROVER, null);
        OpenTask failed = awaitTask(started.processInstanceKey(), "UserTask_RestoreFailed", "restore-failed");

        BrowserForms.Filled form = BrowserForms.fill("restore-failed", shown(failed), List.of(
                List.of(),
                List.of(tick("I have read this; the change needs a new request"))));
        assertRendered(form);
        assertThat(form.text()).contains("Restore failed: " + device + " is as before")
                .contains("Requested by: " + REQUESTER + ", approved by " + APPROVER)
                .contains("Outcome recorded: " + RestoreService.ROLLED_BACK);
        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown(
                "I have read this; the change needs a new request", REQUIRED));
        assertThat(form.submitted()).isEqualTo(Map.of("acknowledged", true));

        tasks.complete(failed.key(), form.submitted(), "carol", null);

        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(started.processInstanceKey()));
        assertThat(restoreService.ledger().outcome(started.intake().restoreId()).orElseThrow().outcome())
                .isEqualTo(RestoreService.ROLLED_BACK);
    }

    @Test
    @Fills("restore-rollback-failed")
    void theRollbackFailedFormNeedsAStateAndNotesAndFreesTheDevice() {
        String device = "RTR-BROKEN";
        String target = twoVersions(device, 9, STUBBORN_FAILING_LINE, NON_CONVERGING_LINE);
        RestoreLauncher.Started started = restores.request(REQUESTER, device, target, false, "CHG-14", "broken");
        tasks.complete(awaitTask(started.processInstanceKey(), "UserTask_Approval", "restore-approval").key(),
                Map.of("decision", "approve"), APPROVER, null);
        OpenTask urgent = awaitTask(started.processInstanceKey(), "UserTask_RollbackFailed",
                "restore-rollback-failed");
        assertThat(restoreService.ledger().inFlightFor(device)).as("held while the state is unknown").isPresent();

        BrowserForms.Filled form = BrowserForms.fill("restore-rollback-failed", shown(urgent), List.of(
                List.of(),
                List.of(choose("The device now", "Checked and working (restored by hand)"), type("What was done",
                        "ok")),
                List.of(type("What was done", "restored on the console"))));
        assertRendered(form);
        assertThat(form.text()).contains("URGENT: " + device + ": rollback failed, device state unknown")
                .contains("ROLLBACK_FAILED");
        assertThat(form.attempts().get(0).errors()).containsExactly(new BrowserForms.Shown("The device now",
                REQUIRED), new BrowserForms.Shown("What was done", REQUIRED));
        assertThat(form.attempts().get(1).errors()).containsExactly(new BrowserForms.Shown("What was done",
                "Field must have minimum length of 3."));
        assertThat(form.submitted()).isEqualTo(Map.of("deviceState", "recovered", "notes",
                "restored on the console"));

        tasks.complete(urgent.key(), form.submitted(), "carol", null);

        RestoreOutcome outcome = outcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.ROLLBACK_FAILED);
        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(started.processInstanceKey()));
        assertThat(restoreService.ledger().inFlightFor(device)).as("free again").isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static Lab.LabDevice router(String name, int site) {
        return new Lab.LabDevice(name, "edge", Lab.Kind.SIMULATED, LabConfigs.router(name, site));
    }

    /** What every rendered form must be: imported without warnings, every expression evaluated. */
    private static void assertRendered(BrowserForms.Filled form) {
        assertThat(form.formJs()).isEqualTo("1.10.1");
        assertThat(form.warnings()).isEmpty();
        assertThat(form.pageErrors()).isEmpty();
        assertThat(form.text()).doesNotContain("{{").doesNotContain("}}").isNotBlank();
    }

    /** Starts an instance with a start form's data as its variables, as Tasklist does. */
    private long start(String processId, Map<String, Object> data) {
        return client.newCreateInstanceCommand().bpmnProcessId(processId).latestVersion().variables(data).send()
                .join().getProcessInstanceKey();
    }

    /** The open task of {@code elementId} in that instance, once created; it must link {@code formId}. */
    private OpenTask awaitTask(long instance, String elementId, String formId) {
        OpenTask task = await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> tasks.list().stream()
                .filter(t -> t.processInstanceKey() == instance && t.elementId().equals(elementId)).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(task.formId()).as("the form the task links").isEqualTo(formId);
        return task;
    }

    /**
     * The variables a task's form is given, as Tasklist gives them: the task's own and its instance's, each at its
     * latest value, whole (not cut as {@code netsnap tasks show} prints them).
     */
    private Map<String, Object> shown(OpenTask task) {
        List<Record<?>> all = EngineRecords.snapshot(engine);
        long element = all.stream().filter(r -> r.getValueType() == ValueType.USER_TASK
                        && r.getIntent() == UserTaskIntent.CREATED && r.getKey() == task.key())
                .map(r -> ((UserTaskRecordValue) r.getValue()).getElementInstanceKey()).findFirst().orElseThrow();
        Map<String, Object> process = new HashMap<>();
        Map<String, Object> local = new HashMap<>();
        for (Record<?> record : all) {
            if (record.getValueType() != ValueType.VARIABLE || record.getRecordType() != RecordType.EVENT) {
                continue;
            }
            VariableRecordValue variable = (VariableRecordValue) record.getValue();
            if (variable.getScopeKey() == task.processInstanceKey()) {
                process.put(variable.getName(), parse(variable.getValue()));
            } else if (variable.getScopeKey() == element) {
                local.put(variable.getName(), parse(variable.getValue()));
            }
        }
        process.putAll(local);
        return process;
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private String runId(long run) {
        return records.variable(run, "runId").replace("\"", "");
    }

    private Optional<Long> child(long run, String device) {
        try {
            return Optional.of(records.childInstanceOf(device, run));
        } catch (java.util.NoSuchElementException e) {
            return Optional.empty();
        }
    }

    private RunReport report(long run) throws IOException {
        String exportDir = JSON.readValue(records.variable(run, "exportDir"), String.class);
        return JSON.readValue(SETUP.data().resolve(exportDir).resolve("report.json").toFile(), RunReport.class);
    }

    /** Backs the router up, changes one line on it, backs it up again; returns the first version. */
    private String twoVersions(String device, int site, String line, String changedTo) {
        String body = LabConfigs.router(device, site);
        assertThat(body).contains(line + "\n");
        RunLauncher.Result first = ProcessLab.run(runs, null, device);
        assertThat(first.historyCommit()).as(first.toString()).isNotNull();
        ((CliSimulator) LAB.simulator(device)).updateConfigBody(body.replace(line + "\n", changedTo + "\n"));
        RunLauncher.Result second = ProcessLab.run(runs, null, device);
        assertThat(second.historyCommit()).as(second.toString()).isNotNull();
        return first.historyCommit();
    }

    private RestoreOutcome outcome(RestoreLauncher.Started started) {
        return restores.awaitOutcome(started.intake().restoreId(), Duration.ofMinutes(2))
                .orElseThrow(() -> new AssertionError("restore " + started.intake().restoreId() + " did not end"));
    }

    private RestoreService.RestoreReport restoreReport(RestoreLauncher.Started started) throws IOException {
        return JSON.readValue(SETUP.data().resolve("runs").resolve(started.intake().requestedAt().substring(0, 10))
                .resolve(started.intake().restoreId()).resolve("restore.json").toFile(),
                RestoreService.RestoreReport.class);
    }
}
