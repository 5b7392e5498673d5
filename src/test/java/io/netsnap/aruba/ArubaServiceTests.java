package io.netsnap.aruba;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;
import io.netsnap.credentials.VaultCredentialsProvider;
import io.netsnap.credentials.VaultProperties;
import io.netsnap.credentials.VaultTokenSource;
import io.netsnap.device.DeviceException;
import io.netsnap.device.FetchedConfig;
import io.netsnap.device.DeviceSessions;
import io.netsnap.device.SessionProperties;
import io.netsnap.device.SshConnector;
import io.netsnap.device.SshProperties;
import io.netsnap.inventory.Device;
import io.netsnap.lab.ConductorSimulator;
import io.netsnap.lab.Lab;
import io.netsnap.support.LeakScanner;

/** The conductor backup sequence against the lab conductor over HTTPS, and its push to the lab backup server. */
@ExtendWith(OutputCaptureExtension.class)
class ArubaServiceTests {

    @TempDir
    static Path data;

    private static Lab lab;
    private static ArubaProperties properties;
    private static ConductorApi api;
    private static VaultCredentialsProvider vault;
    private static SshConnector ssh;
    private static ArubaService aruba;
    private static Archive netsnapArchive;
    private static ConductorCopies copies;

    @BeforeAll
    static void startLab() throws IOException {
        lab = Lab.start(data.resolve("lab"), List.of(Lab.LabDevice.conductor("MC-01", 21),
                new Lab.LabDevice("MC-09", "aruba-conductor", "wireless", Lab.Kind.STALE_PASSWORD,
                        ConductorSimulator.labConfig("MC-09", 9))));
        Map<String, Object> settings = lab.properties();
        properties = new ArubaProperties(Path.of((String) settings.get("netsnap.aruba.ca-bundle")),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5),
                new ArubaProperties.Scp(Lab.BACKUP_CREDENTIALS, lab.backupServer().host(),
                        lab.backupServer().port(), Lab.CONDUCTOR_DIRECTORY));
        api = new ConductorApi(properties);
        String token = Files.readString(Path.of((String) settings.get("netsnap.vault.token-file"))).strip();
        vault = new VaultCredentialsProvider(new VaultProperties(URI.create((String) settings.get(
                "netsnap.vault.address")), "secret", null, null, Duration.ofSeconds(5), Duration.ofSeconds(30), null),
                () -> java.util.Optional.of(token));
        SshProperties sshProperties = new SshProperties(Path.of((String) settings.get("netsnap.ssh.known-hosts")),
                SshProperties.HostKeyPolicy.STRICT, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMinutes(1));
        ssh = new SshConnector(sshProperties);
        netsnapArchive = new Archive(new ArchiveProperties(data.resolve("archive"), false, java.time.Period.ofDays(30)));
        ScpTarget target = new ScpTarget(ssh, properties);
        copies = new ConductorCopies(netsnapArchive, target, vault, properties);
        aruba = new ArubaService(api, new ArubaSessions(properties,
                new DeviceSessions(SessionProperties.defaults(), sshProperties)), vault, target, copies, properties,
                new io.netsnap.lease.DeviceLeases(data.resolve("leases"), new io.netsnap.lease.LeaseProperties(
                        Duration.ofMinutes(1), Duration.ofMillis(200), Duration.ofSeconds(30)), java.time.Clock.systemUTC()));
    }

    @AfterAll
    static void stopLab() throws IOException {
        netsnapArchive.destroy();
        api.destroy();
        ssh.destroy();
        vault.close();
        lab.close();
    }

    @AfterEach
    void healConductor() {
        ConductorSimulator mc = lab.conductor("MC-01");
        mc.failAt();
        mc.withholdCsrfToken(false);
        mc.clearHistory();
    }

    @Test
    void preflightChecksTheConductorsScpTargetOnlyWhenTheRunHasConductors() {
        Device conductor = device("MC-01");
        Device router = new Device("EDGE-RTR-01", "127.0.0.1", 22, "ios", "edge", "network/lab-edge",
                Duration.ofSeconds(30), List.of());

        assertThat(new ConductorTargetCheck(properties, vault).problems(List.of(conductor))).isEmpty();
        ArubaProperties unset = new ArubaProperties(null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(5), null);
        assertThat(new ConductorTargetCheck(unset, vault).problems(List.of(router))).isEmpty();
        assertThat(new ConductorTargetCheck(unset, vault).problems(List.of(router, conductor))).singleElement()
                .asString().contains("netsnap.aruba.scp.host");
        ArubaProperties missingPath = new ArubaProperties(null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(5), new ArubaProperties.Scp("backup/nowhere", "127.0.0.1", 22, "/"));
        assertThat(new ConductorTargetCheck(missingPath, vault).problems(List.of(conductor))).singleElement()
                .asString().contains("backup/nowhere");
    }

    @Test
    void theWholeSequencePushesBothFilesChecksThemCleansTheFlashAndLogsOut(CapturedOutput output) throws Exception {
        ConductorSimulator mc = lab.conductor("MC-01");
        Device device = device("MC-01");

        String handle = aruba.login(device);
        aruba.copyRunningFlash(handle, device);
        aruba.flashBackup(handle, device);
        Map<String, byte[]> flash = mc.flash();
        RunFolder run = new RunFolder("20260101-020000-abcd", java.time.LocalDate.parse("2026-01-01"));
        List<ArubaService.PushedFile> pushed = aruba.copyFlashScp(handle, device, run);
        aruba.tarFlashClean(handle, device);
        FetchedConfig config = aruba.runningConfig(handle, device);
        aruba.logout(handle, device);

        assertThat(pushed).extracting(ArubaService.PushedFile::path).containsExactly(
                "conductors/MC-01_20260101-020000-abcd_config.cfg", "conductors/MC-01_20260101-020000-abcd_flash.tar.gz");
        byte[] archive = flash.get("flash.tar.gz");
        assertThat(pushed.get(1).bytes()).isEqualTo(archive.length);
        assertThat(pushed.get(1).sha256()).isEqualTo(sha256(archive));
        assertThat(pushed.get(0).sha256()).isEqualTo(sha256(flash.get("MC-01_backup_config.cfg")));
        assertThat(Files.readAllBytes(lab.backupServer().root().resolve(pushed.get(1).path()))).isEqualTo(archive);
        // recorded in the run's state as verified, where it lies on the server without any credentials
        String server = "sftp://" + lab.backupServer().host() + ":" + lab.backupServer().port() + "/~/";
        assertThat(ConductorCopies.inRun(netsnapArchive, run)).containsExactly(
                new ConductorCopies.Copy("MC-01", server + pushed.get(0).path(), pushed.get(0).bytes(),
                        pushed.get(0).sha256(), false),
                new ConductorCopies.Copy("MC-01", server + pushed.get(1).path(), archive.length, sha256(archive),
                        false));
        assertThat(mc.flash().keySet()).as("tar_flash_clean removed the archive").noneMatch(f -> f.endsWith(".tar.gz"));
        assertThat(config.normalized()).contains("hostname \"MC-01\" \n").doesNotContain("Building Configuration")
                .doesNotContain("controller config");
        assertThat(config.raw()).contains("controller config");
        assertThat(mc.calls()).containsExactly("POST login", "POST copy_running_flash", "POST flash_backup",
                "POST copy_flash_scp", "POST copy_flash_scp", "POST tar_flash_clean", "GET show running-config",
                "GET logout");
        assertThat(mc.liveSessions()).isZero();
        LeakScanner scanner = new LeakScanner(union(lab.secrets(), mc.issuedTokens()));
        scanner.assertClean("the log", output.getAll());
    }

    @Test
    void retentionRemovesExactlyTheRecordedCopiesOfExpiredRunsAndMarksThem() throws IOException {
        RunFolder old = new RunFolder("run-old", java.time.LocalDate.parse("2025-01-10"));
        RunFolder recent = new RunFolder("run-recent", java.time.LocalDate.parse("2025-03-01"));
        List<ArubaService.PushedFile> expired = push("MC-01", old);
        List<ArubaService.PushedFile> kept = push("MC-01", recent);
        Path server = lab.backupServer().root();
        Path unrelated = Files.writeString(server.resolve(Lab.CONDUCTOR_DIRECTORY).resolve("MC-01_run-old_notes.txt"),
                "someone else's file next to netsnap's copies");
        // already gone: removed by hand, counts as removed
        Files.delete(server.resolve(expired.get(0).path()));

        ConductorCopies.Removal removal = copies.removeBefore(java.time.LocalDate.parse("2025-02-01"));

        assertThat(removal.error()).isNull();
        assertThat(removal.pending()).isEmpty();
        assertThat(removal.removed()).hasSize(2).allSatisfy(location -> assertThat(location).contains("run-old"));
        assertThat(expired).allSatisfy(file -> assertThat(server.resolve(file.path())).doesNotExist());
        assertThat(kept).allSatisfy(file -> assertThat(server.resolve(file.path())).exists());
        assertThat(unrelated).exists();
        assertThat(ConductorCopies.inRun(netsnapArchive, old)).hasSize(2).allMatch(ConductorCopies.Copy::removed);
        assertThat(ConductorCopies.inRun(netsnapArchive, recent)).hasSize(2).noneMatch(ConductorCopies.Copy::removed);
        assertThat(copies.removeBefore(java.time.LocalDate.parse("2025-02-01")).removed())
                .as("nothing is removed twice").isEmpty();
    }

    @Test
    void aServerThatRefusesTheConnectionLeavesTheCopiesRecordedForTheNextRun(CapturedOutput output)
            throws IOException {
        RunFolder old = new RunFolder("run-refused", java.time.LocalDate.parse("2025-01-11"));
        List<ArubaService.PushedFile> pushed = push("MC-01", old);
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        ArubaProperties down = new ArubaProperties(null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(5), new ArubaProperties.Scp(Lab.BACKUP_CREDENTIALS, lab.backupServer().host(),
                closed, Lab.CONDUCTOR_DIRECTORY));
        ConductorCopies unreachable = new ConductorCopies(netsnapArchive, new ScpTarget(ssh, down), vault, down);

        ConductorCopies.Removal removal = unreachable.removeBefore(java.time.LocalDate.parse("2025-02-01"));

        assertThat(removal.removed()).isEmpty();
        assertThat(removal.pending()).contains(old);
        assertThat(removal.error()).contains("backup server 127.0.0.1:" + closed).contains("kept for the next run")
                .doesNotContain("\n");
        assertThat(pushed).allSatisfy(file -> assertThat(lab.backupServer().root().resolve(file.path())).exists());
        assertThat(ConductorCopies.inRun(netsnapArchive, old)).hasSize(2).noneMatch(ConductorCopies.Copy::removed);
        assertThat(output.getAll()).containsOnlyOnce("Retention of conductor copies failed");

        // the server back: the next attempt removes them
        assertThat(copies.removeBefore(java.time.LocalDate.parse("2025-02-01")).removed()).hasSize(2);
        assertThat(pushed).allSatisfy(file -> assertThat(lab.backupServer().root().resolve(file.path()))
                .doesNotExist());
        new LeakScanner(lab.secrets()).assertClean(netsnapArchive.root().resolve("state"));
    }

    /** The conductor's whole sequence for one run, as the process runs it. */
    private static List<ArubaService.PushedFile> push(String name, RunFolder run) {
        Device device = device(name);
        String handle = aruba.login(device);
        try {
            aruba.copyRunningFlash(handle, device);
            aruba.flashBackup(handle, device);
            List<ArubaService.PushedFile> pushed = aruba.copyFlashScp(handle, device, run);
            aruba.tarFlashClean(handle, device);
            return pushed;
        } finally {
            aruba.logout(handle, device);
        }
    }

    @Test
    void aFailedFlashBackupIsReportedAndCleanedAndTheSessionStillLogsOut() {
        ConductorSimulator mc = lab.conductor("MC-01");
        mc.failAt("flash_backup");
        Device device = device("MC-01");
        String handle = aruba.login(device);
        aruba.copyRunningFlash(handle, device);

        assertThatThrownBy(() -> aruba.flashBackup(handle, device)).isInstanceOf(DeviceException.Protocol.class)
                .hasMessageContaining("MC-01: flash_backup failed on the conductor")
                .hasMessageContaining("not enough space");
        assertThat(mc.flash()).as("the failed backup left a partial archive").containsKey("flash.tar.gz");
        assertThat(aruba.cleanAfterFailure(handle, device)).isNull();
        aruba.logout(handle, device);

        assertThat(mc.flash().keySet()).noneMatch(f -> f.endsWith(".tar.gz"));
        assertThat(mc.logouts()).isEqualTo(1);
        assertThat(mc.liveSessions()).isZero();
    }

    @Test
    void whenCleaningFailsTooTheProblemIsReturnedAndTheArchiveStays() {
        ConductorSimulator mc = lab.conductor("MC-01");
        mc.failAt("flash_backup", "tar_flash_clean");
        Device device = device("MC-01");
        String handle = aruba.login(device);

        assertThatThrownBy(() -> aruba.flashBackup(handle, device)).isInstanceOf(DeviceException.class);
        assertThat(aruba.cleanAfterFailure(handle, device)).contains("tar_flash_clean failed on the conductor");
        aruba.logout(handle, device);

        assertThat(mc.flash()).containsKey("flash.tar.gz");
        assertThat(mc.logouts()).isEqualTo(1);
    }

    @Test
    void anExpiredSessionLogsInOnceMoreAndTheStepSucceeds() {
        ConductorSimulator mc = lab.conductor("MC-01");
        mc.expireNextSessionAfter(1);
        Device device = device("MC-01");
        String handle = aruba.login(device);

        aruba.copyRunningFlash(handle, device);
        aruba.flashBackup(handle, device);
        aruba.tarFlashClean(handle, device);
        aruba.logout(handle, device);

        assertThat(mc.logins()).as("one re-login after the expiry").isEqualTo(2);
        assertThat(mc.calls()).containsExactly("POST login", "POST copy_running_flash",
                "POST /v1/configuration/object/flash_backup (expired)", "POST login", "POST flash_backup",
                "POST tar_flash_clean", "GET logout");
        assertThat(mc.liveSessions()).isZero();
    }

    @Test
    void aMissingCsrfTokenIsAClearError() {
        ConductorSimulator mc = lab.conductor("MC-01");
        mc.withholdCsrfToken(true);
        Device device = device("MC-01");
        String handle = aruba.login(device);

        assertThatThrownBy(() -> aruba.copyRunningFlash(handle, device)).isInstanceOf(DeviceException.Protocol.class)
                .hasMessageContaining("MC-01: copy_running_flash refused by the conductor for its CSRF token")
                .hasMessageContaining("the login answer carried no X-CSRF-Token")
                .hasMessageContaining("HTTP 403");
        aruba.logout(handle, device);
        assertThat(mc.logouts()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureThatIsNotRetried() {
        assertThatThrownBy(() -> aruba.login(new Device("MC-09", "127.0.0.1", lab.conductor("MC-09").port(),
                "aruba-conductor", "wireless", "network/lab-stale", Duration.ofSeconds(30), List.of())))
                .isInstanceOfSatisfying(DeviceException.Authentication.class,
                        e -> assertThat(e.transientFault()).isFalse())
                .hasMessageContaining("the conductor refused the login of user 'netsnap'")
                .hasMessageContaining("network/lab-stale")
                .hasMessageContaining("Unauthorized request, authentication failed");
    }

    @Test
    void aCertificateFromAnUnknownCaIsRefusedWithAClearMessage() throws IOException {
        ArubaProperties jvmTrust = new ArubaProperties(null, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMinutes(1), properties.scp());
        ConductorApi strict = new ConductorApi(jvmTrust);
        try {
            assertThatThrownBy(() -> strict.login(device("MC-01"), vault.forPath("network/lab-aruba")))
                    .isInstanceOf(DeviceException.Protocol.class)
                    .hasMessageContaining("TLS certificate of https://127.0.0.1:")
                    .hasMessageContaining("not issued by a CA netsnap trusts")
                    .hasMessageContaining("set netsnap.aruba.ca-bundle");
            assertThat(lab.conductor("MC-01").calls()).as("no password was sent").isEmpty();
        } finally {
            strict.destroy();
        }
    }

    @Test
    void anInsecureDeviceSkipsVerificationAndSaysSoAtEveryUse(CapturedOutput output) throws IOException {
        ConductorApi strict = new ConductorApi(new ArubaProperties(null, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMinutes(1), properties.scp()));
        try {
            Device insecure = new Device("MC-01", "127.0.0.1", lab.conductor("MC-01").port(), "aruba-conductor",
                    "wireless", "network/lab-aruba", Duration.ofSeconds(30), List.of(), true);
            ConductorApi.Login login = strict.login(insecure, vault.forPath("network/lab-aruba"));
            strict.logout(insecure, login);
            assertThat(output.getAll().split("TLS certificate NOT verified", -1)).hasSize(3);
        } finally {
            strict.destroy();
        }
    }

    @Test
    void aStepWhoseSessionIsGoneFailsClearly() {
        Device device = device("MC-01");
        String handle = aruba.login(device);
        aruba.logout(handle, device);

        assertThatThrownBy(() -> aruba.copyRunningFlash(handle, device)).isInstanceOf(DeviceException.Protocol.class)
                .hasMessageContaining("no conductor session for this device in this netsnap process");
        assertThat(lab.conductor("MC-01").calls()).doesNotContain("POST copy_running_flash");
    }

    private static Device device(String name) {
        return new Device(name, "127.0.0.1", lab.conductor(name).port(), "aruba-conductor", "wireless",
                "network/lab-aruba", Duration.ofSeconds(30), List.of());
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<String> union(java.util.Collection<String> a, java.util.Collection<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
