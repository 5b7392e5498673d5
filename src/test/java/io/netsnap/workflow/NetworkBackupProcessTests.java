package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.netsnap.NetsnapApplication;
import io.netsnap.archive.Archive;
import io.netsnap.backup.DeviceResult;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.VaultDouble;
import io.netsnap.support.LeakScanner;

/**
 * network-backup on the embedded engine with the real workers, drivers and archive, against lab devices and the
 * Vault double.
 */
@SpringBootTest(classes = NetsnapApplication.class, properties = "logging.level.io.netsnap=DEBUG")
class NetworkBackupProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            new Lab.LabDevice("CORE-SW-01", "core", Lab.Kind.SIMULATED,
                    LabConfigs.aggregationSwitch("CORE-SW-01", 2)),
            new Lab.LabDevice("STALE-RTR-09", "edge", Lab.Kind.STALE_PASSWORD, LabConfigs.router("STALE-RTR-09", 9)),
            new Lab.LabDevice("GONE-RTR-99", "edge", Lab.Kind.UNREACHABLE, null),
            Lab.LabDevice.asa("ASA-FW-01", List.of("admin", "DMZ", "BACKEND")),
            new Lab.LabDevice("MOVED-RTR-11", "edge", Lab.Kind.CHANGED_HOST_KEY, LabConfigs.router("MOVED-RTR-11", 11)),
            new Lab.LabDevice("HANG-RTR-13", "edge", Lab.Kind.HANGING, LabConfigs.router("HANG-RTR-13", 13)));
    private static final Lab LAB = SETUP.lab();
    /** Short enough for a test, far longer than any healthy lab session. */
    private static final Duration CEILING = Duration.ofSeconds(6);
    private static final VaultDouble VAULT = LAB.vault();
    private static final Path TOKEN_FILE = Path.of(LAB.properties().get("netsnap.vault.token-file").toString());
    /** What netsnap's policy grants: device credentials and the backup server's login. */
    private static final Map<String, String> READ_NETWORK = Map.of("secret/data/network/*", "read",
            "secret/data/backup/*", "read");

    static {
        // A real service token under a policy instead of the lab's root token, so policy denials can be staged.
        VAULT.putPolicy("netsnap", READ_NETWORK);
        useNewToken();
    }

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        // the variants of the lab inventory that tests name as a run's inventory
        registry.add("netsnap.inventory-folders", () -> SETUP.inventories().toString());
        registry.add("netsnap.ssh.device-ceiling", CEILING::toString);
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    ZeebeTestEngine engine;

    @Autowired
    Archive archive;


    @Test
    void backsUpEveryDeviceAndCommitsOnceWhenAllAreHealthy() {
        RunLauncher.Result result = run("EDGE-RTR-01", "CORE-SW-01");

        assertThat(result.outcome()).isEqualTo("OK");
        assertThat(result.results()).extracting(DeviceResult::device, DeviceResult::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("EDGE-RTR-01", "OK"),
                        org.assertj.core.groups.Tuple.tuple("CORE-SW-01", "OK"));
        assertThat(result.counts().ok()).isEqualTo(2);
        assertThat(result.historyCommit()).isEqualTo(archive.headCommit());
        assertThat(archive.lastCommitted("CORE-SW-01.cfg")).get().asString()
                .contains("hostname CORE-SW-01").doesNotContain("Current configuration");
        Path export = archive.root().resolve(result.exportDir());
        assertThat(export.resolve("manifest.json")).exists();
        assertThat(export.resolve("report.json")).exists();

        RunLauncher.Result again = run("EDGE-RTR-01", "CORE-SW-01");
        assertThat(again.outcome()).as(again.toString()).isEqualTo("OK");
        assertThat(again.results()).as("the second run backed both devices up again")
                .extracting(DeviceResult::device, DeviceResult::status, DeviceResult::changed)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("EDGE-RTR-01", "OK", false),
                        org.assertj.core.groups.Tuple.tuple("CORE-SW-01", "OK", false));
        assertThat(again.historyCommit()).isEqualTo(result.historyCommit());
    }

    /** What Operate shows without opening an instance, and what stays on the run's root. */
    @Test
    void aCleanRunEndsAtItsOwnEndEventEachDeviceIsFindableByNameAndNoDeviceResultStaysOnTheRoot() {
        RunLauncher.Result result = run("EDGE-RTR-01", "CORE-SW-01");

        RunRecords records = stream();
        long run = result.processInstanceKey();
        assertThat(records.completedElements(run, "End_RunComplete", BpmnElementType.END_EVENT)).isEqualTo(1);
        assertThat(records.completedElements(run, "End_RunPartial", BpmnElementType.END_EVENT)).isZero();
        long edge = records.childInstanceOf("EDGE-RTR-01", run);
        assertThat(records.variable(edge, "deviceName")).as("a plain string Operate 8.6 can filter on")
                .isEqualTo("\"EDGE-RTR-01\"");
        assertThat(records.variable(run, "result")).as("the per-device result goes to the collection only")
                .isNull();
        assertThat(records.variable(run, "deviceResult")).as("the collection's element stays in its instance")
                .isNull();
    }

    /** Who and why, in the report and the manifest (the commit message: RunHistoryTests). */
    @Test
    void theReasonAndTheRequesterAreRecordedInReportManifestAndCommit() throws IOException {
        RunLauncher.Result result = launcher.startAndWait(new RunLauncher.Request(null, List.of("EDGE-RTR-01"), null,
                "CHG-4711 before the core upgrade"), Duration.ofMinutes(2));

        Path export = archive.root().resolve(result.exportDir());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String requester = "cli:" + System.getProperty("user.name");
        for (String document : List.of("report.json", "manifest.json")) {
            var read = json.readTree(export.resolve(document).toFile());
            assertThat(read.path("reason").asText()).as(document).isEqualTo("CHG-4711 before the core upgrade");
            assertThat(read.path("requestedBy").asText()).as(document).isEqualTo(requester);
        }
    }

    /**
     * Preflight logs in once per credentials path, on the first device using it: a device whose password differs
     * from the other devices sharing its path still fails in its own backup, alone.
     */
    @Test
    void theRunFolderIsUploadedToTheLabBackupServerVerifiedWithItsReport() throws java.io.IOException {
        RunLauncher.Result result = run("EDGE-RTR-01");

        Path export = archive.root().resolve(result.exportDir());
        var upload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(export.resolve("report.json").toFile())
                .get("upload");
        assertThat(upload.get("uploaded").asBoolean()).isTrue();
        assertThat(upload.get("verified").asBoolean()).isTrue();
        assertThat(upload.get("files").asInt()).isEqualTo(2); // the device file and manifest.json
        assertThat(upload.get("error").isNull()).isTrue();
        Path remote = LAB.uploadFolder().resolve(export.getParent().getFileName()).resolve(result.runId());
        try (var local = Files.list(export)) {
            for (Path file : local.toList()) {
                // report.json too: it is written after the upload and sent by the report step
                assertThat(remote.resolve(file.getFileName())).hasSameBinaryContentAs(file);
            }
        }
        try (var left = Files.list(remote)) {
            assertThat(left.map(Path::toString)).noneMatch(name -> name.endsWith(".part"));
        }
    }

    @Test
    void aWrongPasswordFailsThatDeviceOnlyWithoutRetries() {
        RunLauncher.Result result = run(staleSharesCorePath(), "EDGE-RTR-01", "CORE-SW-01", "STALE-RTR-09");

        assertThat(result.outcome()).isEqualTo("PARTIAL");
        assertThat(io.netsnap.cli.NetsnapCommand.exitCode(result)).isEqualTo(1);
        assertThat(resultOf(result, "EDGE-RTR-01").status()).isEqualTo("OK");
        DeviceResult stale = resultOf(result, "STALE-RTR-09");
        assertThat(stale.status()).isEqualTo("FAILED");
        assertThat(stale.error()).isEqualTo("AUTH_FAILED");
        assertThat(stale.message()).contains("STALE-RTR-09").contains("network/lab-core");
        assertThat(stream().failedJobsOf("STALE-RTR-09", result.processInstanceKey()))
                .as("authentication failures are not retried").isEmpty();
        assertThat(LAB.simulator("STALE-RTR-09").sessionsOpened()).isZero();
        assertThat(stream().completedElements(result.processInstanceKey(), "End_RunPartial",
                BpmnElementType.END_EVENT)).as("a run with failed devices ends visibly apart").isEqualTo(1);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anUnreachableDeviceIsRetriedWithBackoffThenReportedWhileOthersSucceed(CapturedOutput output) {
        RunLauncher.Result result = run("EDGE-RTR-01", "GONE-RTR-99", "CORE-SW-01");

        assertThat(result.outcome()).isEqualTo("PARTIAL");
        assertThat(resultOf(result, "EDGE-RTR-01").status()).isEqualTo("OK");
        assertThat(resultOf(result, "CORE-SW-01").status()).isEqualTo("OK");
        DeviceResult gone = resultOf(result, "GONE-RTR-99");
        assertThat(gone.error()).isEqualTo("DEVICE_UNREACHABLE");
        assertThat(gone.message()).contains("connection refused").contains("gave up after " + Processes.DEVICE_ATTEMPTS + " attempts");
        List<JobRecordValue> failures = stream().failedJobsOf("GONE-RTR-99", result.processInstanceKey());
        assertThat(failures).as("three retries before giving up").hasSize(Processes.DEVICE_ATTEMPTS - 1);
        assertThat(failures).extracting(JobRecordValue::getRetries).containsExactly(3, 2, 1);
        // the embedded engine gets each failure once netsnap has waited the schedule's wait (see OneLineJobFailures)
        assertThat(failures).extracting(JobRecordValue::getRetryBackoff).containsOnly(0L);
        assertThat(output.getAll()).as("netsnap.retry.backoff=PT0.5S, PT1S, PT2S here")
                .contains("GONE-RTR-99: cannot reach", "attempt 1 of 4, retrying in 500 ms",
                        "attempt 2 of 4, retrying in 1 s", "attempt 3 of 4, retrying in 2 s");
    }

    @Test
    void anAsaInMultipleContextModeIsOneElementInstanceAndOneFilePerContext() {
        RunLauncher.Result result = run("ASA-FW-01", "EDGE-RTR-01");

        assertThat(result.outcome()).isEqualTo("OK");
        DeviceResult asa = resultOf(result, "ASA-FW-01");
        assertThat(asa.status()).isEqualTo("OK");
        assertThat(asa.contexts()).extracting(DeviceResult::context)
                .as("the system space first, then the contexts show context reports")
                .containsExactly("system", "admin", "DMZ", "BACKEND");
        assertThat(asa.contexts()).allSatisfy(c -> assertThat(c.status()).isEqualTo("OK"));
        assertThat(archive.lastCommitted("ASA-FW-01/DMZ.cfg")).get().asString().contains("hostname DMZ")
                .doesNotContain("Cryptochecksum").doesNotContain(": Written by");
        assertThat(archive.lastCommitted("ASA-FW-01/system.cfg")).get().asString().contains("context BACKEND");
        assertThat(archive.root().resolve(result.exportDir())).isDirectoryContaining("glob:**/ASA-FW-01_DMZ_*.cfg");

        long child = stream().childInstanceOf("ASA-FW-01", result.processInstanceKey());
        assertThat(stream().completedElements(child, "SubProcess_Contexts", BpmnElementType.SUB_PROCESS))
                .as("one element instance per context in Operate").isEqualTo(4);
        assertThat(stream().completedElements(child, "Task_BackupContext", BpmnElementType.SERVICE_TASK)).isEqualTo(4);
        assertThat(((CliSimulator) LAB.simulator("ASA-FW-01")).maxConcurrentSessions())
                .as("one ASA never gets parallel sessions").isEqualTo(1);

        RunLauncher.Result again = run("ASA-FW-01");
        assertThat(resultOf(again, "ASA-FW-01").contexts()).as("every context backed up again, none changed")
                .extracting(DeviceResult::context, DeviceResult::status, DeviceResult::changed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("system", "OK", false),
                        org.assertj.core.groups.Tuple.tuple("admin", "OK", false),
                        org.assertj.core.groups.Tuple.tuple("DMZ", "OK", false),
                        org.assertj.core.groups.Tuple.tuple("BACKEND", "OK", false));
    }

    @Test
    void aChangedHostKeyFailsLoudlyWithoutRetryAndWithoutLoggingIn() {
        RunLauncher.Result result = run("EDGE-RTR-01", "MOVED-RTR-11");

        assertThat(resultOf(result, "EDGE-RTR-01").status()).isEqualTo("OK");
        DeviceResult moved = resultOf(result, "MOVED-RTR-11");
        assertThat(moved.error()).isEqualTo("HOST_KEY_MISMATCH");
        assertThat(moved.message()).contains("MOVED-RTR-11").containsPattern("SHA256:\\S+.*SHA256:\\S+");
        assertThat(stream().failedJobsOf("MOVED-RTR-11", result.processInstanceKey())).as("never retried").isEmpty();
        assertThat(LAB.simulator("MOVED-RTR-11").sessionsOpened()).as("no password sent to an impostor").isZero();
    }

    @Test
    void aDeviceThatHangsForeverFailsAtTheCeilingWhileTheOthersFinish() {
        RunLauncher.Result result = run("EDGE-RTR-01", "HANG-RTR-13", "CORE-SW-01");

        assertThat(resultOf(result, "EDGE-RTR-01").status()).isEqualTo("OK");
        assertThat(resultOf(result, "CORE-SW-01").status()).isEqualTo("OK");
        DeviceResult hung = resultOf(result, "HANG-RTR-13");
        assertThat(hung.error()).isEqualTo("DEVICE_TIMEOUT");
        assertThat(hung.message()).contains("per-device ceiling").contains("show running-config");
        assertThat(stream().failedJobsOf("HANG-RTR-13", result.processInstanceKey())).as("timeouts are retried")
                .hasSize(Processes.DEVICE_ATTEMPTS - 1)
                .as("what Operate shows for each retry: one line, no stack trace").allSatisfy(job -> assertThat(
                        job.getErrorMessage()).startsWith("HANG-RTR-13: ").doesNotContain("\n")
                        .doesNotContain("Exception").doesNotContain("\tat "));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void noLabSecretReachesVariablesLogsOrRunFiles(CapturedOutput log) {
        RunLauncher.Result result = run(staleSharesCorePath(), "EDGE-RTR-01", "CORE-SW-01", "STALE-RTR-09",
                "GONE-RTR-99", "ASA-FW-01", "MOVED-RTR-11");
        assertThat(result.counts().failed()).isEqualTo(3);
        RunLauncher.Result refused = run("EDGE-RTR-01", "STALE-RTR-09");
        assertThat(refused.preflightProblems()).isNotEmpty();

        Set<String> secrets = new HashSet<>(LAB.secrets());
        secrets.addAll(VAULT.credentialsHandedOut());
        LeakScanner scanner = new LeakScanner(secrets);
        String records = stream().json();
        assertThat(records).as("the record stream holds this run").contains(result.runId());
        scanner.assertClean("the engine's record stream (process variables, job errors)", records);
        assertThat(log.getAll()).as("the application log (DEBUG for netsnap) covers this run")
                .contains("GONE-RTR-99").contains("STALE-RTR-09").contains("show running-config");
        scanner.assertClean("the application log", log.getAll());
        assertThat(log.getAll().lines()).as("no log line names its device twice")
                .noneMatch(line -> line.matches(".*\\b([A-Z][A-Z0-9-]+-\\d+): \\1: .*"));
        assertThat(log.getAll()).as("a failed preflight of a run started by the CLI is not an ERROR")
                .contains("preflight found").contains("the run is aborted (started non-interactively)")
                .doesNotContain("Run aborted, PREFLIGHT_FAILED");
        Path export = archive.root().resolve(result.exportDir());
        scanner.assertClean(export.resolve("manifest.json"));
        scanner.assertClean(export.resolve("report.json"));
        scanner.assertClean(archive.historyDir());
    }

    // --- preflight: every problem is caught before any device-backup instance exists ---

    @Test
    void preflightCatchesAVaultThatIsDown() throws Exception {
        VAULT.setReachable(false);
        try {
            RunLauncher.Result result = run("EDGE-RTR-01");

            assertAbortedInPreflight(result, "cannot connect to Vault at " + VAULT.address());
        } finally {
            VAULT.setReachable(true);
        }
    }

    @Test
    void preflightCatchesASealedVault() {
        VAULT.setSealed(true);
        try {
            assertAbortedInPreflight(run("EDGE-RTR-01"), "Vault is sealed");
        } finally {
            VAULT.setSealed(false);
        }
    }

    @Test
    void preflightCatchesAnExpiredToken() throws Exception {
        VAULT.expireToken(Files.readString(TOKEN_FILE).strip());
        try {
            assertAbortedInPreflight(run("EDGE-RTR-01"), "Vault token invalid or expired");
        } finally {
            useNewToken();
        }
    }

    @Test
    void preflightCatchesPermissionDeniedOnOnePathAndNamesIt() {
        Map<String, String> denyCore = new HashMap<>(READ_NETWORK);
        denyCore.put("secret/data/network/lab-core", "deny");
        VAULT.putPolicy("netsnap", denyCore);
        try {
            RunLauncher.Result result = run("EDGE-RTR-01", "CORE-SW-01");

            assertAbortedInPreflight(result, "permission denied", "secret/data/network/lab-core");
            assertThat(result.preflightProblems()).as("the readable path is no problem").hasSize(1);
        } finally {
            VAULT.putPolicy("netsnap", READ_NETWORK);
        }
    }

    @Test
    void preflightCatchesAMissingPath() throws IOException {
        Path inventory = SETUP.inventoryWith("EDGE-RTR-01", "network/lab-nowhere");

        assertAbortedInPreflight(run(inventory, "EDGE-RTR-01"), "no secret at secret/network/lab-nowhere");
    }

    @Test
    void preflightCatchesAWrongDevicePasswordAndNamesPathAndDevice() {
        RunLauncher.Result result = run("EDGE-RTR-01", "STALE-RTR-09");

        assertAbortedInPreflight(result, "credentials network/lab-stale tried on STALE-RTR-09", "login");
        assertThat(result.preflightProblems()).hasSize(1);
    }

    @Test
    void preflightCatchesAnUnwritableArchive() throws IOException {
        Path runs = archive.root().resolve("runs");
        Path moved = archive.root().resolve("runs.moved");
        Files.move(runs, moved);
        Files.writeString(runs, "a file where the run folders should go");
        try {
            assertAbortedInPreflight(run("EDGE-RTR-01"), "archive root " + archive.root(), "not writable");
        } finally {
            Files.delete(runs);
            Files.move(moved, runs);
        }
    }

    private void assertAbortedInPreflight(RunLauncher.Result result, String... expected) {
        assertThat(result.outcome()).isEqualTo("ABORTED");
        assertThat(io.netsnap.cli.NetsnapCommand.exitCode(result)).isEqualTo(2);
        assertThat(result.preflightProblems()).isNotEmpty();
        assertThat(String.join("\n", result.preflightProblems())).contains(expected);
        assertThat(result.abortReason()).startsWith("PREFLIGHT_FAILED");
        assertThat(new RunRecords(engine).deviceBackupsOf(result.processInstanceKey()))
                .as("no device-backup instance was created for this run").isZero();
    }

    /** STALE-RTR-09 reads the core routers' credentials, which CORE-SW-01 (listed first) accepts and it refuses. */
    private static Path staleSharesCorePath() {
        return SETUP.inventoryWith("STALE-RTR-09", "network/lab-core");
    }

    private static void useNewToken() {
        try {
            Files.writeString(TOKEN_FILE, VAULT.createToken());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RunLauncher.Result run(String... devices) {
        return run(null, devices);
    }

    private RunLauncher.Result run(Path inventory, String... devices) {
        return ProcessLab.run(launcher, inventory, devices);
    }

    private static DeviceResult resultOf(RunLauncher.Result result, String device) {
        return ProcessLab.resultOf(result, device);
    }

    private RunRecords stream() {
        return new RunRecords(engine);
    }
}
