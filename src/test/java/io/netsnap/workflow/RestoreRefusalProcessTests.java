package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.netsnap.NetsnapApplication;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.restore.RestoreOutcome;
import io.netsnap.restore.RestoreService;

/**
 * Restores that end at their first step, before anyone is asked: an archive that stores configurations masked
 * ({@code mask-secrets}) has no version a device could take back, a platform whose driver cannot restore is named,
 * and a config-restore started without netsnap's record of who asked (a Tasklist start form, a client of the
 * engine) has no requester netsnap can vouch for.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class RestoreRefusalProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            Lab.LabDevice.asa("ASA-FW-01", List.of("admin", "DMZ")));

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("netsnap.archive.mask-secrets", () -> "true");
    }

    @Autowired
    RunLauncher runs;

    @Autowired
    RestoreLauncher restores;

    @Autowired
    RestoreService service;

    @Autowired
    ZeebeTestEngine engine;

    @Autowired
    CamundaClient client;

    @Autowired
    io.netsnap.archive.Archive archive;

    RunRecords records;

    @BeforeEach
    void records() {
        records = new RunRecords(engine);
    }

    @Test
    void aVersionStoredMaskedIsRefusedBeforeAnyoneIsAsked() {
        ProcessLab.run(runs, null, "EDGE-RTR-01");
        String version = archive.versions("EDGE-RTR-01.cfg").get(0).commit();

        RestoreLauncher.Started started = restores.request("alice", "EDGE-RTR-01", version, false, "CHG-1",
                "masked test");

        RestoreOutcome outcome = outcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.REFUSED);
        assertThat(outcome.detail()).startsWith("VERSION_MASKED: version " + version + " of EDGE-RTR-01.cfg was"
                + " stored with its secrets masked");
        assertNobodyWasAsked(started.processInstanceKey());
        assertThat(service.ledger().inFlightFor("EDGE-RTR-01")).as("the device is free").isEmpty();
    }

    @Test
    void aPlatformThatCannotRestoreIsRefusedBeforeAnyoneIsAsked() {
        ProcessLab.run(runs, null, "EDGE-RTR-01");
        String version = archive.headCommit();

        RestoreLauncher.Started started = restores.request("alice", "ASA-FW-01", version, false, "CHG-2",
                "unsupported test");

        RestoreOutcome outcome = outcome(started);
        assertThat(outcome.outcome()).isEqualTo(RestoreService.REFUSED);
        assertThat(outcome.detail()).isEqualTo("UNSUPPORTED_PLATFORM: ASA-FW-01: netsnap cannot restore platform asa"
                + " (restore is supported where the driver declares it)");
        assertNobodyWasAsked(started.processInstanceKey());
    }

    @Test
    void aRestoreNetsnapDidNotRecordHasNoRequesterAndEndsAtOnce() {
        // as Tasklist's start form, or any client of the engine, would start it: typed values, no record of who
        long key = client.newCreateInstanceCommand().bpmnProcessId(Processes.CONFIG_RESTORE).latestVersion()
                .variables(Map.of("deviceName", "EDGE-RTR-01", "version", "0123456789abcdef", "ticket", "CHG-3",
                        "reason", "typed", "requester", "mallory"))
                .send().join().getProcessInstanceKey();

        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(key));
        assertThat(records.variable(key, "outcome")).isEqualTo("\"REFUSED\"");
        assertThat(records.variable(key, "refusal")).contains("REQUESTER_UNKNOWN: netsnap has no record of restore")
                .contains("restores are requested with netsnap restore");
        assertNobodyWasAsked(key);
    }

    private RestoreOutcome outcome(RestoreLauncher.Started started) {
        return restores.awaitOutcome(started.intake().restoreId(), Duration.ofMinutes(2))
                .orElseThrow(() -> new AssertionError("restore did not end"));
    }

    private void assertNobodyWasAsked(long instance) {
        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(instance));
        assertThat(records.activations(instance, "UserTask_Approval")).isZero();
        assertThat(records.activations(instance, "UserTask_EmergencyApproval")).isZero();
        assertThat(records.completedElements(instance, "End_Refused", BpmnElementType.END_EVENT)).isOne();
    }
}
