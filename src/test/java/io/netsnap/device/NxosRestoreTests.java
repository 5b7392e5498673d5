package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.LabHostKeys;
import io.netsnap.lab.NxosCheckpoints;

/**
 * {@link NxosDriver}'s restore against real {@link CliSimulator} switches over SSH and SCP: a rollback to a candidate
 * file, its failure log, a dropped session, named checkpoints, host key checks on SCP, no secret in any output.
 */
@ExtendWith(OutputCaptureExtension.class)
class NxosRestoreTests {

    private static final String HOSTNAME = "DC-NX-01";
    private static final String USER = "netsnap";
    private static final String PASSWORD = "ssh-Pa55-nexus";
    private static final String LINE_SECRET = "L1ne-Secr3t-nexus";
    private static final Duration IDLE = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private KeyPair hostKey;
    private final List<CliSimulator> simulators = new ArrayList<>();
    private final List<SshConnector> connectors = new ArrayList<>();
    private NxosDriver driver;

    @BeforeEach
    void setUp() throws IOException {
        hostKey = LabHostKeys.loadOrCreate(directory.resolve("host-key"));
        SshConnector connector = new SshConnector(new SshProperties(directory.resolve("known_hosts"),
                SshProperties.HostKeyPolicy.TOFU, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(60)));
        connectors.add(connector);
        driver = new NxosDriver(connector);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SshConnector connector : connectors) {
            connector.destroy();
        }
        simulators.forEach(CliSimulator::close);
    }

    @Test
    void aRollbackToTheCandidateFileLeavesTheCandidateRunning() throws IOException {
        CliSimulator simulator = start(new NxosCheckpoints());
        Device device = device(simulator);
        String candidate = normalized(body(8));

        RestoreDriver.PushResult result = driver.replace(device, credentials(), "r1", candidate);

        assertThat(result.file()).isEqualTo("bootflash:netsnap-r1-candidate.cfg");
        assertThat(result.verdict()).isEqualTo("Rollback completed successfully.");
        assertThat(simulator.file(result.file())).isEqualTo(candidate.getBytes(StandardCharsets.UTF_8));
        assertThat(driver.fetch(device, credentials()).normalized()).isEqualTo(candidate);
        assertThat(simulator.commandsReceived()).contains("show file bootflash:netsnap-r1-candidate.cfg md5sum",
                "rollback running-config file bootflash:netsnap-r1-candidate.cfg atomic");
    }

    @Test
    void aFailingLineFailsVerificationAndTheSwitchKeepsItsConfiguration(CapturedOutput output) throws IOException {
        String failing = "username broken password 0 " + LINE_SECRET + " role network-admin";
        CliSimulator simulator = start(new NxosCheckpoints(failing, false));
        Device device = device(simulator);
        String before = driver.fetch(device, credentials()).normalized();

        DeviceException.ReplaceFailed failure = catchThrowableOfType(DeviceException.ReplaceFailed.class,
                () -> driver.replace(device, credentials(), "r2",
                        normalized(body(8).replace("feature lldp\n", "feature lldp\n" + failing + "\n"))));

        assertThat(failure.state()).isEqualTo(DeviceException.DeviceState.REVERTED);
        assertThat(failure.getMessage()).startsWith("dc-nx-01: ").contains("bootflash:netsnap-r2-candidate.cfg",
                "verification failed", "rolled back to the previous configuration").doesNotContain(LINE_SECRET);
        assertThat(driver.fetch(device, credentials()).normalized()).isEqualTo(before);
        assertThat(output.getAll()).doesNotContain(LINE_SECRET, PASSWORD);
    }

    @Test
    void aSessionDroppedMidRollbackIsReportedAsStateUnknown() throws IOException {
        CliSimulator simulator = start(new NxosCheckpoints(null, true));

        DeviceException.ReplaceInterrupted failure = catchThrowableOfType(DeviceException.ReplaceInterrupted.class,
                () -> driver.replace(device(simulator), credentials(), "r3", normalized(body(8))));

        assertThat(failure.getMessage()).contains("bootflash:netsnap-r3-candidate.cfg", "device state unknown");
        assertThat(failure.transientFault()).isFalse();
    }

    @Test
    void checkpointThenRollbackRestoresThePreviousConfiguration() throws IOException {
        CliSimulator simulator = start(new NxosCheckpoints());
        Device device = device(simulator);
        String before = driver.fetch(device, credentials()).normalized();

        RestoreDriver.Checkpoint checkpoint = driver.checkpoint(device, credentials(), "r4");
        driver.replace(device, credentials(), "r4", normalized(body(8)));
        assertThat(driver.fetch(device, credentials()).normalized()).isNotEqualTo(before);
        driver.rollback(device, credentials(), checkpoint);

        assertThat(checkpoint.name()).isEqualTo("netsnap-r4");
        assertThat(driver.fetch(device, credentials()).normalized()).isEqualTo(before);
        assertThat(simulator.commandsReceived()).contains("checkpoint netsnap-r4",
                "rollback running-config checkpoint netsnap-r4 atomic");
    }

    @Test
    void aCheckpointOfAnotherDeviceIsNeverApplied() throws IOException {
        CliSimulator simulator = start(new NxosCheckpoints());

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> driver.rollback(device(simulator), credentials(),
                        new RestoreDriver.Checkpoint("dc-nx-02", "r5", "netsnap-r5")));

        assertThat(failure.getMessage()).contains("dc-nx-02", "dc-nx-01");
        assertThat(simulator.sessionsOpened()).isZero();
    }

    @Test
    void theScpConnectionChecksTheHostKeyToo() throws IOException {
        CliSimulator simulator = start(new NxosCheckpoints());
        KeyPair other = LabHostKeys.loadOrCreate(directory.resolve("other-key"));
        Files.writeString(directory.resolve("known_hosts"), "[127.0.0.1]:" + simulator.port() + " "
                + PublicKeyEntry.toString(other.getPublic()) + "\n");

        DeviceException.HostKeyMismatch failure = catchThrowableOfType(DeviceException.HostKeyMismatch.class,
                () -> driver.replace(device(simulator), credentials(), "r6", normalized(body(8))));

        assertThat(failure.getMessage()).contains("HOST KEY CHANGED");
        assertThat(simulator.file("bootflash:netsnap-r6-candidate.cfg")).isNull();
        assertThat(simulator.sessionsOpened()).isZero();
    }

    @Test
    void withoutTheScpFeatureTheUploadFailsAndNothingIsReplaced() throws IOException {
        CliSimulator simulator = start(CliDeviceSpec.of("nxos", HOSTNAME, USER, PASSWORD,
                LabConfigs.nexusSwitch(HOSTNAME, 7).replace("feature scp-server\n", ""))
                .withExtension(new NxosCheckpoints()));

        DeviceException.Protocol failure = catchThrowableOfType(DeviceException.Protocol.class,
                () -> driver.replace(device(simulator), credentials(), "r7", normalized(body(8))));

        assertThat(failure.getMessage()).contains("SCP upload of bootflash:netsnap-r7-candidate.cfg failed",
                "feature scp-server");
        assertThat(simulator.commandsReceived()).isEmpty();
    }

    private static String body(int seed) {
        // the lab's Nexus is ready for restores
        return LabConfigs.nexusSwitch(HOSTNAME, seed);
    }

    private static String normalized(String body) {
        return "!Command: show running-config\n\n" + body.strip() + "\n";
    }

    private CliSimulator start(NxosCheckpoints box) throws IOException {
        return start(CliDeviceSpec.of("nxos", HOSTNAME, USER, PASSWORD, body(7)).withExtension(box));
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        CliSimulator simulator = CliSimulator.start(spec.withBuildDelay(Duration.ofMillis(20)), hostKey);
        simulators.add(simulator);
        return simulator;
    }

    private static Device device(CliSimulator simulator) {
        return new Device("dc-nx-01", simulator.host(), simulator.port(), "nxos", "lab", "network/lab", IDLE,
                List.of());
    }

    private static Credentials credentials() {
        return new Credentials(USER, PASSWORD, null, null);
    }
}
