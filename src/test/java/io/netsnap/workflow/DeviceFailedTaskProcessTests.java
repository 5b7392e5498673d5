package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.netsnap.NetsnapApplication;
import io.netsnap.backup.DeviceDecision;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.RunReport;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.support.LeakScanner;

/**
 * A device that still fails after its retries, in a run with someone to ask: the {@code device-backup-failed} task
 * for network-operators, retry now or skip, and the report saying who decided what. EDGE-RTR-01 is reached through
 * an {@link Outage} that the tests cut and mend; MOVED-RTR-11 presents a changed host key, which blocks it without
 * asking anyone.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class DeviceFailedTaskProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            new Lab.LabDevice("CORE-SW-01", "core", Lab.Kind.SIMULATED,
                    LabConfigs.aggregationSwitch("CORE-SW-01", 2)),
            new Lab.LabDevice("MOVED-RTR-11", "edge", Lab.Kind.CHANGED_HOST_KEY,
                    LabConfigs.router("MOVED-RTR-11", 11)));
    private static final Lab LAB = SETUP.lab();
    private static final Outage OUTAGE = Outage.down(new InetSocketAddress("127.0.0.1",
            LAB.simulator("EDGE-RTR-01").port()));
    /** The lab inventory with EDGE-RTR-01 behind the outage. */
    private static final Path INVENTORY = SETUP.inventoryBehind("EDGE-RTR-01", OUTAGE);
    private static final String MAIL_PASSWORD = "mail-" + java.util.UUID.randomUUID();
    /** The operators' mailbox: a real SMTP server that the e-mail channel logs in to. */
    private static final GreenMail SMTP = mailbox();

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("netsnap.inventory-folders", () -> SETUP.inventories().toString());
        // a run held by a person's task outlasts this window in every test here
        registry.add("netsnap.run.window", () -> "PT5S");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("spring.mail.username", () -> "netsnap");
        registry.add("spring.mail.password", () -> MAIL_PASSWORD);
        registry.add("netsnap.notify.email.enabled", () -> "true");
        registry.add("netsnap.notify.email.from", () -> "netsnap@example.net");
        registry.add("netsnap.notify.email.to", () -> "noc@example.net");
    }

    @org.junit.jupiter.api.AfterAll
    static void closeMailbox() {
        SMTP.stop();
    }

    private static GreenMail mailbox() {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        smtp.setUser("netsnap@example.net", "netsnap", MAIL_PASSWORD);
        return smtp;
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    TaskService tasks;

    @Autowired
    UserTasks userTasks;

    @Autowired
    ZeebeTestEngine engine;

    @AfterEach
    void cut() {
        OUTAGE.down();
    }

    @Test
    void aRetryAfterTheLinkIsBackBacksTheDeviceUpAndTheReportNamesWhoDecided() throws IOException {
        long run = launcher.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01", "CORE-SW-01"), INVENTORY,
                "test"));
        RunRecords records = new RunRecords(engine);
        long edge = await().atMost(Duration.ofMinutes(1)).until(() -> child(records, run, "EDGE-RTR-01"),
                Optional::isPresent).orElseThrow();

        UserTaskRecordValue first = awaitTask(edge, 1);
        assertThat(first.getCandidateGroupsList()).containsExactly(Processes.GROUP_OPERATORS);
        assertThat(first.getFormKey()).as("the device-backup-failed form").isPositive();
        Map<String, String> shown = variables(first.getUserTaskKey());
        assertThat(shown).containsEntry("deviceName", "\"EDGE-RTR-01\"").containsEntry("errorCode",
                "\"DEVICE_UNREACHABLE\"").containsEntry("attempts", String.valueOf(Processes.DEVICE_ATTEMPTS));
        assertThat(shown.get("lastMessage")).contains("gave up after 4 attempts");
        assertThat(records.failedJobsOf("EDGE-RTR-01", run)).as("every retry of the schedule was used")
                .hasSize(Processes.DEVICE_ATTEMPTS - 1);

        // retried while the link is still down: the device fails again and the task comes back
        tasks.complete(first.getUserTaskKey(), Map.of("decision", "retry"), "alice", null);
        UserTaskRecordValue second = awaitTask(edge, 2);

        OUTAGE.up();
        tasks.complete(second.getUserTaskKey(), Map.of("decision", "retry"), "alice", null);

        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"OK\"");
        assertThat(records.activations(edge, "Task_BackupDevice")).as("backed up anew after each retry")
                .isEqualTo(3);
        RunReport report = report(records, run);
        assertThat(report.devices()).filteredOn(r -> r.device().equals("EDGE-RTR-01")).singleElement()
                .satisfies(r -> assertThat(r.ok()).isTrue());
        assertThat(report.decisions()).extracting(DeviceDecision::device, DeviceDecision::error,
                        DeviceDecision::attempts, DeviceDecision::decision, DeviceDecision::decidedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("EDGE-RTR-01", "DEVICE_UNREACHABLE", 4, "retry", "alice"),
                        org.assertj.core.groups.Tuple.tuple("EDGE-RTR-01", "DEVICE_UNREACHABLE", 4, "retry", "alice"));
        new LeakScanner(LAB.secrets()).assertClean("engine records", records.json());
    }

    @Test
    void aSkipIsRecordedAndABlockedDeviceAsksNobody() throws IOException {
        long run = launcher.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01", "MOVED-RTR-11"), INVENTORY,
                "test"));
        RunRecords records = new RunRecords(engine);
        long edge = await().atMost(Duration.ofMinutes(1)).until(() -> child(records, run, "EDGE-RTR-01"),
                Optional::isPresent).orElseThrow();
        UserTaskRecordValue task = awaitTask(edge, 1);

        long moved = records.childInstanceOf("MOVED-RTR-11", run);
        await().atMost(Duration.ofMinutes(1)).until(() -> records.completedElements(moved, "End_DeviceFailed",
                BpmnElementType.END_EVENT) == 1);
        assertThat(tasksOf(moved)).as("a changed host key is blocked: no retry mends it").isEmpty();
        assertThat(records.failedJobsOf("MOVED-RTR-11", run)).as("never retried").isEmpty();

        // completed outside netsnap, as Tasklist does: netsnap cannot tell who, and says so
        userTasks.complete(task.getUserTaskKey(), Map.of("decision", "skip"));

        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"PARTIAL\"");
        assertThat(records.completedElements(edge, "End_DeviceSkipped", BpmnElementType.END_EVENT)).isEqualTo(1);
        RunReport report = report(records, run);
        assertThat(report.decisions()).singleElement().satisfies(decision -> {
            assertThat(decision.decision()).isEqualTo(DeviceDecision.SKIP);
            assertThat(decision.decidedBy()).isNull();
            assertThat(decision.line()).contains("skip by someone outside netsnap (not recorded)");
        });
        assertThat(report.devices()).filteredOn(r -> r.device().equals("MOVED-RTR-11")).singleElement()
                .satisfies(r -> {
                    assertThat(r.error()).isEqualTo(Processes.ERROR_HOST_KEY_MISMATCH);
                    assertThat(r.message()).contains("blocked: not retried until fixed");
                });
        assertThat(report.devices()).filteredOn(r -> r.device().equals("EDGE-RTR-01")).extracting(DeviceResult::error)
                .containsExactly(Processes.ERROR_DEVICE_UNREACHABLE);
    }

    @Test
    void aRunPastItsWindowEscalatesToOperatorsAndGoesOn() {
        long run = launcher.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01"), INVENTORY, "test"));
        RunRecords records = new RunRecords(engine);
        long edge = await().atMost(Duration.ofMinutes(1)).until(() -> child(records, run, "EDGE-RTR-01"),
                Optional::isPresent).orElseThrow();
        UserTaskRecordValue held = awaitTask(edge, 1);

        UserTaskRecordValue overdue = records.awaitUserTask(run, Processes.USER_TASK_RUN_OVERDUE);
        assertThat(overdue.getCandidateGroupsList()).containsExactly(Processes.GROUP_OPERATORS);
        assertThat(overdue.getPriority()).isEqualTo(80);
        assertThat(variables(overdue.getUserTaskKey())).containsEntry("runWindow", "\"PT5S\"");
        assertThat(records.ended(run)).as("the run goes on").isFalse();
        await().atMost(Duration.ofMinutes(1)).until(() -> mails().stream().anyMatch(m -> m.contains(runId(records,
                run)) && m.contains("PT5S")));

        tasks.complete(held.getUserTaskKey(), Map.of("decision", "skip"), "carol", null);
        await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"PARTIAL\"");
        assertThat(StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false)
                .filter(r -> r.getValueType() == ValueType.USER_TASK && r.getIntent() == UserTaskIntent.CANCELED)
                .map(r -> ((UserTaskRecordValue) r.getValue()).getUserTaskKey()))
                .as("the escalation task ends with the run").contains(overdue.getUserTaskKey());
        // the run's end: the new failure, once, with its code; nothing of the configuration, no secret
        String id = runId(records, run);
        await().atMost(Duration.ofMinutes(1)).until(() -> mails().stream()
                .anyMatch(m -> m.contains(id) && m.contains("DEVICE_UNREACHABLE") && m.contains("EDGE-RTR-01")));
        java.util.Set<String> secrets = new java.util.HashSet<>(LAB.secrets());
        secrets.add(MAIL_PASSWORD);
        mails().forEach(mail -> new LeakScanner(secrets).assertClean("a notification mail", mail));
    }

    private static List<String> mails() {
        return java.util.Arrays.stream(SMTP.getReceivedMessages()).map(GreenMailUtil::getWholeMessage).toList();
    }

    private static String runId(RunRecords records, long run) {
        return records.variable(run, "runId").replace("\"", "");
    }

    /** The {@code n}-th device-backup-failed task of a device-backup instance, once the engine created it. */
    private UserTaskRecordValue awaitTask(long instance, int n) {
        return await().atMost(ProcessLab.RUN_TIMEOUT).until(() -> tasksOf(instance), list -> list.size() >= n)
                .get(n - 1);
    }

    private List<UserTaskRecordValue> tasksOf(long instance) {
        return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false)
                .filter(r -> r.getValueType() == ValueType.USER_TASK && r.getIntent() == UserTaskIntent.CREATED)
                .map(r -> (UserTaskRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance
                        && v.getElementId().equals(Processes.USER_TASK_DEVICE_FAILED))
                .toList();
    }

    private Map<String, String> variables(long task) {
        Map<String, String> values = new java.util.HashMap<>();
        tasks.show(task).variables().forEach(v -> values.putIfAbsent(v.name(), v.value()));
        return values;
    }

    private static Optional<Long> child(RunRecords records, long run, String device) {
        try {
            return Optional.of(records.childInstanceOf(device, run));
        } catch (java.util.NoSuchElementException e) {
            return Optional.empty();
        }
    }

    private static RunReport report(RunRecords records, long run) throws IOException {
        String exportDir = new ObjectMapper().readValue(records.variable(run, "exportDir"), String.class);
        return new ObjectMapper().findAndRegisterModules().readValue(
                SETUP.data().resolve(exportDir).resolve("report.json").toFile(), RunReport.class);
    }
}
