package io.netsnap.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;
import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.device.DeviceException;
import io.netsnap.device.FetchedConfig;
import io.netsnap.inventory.Device;

class RunServiceTests {

    private static final RunPlan.Request REQUEST = new RunPlan.Request("change CHG-1234", "cli:alice");

    static final LocalDate DAY_1 = LocalDate.of(2025, 3, 14);
    static final LocalDate DAY_2 = LocalDate.of(2025, 3, 15);
    static final LocalDateTime FETCHED_1 = LocalDateTime.of(2025, 3, 14, 2, 5, 1);
    static final LocalDateTime FETCHED_2 = LocalDateTime.of(2025, 3, 15, 2, 5, 1);
    static final String EDGE = "hostname EDGE-RTR-01\ninterface Gi0/0\n ip address 192.0.2.1 255.255.255.0\nend\n";
    static final String CORE = "hostname CORE-SW-01\nvlan 10\nend\n";

    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path root;

    Archive archive;
    RunService service;

    @BeforeEach
    void createService() {
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
        service = new RunService(new BackupProperties(root.resolve("inventory.yaml"),
                new BackupProperties.Schedule("0 0 2 * * ?"), Duration.ofSeconds(10)),
                new DeviceDrivers(List.of()), new NoCredentials(), archive, noUpload(),
                List.of(new ArchiveWritableCheck(archive)));
    }

    @Test
    void preflightCollectsEveryProblemAndLogsInOncePerPathOnItsFirstDevice() throws Exception {
        List<String> logins = new java.util.ArrayList<>();
        DeviceDriver driver = new DeviceDriver() {
            @Override
            public String platform() {
                return "ios";
            }

            @Override
            public FetchedConfig fetch(Device device, Credentials credentials) {
                throw new AssertionError("preflight must not fetch");
            }

            @Override
            public void verifyLogin(Device device, Credentials credentials) {
                logins.add(device.name());
                if (device.name().equals("DOWN")) {
                    throw new DeviceException.Unreachable("DOWN", "cannot reach 192.0.2.1:22 over SSH", null);
                }
                if (credentials.password().equals("stale")) {
                    throw new DeviceException.Authentication(device.name(), "SSH login refused for user admin");
                }
            }

            @Override
            public String mask(String config) {
                return config;
            }
        };
        CredentialsProvider vault = new CredentialsProvider() {
            @Override
            public Credentials forPath(String path) {
                return switch (path) {
                    case "network/missing" -> throw new CredentialsUnavailableException("no secret at secret/network/missing", false);
                    case "network/stale" -> new Credentials("admin", "stale", null, null);
                    default -> new Credentials("admin", "good", null, null);
                };
            }

            @Override
            public void check() {
            }
        };
        PreflightCheck upload = devices -> List.of("upload target sftp://backup@host/x not writable");
        RunService preflighted = new RunService(new BackupProperties(root.resolve("inventory.yaml"),
                new BackupProperties.Schedule("0 0 2 * * ?"), Duration.ofSeconds(10)),
                new DeviceDrivers(List.of(driver)), vault, archive, noUpload(),
                List.of(new ArchiveWritableCheck(archive), upload));
        List<Device> devices = List.of(device("R1", "ios", "network/good"), device("R2", "ios", "network/good"),
                device("R3", "ios", "network/stale"), device("R4", "ios", "network/missing"),
                device("J1", "junos", "network/good"), device("DOWN", "ios", "network/shared"),
                device("R5", "ios", "network/shared"));

        PreflightException e = org.assertj.core.api.Assertions.catchThrowableOfType(PreflightException.class,
                () -> preflighted.preflight(devices, List.of()));

        assertThat(e.problems()).containsExactly("J1: no driver for platform 'junos'",
                "credentials network/stale tried on R3: SSH login refused for user admin",
                "no secret at secret/network/missing", "upload target sftp://backup@host/x not writable");
        assertThat(logins).as("one login per path, on the first device using it that can be reached")
                .containsExactly("R1", "R3", "DOWN", "R5");
    }

    /** An uploader with no target: runs are not uploaded. */
    private static io.netsnap.upload.RunUploader noUpload() {
        return new io.netsnap.upload.RunUploader(new io.netsnap.upload.UploadProperties(null, null, null,
                Duration.ofSeconds(5)), new NoCredentials());
    }

