package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.netsnap.NetsnapApplication;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;

/**
 * A failed preflight in a run started without {@code interactive=false} (Tasklist, timer): the run waits for the
 * {@code preflight-failed} user task, completed here as Tasklist would, with retry or abort. In an engine of its
 * own: see the note in the README's limits on completing user tasks in embedded mode.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class PreflightTaskProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            new Lab.LabDevice("CORE-SW-01", "core", Lab.Kind.SIMULATED,
                    LabConfigs.aggregationSwitch("CORE-SW-01", 2)));
    private static final Lab LAB = SETUP.lab();

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        // the variants of the lab inventory that tests name as a run's inventory
        registry.add("netsnap.inventory-folders", () -> SETUP.inventories().toString());
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    UserTasks userTasks;

    @Autowired
    ZeebeTestEngine engine;

    RunRecords records;

    @BeforeEach
    void records() {
        records = new RunRecords(engine);
    }

    @Test
    void aSecretWithoutPasswordAsksAnOperatorAndARetryAfterTheFixContinuesTheSameRun() {
        Map<String, String> good = LAB.vault().secret("secret", "network/lab-core");
        Map<String, String> broken = new HashMap<>(good);
        broken.remove("password");
        LAB.vault().putSecret("secret", "network/lab-core", broken);

        long run = launcher.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01", "CORE-SW-01"), null, "test"));
        UserTaskRecordValue task = records.awaitUserTask(run, Processes.USER_TASK_PREFLIGHT_FAILED);

        assertThat(task.getCandidateGroupsList()).containsExactly(Processes.GROUP_OPERATORS);
        assertThat(task.getFormKey()).isPositive();
        assertThat(records.variable(run, "preflightProblems")).contains("secret at secret/network/lab-core has no 'password'");
        assertThat(records.deviceBackupsOf(run)).as("no device touched while waiting").isZero();

        LAB.vault().putSecret("secret", "network/lab-core", good);
        userTasks.complete(task.getUserTaskKey(), Map.of("decision", "retry"));

        await().atMost(Duration.ofMinutes(2)).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"OK\"");
        assertThat(records.variable(run, "abortReason")).isEqualTo("null");
        assertThat(records.deviceBackupsOf(run)).as("the same instance went on to back up both").isEqualTo(2);
        assertThat(records.activations(run, "Task_Preflight")).as("preflight ran twice in the one instance").isEqualTo(2);
    }

    @Test
    void anOperatorCanAbortAfterAFailedPreflight() {
        long run = launcher.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01"),
                SETUP.inventoryWith("EDGE-RTR-01", "network/lab-nowhere"), "test"));
        UserTaskRecordValue task = records.awaitUserTask(run, Processes.USER_TASK_PREFLIGHT_FAILED);

        userTasks.complete(task.getUserTaskKey(), Map.of("decision", "abort"));

        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"ABORTED\"");
        assertThat(records.variable(run, "abortReason")).contains("lab-nowhere").contains("aborted by an operator");
        assertThat(records.deviceBackupsOf(run)).isZero();
    }

}
