package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.netsnap.NetsnapApplication;
import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.backup.RunDelivery;
import io.netsnap.backup.DeviceResult;
import io.netsnap.lab.ConductorSimulator;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.support.LeakScanner;

/**
 * network-backup with Aruba conductors on the embedded engine: the real workers and REST client against the lab
 * conductors over HTTPS, pushing to the lab backup server. An engine of its own (its own JVM), so that the record
 * stream of these runs stays small.
 */
@SpringBootTest(classes = NetsnapApplication.class, properties = "logging.level.io.netsnap=DEBUG")
class ArubaProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            Lab.LabDevice.conductor("MC-01", 21),
            Lab.LabDevice.conductor("MC-02", 22));
    private static final Lab LAB = SETUP.lab();

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
    ArchiveProperties archiveProperties;

    @Autowired
    RunDelivery delivery;

    @Test
    void aConductorGoesThroughEveryRestStepPushesItsBackupsAndIsStoredLikeAnyDevice() throws Exception {
        RunLauncher.Result result = run("MC-01", "EDGE-RTR-01");

        assertThat(result.outcome()).isEqualTo("OK");
        DeviceResult mc = resultOf(result, "MC-01");
        assertThat(mc.status()).isEqualTo("OK");
        assertThat(mc.platform()).isEqualTo("aruba-conductor");
        assertThat(archive.lastCommitted("MC-01.cfg")).get().asString().contains("hostname \"MC-01\"")
                .doesNotContain("Building Configuration").doesNotContain("controller config");
        long child = stream().childInstanceOf("MC-01", result.processInstanceKey());
        for (String task : List.of("Task_ArubaLogin", "Task_ArubaCopyRunningFlash", "Task_ArubaFlashBackup",
                "Task_ArubaCopyFlashScp", "Task_ArubaTarFlashClean", "Task_ArubaFetchConfig", "Task_ArubaLogout")) {
            assertThat(stream().completedElements(child, task, BpmnElementType.SERVICE_TASK)).as(task).isEqualTo(1);
        }
        // what the copy_flash_scp step found on the backup server, checked against the conductor's flash
        List<Map<String, Object>> files = variable(child, "arubaFiles");
        Path server = LAB.backupServer().root();
        assertThat(files).hasSize(2).allSatisfy(file -> {
            Path arrived = server.resolve((String) file.get("path"));
            assertThat(arrived).exists();
            assertThat(((Number) file.get("bytes")).longValue()).isEqualTo(Files.size(arrived));
            assertThat(file.get("sha256")).isEqualTo(sha256(Files.readAllBytes(arrived)));
        });
        assertThat((String) files.get(1).get("path")).endsWith("_flash.tar.gz").contains(result.runId());
        ConductorSimulator conductor = LAB.conductor("MC-01");
        assertThat(conductor.flash().keySet()).noneMatch(f -> f.endsWith(".tar.gz"));
        assertThat(conductor.liveSessions()).isZero();

        RunLauncher.Result again = run("MC-01");
        assertThat(resultOf(again, "MC-01").changed()).as("controller config N is volatile").isFalse();
    }

    @Test
    void theManifestSaysWhereTheConductorsCopiesLieAndRetentionRemovesExactlyThoseFromTheServer() throws Exception {
        RunLauncher.Result result = run("MC-01");
        assertThat(result.outcome()).isEqualTo("OK");

        // the manifest, from the run's state: location, bytes and sha256 of what is on the server now
        Path server = LAB.backupServer().root();
        String prefix = "sftp://" + LAB.backupServer().host() + ":" + LAB.backupServer().port() + "/~/";
        Path export = archive.root().resolve(result.exportDir());
        Map<String, Object> manifest = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                export.resolve("manifest.json").toFile(), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> copies = (List<Map<String, Object>>) manifest.get("remoteCopies");
        assertThat(copies).hasSize(2).allSatisfy(copy -> {
            assertThat(copy.get("device")).isEqualTo("MC-01");
            String location = (String) copy.get("location");
            assertThat(location).startsWith(prefix + Lab.CONDUCTOR_DIRECTORY + "/MC-01_" + result.runId() + "_");
            Path onServer = server.resolve(location.substring(prefix.length()));
            assertThat(((Number) copy.get("bytes")).longValue()).isEqualTo(Files.size(onServer));
            assertThat(copy.get("sha256")).isEqualTo(sha256(Files.readAllBytes(onServer)));
        });
        assertThat(copies).extracting(copy -> (String) copy.get("location")).anySatisfy(l -> assertThat(l)
                .endsWith("_config.cfg")).anySatisfy(l -> assertThat(l).endsWith("_flash.tar.gz"));
        List<Path> pushed = copies.stream()
                .map(copy -> server.resolve(((String) copy.get("location")).substring(prefix.length()))).toList();
        Path unrelated = Files.writeString(server.resolve(Lab.CONDUCTOR_DIRECTORY)
                .resolve("MC-01_" + result.runId() + "_notes.txt"), "not netsnap's");
        new LeakScanner(LAB.secrets()).assertClean(export.resolve("manifest.json"));

        // a day after this run's exports expire: the run's date comes from its folder, not from the clock
        java.time.LocalDate runDate = java.time.LocalDate.parse(Path.of(result.exportDir()).getParent()
                .getFileName().toString());
        RunDelivery.Retention retention = delivery.applyRetention(runDate.plus(archiveProperties.retention())
                .plusDays(1));

        assertThat(retention.conductorCopiesError()).isNull();
        assertThat(retention.conductorCopies()).containsAll(copies.stream()
                .map(copy -> (String) copy.get("location")).toList());
        assertThat(pushed).allSatisfy(file -> assertThat(file).doesNotExist());
        assertThat(unrelated).as("a file netsnap did not record stays").exists();
        assertThat(archive.root().resolve("state").resolve(result.exportDir())).doesNotExist();
    }

    @Test
    void aConductorStepFailureStillCleansTheFlashAndLogsOutThroughTheModel() {
        ConductorSimulator conductor = LAB.conductor("MC-02");
        conductor.failAt("flash_backup");
        conductor.clearHistory();
        try {
            RunLauncher.Result result = run("MC-02", "EDGE-RTR-01");

            assertThat(result.outcome()).isEqualTo("PARTIAL");
            DeviceResult mc = resultOf(result, "MC-02");
            assertThat(mc.error()).isEqualTo("DEVICE_PROTOCOL");
            assertThat(mc.message()).contains("flash_backup failed on the conductor");
            long child = stream().childInstanceOf("MC-02", result.processInstanceKey());
            assertThat(stream().completedElements(child, "Task_ArubaCleanAfterFailure", BpmnElementType.SERVICE_TASK))
                    .isEqualTo(1);
            assertThat(stream().completedElements(child, "Task_ArubaLogout", BpmnElementType.SERVICE_TASK)).isEqualTo(1);
            assertThat(stream().completedElements(child, "End_DeviceFailed", BpmnElementType.END_EVENT)).isEqualTo(1);
            assertThat(stream().completedElements(child, "Task_ArubaCopyFlashScp", BpmnElementType.SERVICE_TASK)).isZero();
            assertThat(conductor.calls()).containsSubsequence("POST flash_backup", "POST tar_flash_clean",
                    "GET logout");
            assertThat(conductor.logouts()).as("preflight's login and the run's, each logged out")
                    .isEqualTo(conductor.logins()).isEqualTo(2);
            assertThat(conductor.liveSessions()).isZero();
            assertThat(conductor.flash().keySet()).noneMatch(f -> f.endsWith(".tar.gz"));
        } finally {
            conductor.failAt();
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void noSecretOfAConductorRunReachesVariablesLogsOrRunFiles(CapturedOutput log) {
        LAB.conductor("MC-02").failAt("copy_flash_scp");
        RunLauncher.Result result;
        try {
            result = run("EDGE-RTR-01", "MC-01", "MC-02");
        } finally {
            LAB.conductor("MC-02").failAt();
        }
        assertThat(result.counts().failed()).isEqualTo(1);
        assertThat(resultOf(result, "MC-01").status()).isEqualTo("OK");
        assertThat(resultOf(result, "MC-02").message()).contains("copy_flash_scp failed on the conductor");

        // the SCP password is among the lab's secrets; the conductor's session ids and CSRF tokens are added here
        LeakScanner scanner = new LeakScanner(java.util.stream.Stream.of(LAB.secrets(),
                LAB.conductor("MC-01").issuedTokens(), LAB.conductor("MC-02").issuedTokens())
                .flatMap(java.util.Set::stream).toList());
        String records = stream().json();
        assertThat(records).as("the record stream holds this run").contains(result.runId());
        scanner.assertClean("the engine's record stream (process variables, job errors)", records);
        assertThat(log.getAll()).as("the application log (DEBUG for netsnap) covers this run")
                .contains("MC-01: copy_flash_scp done").contains("MC-02: logged out of the conductor");
        scanner.assertClean("the application log", log.getAll());
        Path export = archive.root().resolve(result.exportDir());
        scanner.assertClean(export.resolve("manifest.json"));
        scanner.assertClean(export.resolve("report.json"));
        scanner.assertClean(archive.historyDir());
    }

    private RunLauncher.Result run(String... devices) {
        return ProcessLab.run(launcher, null, devices);
    }

    @SuppressWarnings("unchecked")
    private <T> T variable(long processInstanceKey, String name) throws java.io.IOException {
        String json = java.util.Objects.requireNonNull(stream().variable(processInstanceKey, name), name);
        return (T) new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DeviceResult resultOf(RunLauncher.Result result, String device) {
        return ProcessLab.resultOf(result, device);
    }

    private RunRecords stream() {
        return new RunRecords(engine);
    }
}