    private static Device device(String name, String platform, String credentials) {
        return new Device(name, "192.0.2.1", 22, platform, null, credentials, Duration.ofSeconds(30), List.of());
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    /** Ids as {@link RunService#start()} makes them, many of them so that the random suffix varies. */
    @Test
    void aRunIdFromRunServiceIsASafeFolderName() throws java.io.IOException {
        for (int i = 0; i < 2_000; i++) {
            RunFolder folder = service.start().folder();
            String runId = folder.runId();
            assertThat(runId).matches("\\d{8}-\\d{6}-[0-9a-f]{4}")
                    .startsWith(folder.runDate().toString().replace("-", ""));
            Path resolved = root.resolve("runs").resolve(folder.runDate().toString()).resolve(runId);
            assertThat(Path.of(runId).getNameCount()).as(runId).isEqualTo(1);
            assertThat(resolved.normalize()).as(runId).isEqualTo(resolved).startsWithRaw(root);
            assertThat(new RunFolder(runId, folder.runDate())).isEqualTo(folder);
        }
        // and one of them, used: a folder runs/<date>/<runId>/ on disk, where the archive files the run's configs
        RunFolder run = service.start().folder();
        Path folder = archive.runDirectory(run);
        assertThat(folder).isEqualTo(root.resolve("runs").resolve(run.runDate().toString()).resolve(run.runId()));
        Files.createDirectories(folder);
        StoredConfig stored = archive.store(run, "EDGE-RTR-01", null, EDGE, FETCHED_1);
        assertThat(Path.of(stored.exportFile()).getParent())
                .isEqualTo(Path.of("runs", run.runDate().toString(), run.runId()));
        assertThat(root.resolve(stored.exportFile())).isRegularFile();
    }

    @Test
    void reportWritesAManifestWithEveryDeviceIncludingFailedOnes() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        DeviceResult edge = backedUp(run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);
        DeviceResult core = backedUp(run, "CORE-SW-01", "nxos", CORE, FETCHED_1);
        DeviceResult asa = DeviceResult.failed("ASA-FW-01", null, "asa", "AUTH_FAILED", "login refused");
        List<DeviceResult> results = List.of(edge, core, asa);
        String commit = service.commit(run, results, REQUEST);

        service.report(run, Instant.parse("2025-03-14T01:00:00Z"), results, commit, null, null, REQUEST);

        Path runDir = root.resolve("runs/2025-03-14/run-1");
        JsonNode manifest = json.readTree(runDir.resolve("manifest.json").toFile());
        assertThat(manifest.path("runId").asText()).isEqualTo("run-1");
        JsonNode files = manifest.path("files");
        assertThat(files).hasSize(3);
        for (DeviceResult ok : List.of(edge, core)) {
            JsonNode entry = entryFor(files, ok.device());
            assertThat(entry.path("status").asText()).isEqualTo("OK");
            Path file = runDir.resolve(entry.path("file").asText());
            assertThat(file).isRegularFile();
            assertThat(file.getFileName().toString()).startsWith(ok.device() + "_20250314_020501");
            assertThat(entry.path("sha256").asText()).isEqualTo(sha256Of(file));
            assertThat(entry.path("bytes").asLong()).isEqualTo(Files.size(file));
        }
        JsonNode failed = entryFor(files, "ASA-FW-01");
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").asText()).isEqualTo("AUTH_FAILED");
        assertThat(failed.path("file").isNull()).isTrue();
        assertThat(failed.path("sha256").isNull()).isTrue();
        assertThat(failed.path("bytes").isNull()).isTrue();

        JsonNode report = json.readTree(runDir.resolve("report.json").toFile());
        assertThat(report.path("runId").asText()).isEqualTo("run-1");
        assertThat(report.path("outcome").asText()).isEqualTo("PARTIAL");
        assertThat(report.path("historyCommit").asText()).isEqualTo(commit);
        assertThat(report.path("exportDir").asText()).isEqualTo("runs/2025-03-14/run-1");
        assertThat(report.path("startedAt").asText()).isEqualTo("2025-03-14T01:00:00Z");
        JsonNode counts = report.path("counts");
        assertThat(counts.path("total").asInt()).isEqualTo(3);
        assertThat(counts.path("ok").asInt()).isEqualTo(2);
        assertThat(counts.path("failed").asInt()).isEqualTo(1);
        assertThat(counts.path("changed").asInt()).isEqualTo(2);
        assertThat(counts.path("unchanged").asInt()).isZero();
        assertThat(report.path("devices")).hasSize(3);
    }

