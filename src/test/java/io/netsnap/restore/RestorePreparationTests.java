package io.netsnap.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.BackupProperties;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.device.SshConnector;
import io.netsnap.device.SshProperties;
import io.netsnap.device.TestDrivers;
import io.netsnap.inventory.Device;
import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.LabHostKeys;
import io.netsnap.restore.RestoreRefusedException.Reason;

/**
 * Preparing a restore against a simulated IOS router and a real history: what the approver sees, and every refusal
 * made before the device is contacted.
 */
class RestorePreparationTests {

    private static final String PASSWORD = "prep-Ssh-Pa55word";
    private static final String DEVICE = "EDGE-RTR-01";

    @TempDir
    Path dir;

    private CliSimulator simulator;
    private SshConnector connector;
    private DeviceDrivers drivers;
    private Archive archive;
    private Path inventory;
    private final CredentialsProvider vault = new CredentialsProvider() {
        @Override
        public Credentials forPath(String path) {
            return new Credentials("netsnap", PASSWORD, null, null);
        }

        @Override
        public void check() {
        }
    };

    @BeforeEach
    void start() throws IOException {
        simulator = CliSimulator.start(CliDeviceSpec.of("ios", DEVICE, "netsnap", PASSWORD,
                LabConfigs.router(DEVICE, 1)).withBuildDelay(Duration.ofMillis(20)),
                LabHostKeys.loadOrCreate(dir.resolve("host.key")));
        connector = new SshConnector(new SshProperties(dir.resolve("known_hosts"), SshProperties.HostKeyPolicy.TOFU,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)));
        drivers = TestDrivers.cli(connector);
        inventory = dir.resolve("inventory.yaml");
        Files.writeString(inventory, """
                defaults: { credentials: network/lab }
                devices:
                  - { name: %s, host: 127.0.0.1, port: %d, platform: ios }
                  - { name: ISE-1, host: 127.0.0.1, port: %d, platform: ise }
                """.formatted(DEVICE, simulator.port(), simulator.port()));
        archive = archive(false);
    }

    @AfterEach
    void stop() throws IOException {
        simulator.close();
        connector.destroy();
        archive.destroy();
    }

    private Archive archive(boolean masked) {
        return new Archive(new ArchiveProperties(dir.resolve("data"), masked, Period.ofDays(30)));
    }

    private RestorePreparation preparation() {
        DeviceDirectory directory = new DeviceDirectory(new BackupProperties(inventory,
                new BackupProperties.Schedule("0 0 2 * * ?"), List.of()), drivers, archive);
        return new RestorePreparation(directory, drivers, vault, archive);
    }

    /** Backs the device up into the history as a run would; returns the commit. */
    private String backUp(String runId) {
        DeviceDriver driver = drivers.forPlatform("ios").orElseThrow();
        Device device = new Device(DEVICE, "127.0.0.1", simulator.port(), "ios", "edge", "network/lab",
                Duration.ofSeconds(10), List.of());
        String normalized = driver.fetch(device, vault.forPath("network/lab")).normalized();
        RunFolder run = new RunFolder(runId, LocalDate.of(2026, 11, 29));
        return archive.commitRun(run, List.of(archive.store(run, DEVICE, "ios", null, normalized,
                LocalDateTime.of(2026, 11, 29, 2, 0))), "netsnap run " + runId).orElseThrow();
    }

    @Test
    void theApproverSeesTheMaskedDiffFromTheRunningConfigurationBackToTheVersion() {
        String version = backUp("r1");
        simulator.updateConfigBody(LabConfigs.router(DEVICE, 1).replace(" description WAN uplink to ISP-A",
                " description WAN uplink to ISP-B"));

        PreparedRestore prepared = preparation().prepare(DEVICE, null, version);

        assertThat(prepared.device()).isEqualTo(DEVICE);
        assertThat(prepared.platform()).isEqualTo("ios");
        assertThat(prepared.candidateSha256()).isEqualTo(RestorePreparation.sha256(
                archive.textAt(version, "EDGE-RTR-01.cfg").orElseThrow()));
        assertThat(prepared.liveSha256()).isNotEqualTo(prepared.candidateSha256());
        assertThat(prepared.maskedDiff()).contains("- description WAN uplink to ISP-B",
                "+ description WAN uplink to ISP-A");
        assertThat(prepared.linesAdded()).isEqualTo(1);
        assertThat(prepared.linesRemoved()).isEqualTo(1);
        assertThat(String.join("\n", prepared.maskedDiff())).doesNotContain(PASSWORD);
    }

    @Test
    void whatCannotBeRestoredIsRefusedBeforeTheDeviceIsContacted() {
        String version = backUp("r1");
        int sessions = simulator.sessionsOpened();
        RestorePreparation preparation = preparation();

        assertThatThrownBy(() -> preparation.prepare("NOT-A-DEVICE", null, version))
                .hasMessageContaining("'NOT-A-DEVICE' is not a device of netsnap's inventory")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.DEVICE_UNKNOWN);
        assertThatThrownBy(() -> preparation.prepare("ISE-1", null, version))
                .hasMessageContaining("cannot restore platform ise")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.UNSUPPORTED_PLATFORM);
        assertThatThrownBy(() -> preparation.prepare(DEVICE, null, "0000000000ff"))
                .hasMessageContaining("no version '0000000000ff'")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.VERSION_UNKNOWN);
        assertThatThrownBy(() -> preparation.prepare(DEVICE, "DMZ", version))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.DEVICE_UNKNOWN);
        assertThat(simulator.sessionsOpened()).as("nothing contacted the device").isEqualTo(sessions);
    }

    @Test
    void aVersionStoredWithItsSecretsMaskedIsRefused() {
        archive.destroy();
        archive = archive(true);
        String masked = backUp("r1");
        int sessions = simulator.sessionsOpened();

        assertThatThrownBy(() -> preparation().prepare(DEVICE, null, masked))
                .hasMessageContaining("stored with its secrets masked")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.VERSION_MASKED);
        assertThat(simulator.sessionsOpened()).isEqualTo(sessions);
    }
}