    @Test
    void aRunWithoutFailuresIsOk() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        List<DeviceResult> results = List.of(backedUp(run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1));

        RunReport report = service.report(run, Instant.now(), results, service.commit(run, results, REQUEST), null, null, REQUEST);

        assertThat(report.outcome()).isEqualTo(RunReport.OK);
        JsonNode written = json.readTree(root.resolve("runs/2025-03-14/run-1/report.json").toFile());
        assertThat(written.path("outcome").asText()).isEqualTo("OK");
        assertThat(written.path("counts").path("ok").asInt()).isEqualTo(1);
        assertThat(written.path("counts").path("failed").asInt()).isZero();
    }

    @Test
    void aRunWithAnAbortReasonIsAborted() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);

        service.report(run, Instant.now(), List.of(), null, "preflight failed: archive root is not writable", null, REQUEST);

        JsonNode report = json.readTree(root.resolve("runs/2025-03-14/run-1/report.json").toFile());
        assertThat(report.path("outcome").asText()).isEqualTo("ABORTED");
        assertThat(report.path("abortReason").asText()).isEqualTo("preflight failed: archive root is not writable");
        assertThat(report.path("counts").path("total").asInt()).isZero();
        JsonNode manifest = json.readTree(root.resolve("runs/2025-03-14/run-1/manifest.json").toFile());
        assertThat(manifest.path("files")).isEmpty();
    }

    @Test
    void commitNamesTheRunAndLeavesFailedDevicesOut() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        List<DeviceResult> results = List.of(backedUp(run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1),
                DeviceResult.failed("CORE-SW-01", null, "nxos", "TIMEOUT", "no prompt after 60s"));

        String commit = service.commit(run, results, REQUEST);

        try (Git git = Git.open(archive.historyDir().toFile())) {
            RevCommit head = git.log().call().iterator().next();
            assertThat(head.getName()).isEqualTo(commit);
            assertThat(head.getFullMessage()).contains("run-1").contains("EDGE-RTR-01")
                    .doesNotContain("CORE-SW-01").contains("Reason: change CHG-1234")
                    .contains("Requested by: cli:alice (as stated at the start)");
        }
        assertThat(archive.lastCommitted("EDGE-RTR-01.cfg")).contains(EDGE);
        assertThat(archive.lastCommitted("CORE-SW-01.cfg")).isEmpty();
    }

    @Test
    void commitReturnsThePreviousHeadWhenNothingChanged() throws Exception {
        RunFolder first = new RunFolder("run-1", DAY_1);
        String firstCommit = service.commit(first, List.of(backedUp(first, "EDGE-RTR-01", "ios", EDGE, FETCHED_1),
                backedUp(first, "CORE-SW-01", "nxos", CORE, FETCHED_1)), REQUEST);
        RunFolder second = new RunFolder("run-2", DAY_2);
        List<DeviceResult> unchanged = List.of(backedUp(second, "EDGE-RTR-01", "ios", EDGE, FETCHED_2),
                backedUp(second, "CORE-SW-01", "nxos", CORE, FETCHED_2));

        String secondCommit = service.commit(second, unchanged, REQUEST);

        assertThat(firstCommit).isNotNull();
        assertThat(secondCommit).isEqualTo(firstCommit);
        assertThat(archive.headCommit()).isEqualTo(firstCommit);
        RunReport report = service.report(second, Instant.now(), unchanged, secondCommit, null, null, REQUEST);
        assertThat(report.counts().unchanged()).isEqualTo(2);
        assertThat(report.counts().changed()).isZero();
        try (Git git = Git.open(archive.historyDir().toFile())) {
            assertThat(git.log().call()).hasSize(1);
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** What the backup worker records for a device it fetched: the archive's answer, as a result. */
    DeviceResult backedUp(RunFolder run, String device, String platform, String text, LocalDateTime fetchedAt) {
        StoredConfig stored = archive.store(run, device, null, text, fetchedAt);
        return new DeviceResult(device, null, platform, DeviceResult.OK, stored.changed(), stored.linesAdded(),
                stored.linesRemoved(), stored.exportFile(), stored.historyPath(), stored.sha256(), stored.bytes(),
                null, null, null);
    }

    static JsonNode entryFor(JsonNode files, String device) {
        for (JsonNode entry : files) {
            if (device.equals(entry.path("device").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no manifest entry for " + device + " in " + files);
    }

    static String sha256Of(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** commit() and report() never ask for credentials. */
    @Test
    void retentionRemovesBackDatedExportsLocallyAndOnTheBackupServerAndKeepsTheHistory() throws Exception {
        RunFolder old = new RunFolder("run-old", LocalDate.parse("2025-01-10"));
        RunFolder recent = new RunFolder("run-recent", LocalDate.parse("2025-03-01"));
        List<DeviceResult> oldResults = List.of(backedUp(old, "EDGE-RTR-01", "ios", EDGE, FETCHED_1));
        String oldCommit = service.commit(old, oldResults, REQUEST);
        String recentCommit = service.commit(recent, List.of(backedUp(recent, "EDGE-RTR-01", "ios",
                EDGE + "ntp server 192.0.2.9\n", FETCHED_1)), REQUEST);
        java.security.KeyPair hostKey = org.apache.sshd.common.config.keys.KeyUtils
                .generateKeyPair("ecdsa-sha2-nistp256", 256);
        try (io.netsnap.lab.LabBackupServer server = io.netsnap.lab.LabBackupServer.start(root.resolve("server"),
                "backup", "s3cret-for-test", hostKey)) {
            Path knownHosts = Files.writeString(root.resolve("known_hosts"), "[127.0.0.1]:" + server.port() + " "
                    + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(server.hostPublicKey()) + "\n");
            RunService uploading = new RunService(new BackupProperties(root.resolve("inventory.yaml"),
                    new BackupProperties.Schedule("0 0 2 * * ?"), Duration.ofSeconds(10)),
                    new DeviceDrivers(List.of()), new NoCredentials(), archive,
                    new io.netsnap.upload.RunUploader(new io.netsnap.upload.UploadProperties(
                            "sftp://backup@127.0.0.1:" + server.port() + "/netbackups", "backup/offsite", knownHosts,
                            Duration.ofSeconds(10)), new PasswordOnly("s3cret-for-test")), List.of());
            assertThat(uploading.upload(old).uploaded()).isTrue();
            assertThat(uploading.upload(recent).uploaded()).isTrue();

            // archive.retention is P30D: on 2025-03-14 the cutoff is 2025-02-12
            RunService.Retention retention = uploading.applyRetention(LocalDate.parse("2025-03-14"));

            assertThat(retention.local()).containsExactly("2025-01-10");
            assertThat(retention.remote()).containsExactly("2025-01-10");
            assertThat(retention.error()).isNull();
            assertThat(root.resolve("runs/2025-01-10")).doesNotExist();
            assertThat(root.resolve("runs/2025-03-01/run-recent")).isDirectory();
            assertThat(server.root().resolve("netbackups/2025-01-10")).doesNotExist();
            assertThat(server.root().resolve("netbackups/2025-03-01/run-recent/manifest.json")).exists();
        }
        try (Git git = Git.open(archive.historyDir().toFile())) {
            List<String> commits = new java.util.ArrayList<>();
            git.log().call().forEach(c -> commits.add(c.getName()));
            assertThat(commits).containsExactly(recentCommit, oldCommit);
        }
        assertThat(archive.textAt(oldCommit, "EDGE-RTR-01.cfg")).contains(EDGE);
    }

    /** The backup server's login as Vault holds it. */
    record PasswordOnly(String password) implements CredentialsProvider {
        @Override
        public Credentials forPath(String path) {
            return new Credentials("backup", password, null, null);
        }

        @Override
        public void check() {
        }
    }

    static final class NoCredentials implements CredentialsProvider {
        @Override
        public Credentials forPath(String path) {
            throw new AssertionError("no credentials expected, asked for " + path);
        }

        @Override
        public void check() {
            throw new AssertionError("no credentials check expected");
        }
    }
}
