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
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

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
import io.netsnap.lab.IosArchive;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.LabHostKeys;

/**
 * {@link IosDriver}'s restore against real {@link CliSimulator} devices over SSH and SCP: replace, its failures as
 * IOS prints them, checkpoint and rollback, host key checks on the SCP connection, and no secret in any message or
 * log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class IosRestoreTests {

    private static final String HOSTNAME = "LAB-RTR1";
    private static final String USER = "netsnap";
    private static final String PASSWORD = "ssh-Pa55-restore";
    private static final String SECRET = "en4ble-S3cret-restore";
    private static final String LINE_SECRET = "L1ne-Secr3t-in-config";
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final String PREREQUISITES = "ip scp server enable\narchive\n path flash:netsnap-archive\n"
            + " write-memory\n!\nend";

    @TempDir
    Path directory;

    private KeyPair hostKey;
    private final List<CliSimulator> simulators = new ArrayList<>();
    private final List<SshConnector> connectors = new ArrayList<>();
    private IosDriver driver;

    @BeforeEach
    void setUp() throws IOException {
        hostKey = LabHostKeys.loadOrCreate(directory.resolve("host-key"));
        SshConnector connector = new SshConnector(new SshProperties(directory.resolve("known_hosts"),
                SshProperties.HostKeyPolicy.TOFU, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(60)));
        connectors.add(connector);
        driver = new IosDriver(connector);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SshConnector connector : connectors) {
            connector.destroy();
        }
        simulators.forEach(CliSimulator::close);
    }

    @Test
    void aReplaceThatSucceedsLeavesTheCandidateRunning() throws IOException {
        CliSimulator simulator = start(new IosArchive());
        Device device = device(simulator);
        String candidate = normalized(body(8));

        RestoreDriver.PushResult result = driver.replace(device, credentials(), "r1", candidate);

        assertThat(result.file()).isEqualTo("flash:netsnap-r1-candidate.cfg");
        assertThat(result.verdict()).isEqualTo("Total number of passes: 1, Rollback Done");
        assertThat(simulator.file(result.file())).isEqualTo(candidate.getBytes(StandardCharsets.UTF_8));
        assertThat(driver.fetch(device, credentials()).normalized()).isEqualTo(candidate);
        assertThat(simulator.commandsReceived()).contains("verify /md5 flash:netsnap-r1-candidate.cfg",
                "configure replace flash:netsnap-r1-candidate.cfg force revert trigger error");
    }

    @Test
    void aFailingLineIsRevertedByTheDeviceAndTheExceptionSaysSo(CapturedOutput output) throws IOException {
        String failing = "username admin privilege 15 secret 0 " + LINE_SECRET;
        CliSimulator simulator = start(IosArchive.failing(failing));
        Device device = device(simulator);
        String before = driver.fetch(device, credentials()).normalized();

        DeviceException.ReplaceFailed failure = catchThrowableOfType(DeviceException.ReplaceFailed.class,
                () -> driver.replace(device, credentials(), "r2", normalized(body(8).replace("\nend",
                        "\n" + failing + "\nend"))));

        assertThat(failure.state()).isEqualTo(DeviceException.DeviceState.REVERTED);
        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains("flash:netsnap-r2-candidate.cfg",
                "1 command failed to apply", "restored the original configuration").doesNotContain(LINE_SECRET);
        assertThat(failure.transientFault()).isFalse();
        assertThat(driver.fetch(device, credentials()).normalized()).isEqualTo(before);
        assertThat(output.getAll()).doesNotContain(LINE_SECRET, PASSWORD, SECRET);
    }

    @Test
    void rollbackAbortedAfterFivePassesIsAFailureWhateverElseTheOutputSays() throws IOException {
        String stubborn = "line vty 0 4";
        CliSimulator simulator = start(IosArchive.nonConverging(stubborn));

        DeviceException.ReplaceFailed failure = catchThrowableOfType(DeviceException.ReplaceFailed.class,
                () -> driver.replace(device(simulator), credentials(), "r3",
                        normalized(body(8).replace("\nend", "\n" + stubborn + "\n login\n!\nend"))));

        assertThat(failure.state()).isEqualTo(DeviceException.DeviceState.PARTIAL);
        assertThat(failure.getMessage()).contains("Rollback aborted after 5 passes", "flash:netsnap-r3-candidate.cfg");
    }

    @Test
    void aSessionDroppedMidReplaceIsReportedAsStateUnknown() throws IOException {
        CliSimulator simulator = start(IosArchive.droppingSession());

        DeviceException.ReplaceInterrupted failure = catchThrowableOfType(DeviceException.ReplaceInterrupted.class,
                () -> driver.replace(device(simulator), credentials(), "r4", normalized(body(8))));

        assertThat(failure.getMessage()).contains("flash:netsnap-r4-candidate.cfg", "device state unknown");
        assertThat(failure.transientFault()).isFalse();
    }

    @Test
    void checkpointThenRollbackRestoresThePreviousConfiguration() throws IOException {
        CliSimulator simulator = start(new IosArchive());
        Device device = device(simulator);
        String before = driver.fetch(device, credentials()).normalized();

        RestoreDriver.Checkpoint checkpoint = driver.checkpoint(device, credentials(), "r5");
        driver.replace(device, credentials(), "r5", normalized(body(8)));
        assertThat(driver.fetch(device, credentials()).normalized()).isNotEqualTo(before);
        driver.rollback(device, credentials(), checkpoint);

        assertThat(checkpoint).isEqualTo(new RestoreDriver.Checkpoint("lab-rtr1", "r5",
                "flash:netsnap-r5-rollback.cfg"));
        assertThat(driver.fetch(device, credentials()).normalized()).isEqualTo(before);
        assertThat(simulator.commandsReceived()).contains("copy running-config flash:netsnap-r5-rollback.cfg",
                "configure replace flash:netsnap-r5-rollback.cfg force");
    }

    @Test
    void aRollbackTheDeviceCannotDoIsARollbackFailure() throws IOException {
        CliSimulator simulator = start(new IosArchive());
        Device device = device(simulator);

        DeviceException.RollbackFailed failure = catchThrowableOfType(DeviceException.RollbackFailed.class,
                () -> driver.rollback(device, credentials(), new RestoreDriver.Checkpoint("lab-rtr1", "r6",
                        "flash:netsnap-r6-rollback.cfg")));

        assertThat(failure.state()).isEqualTo(DeviceException.DeviceState.UNCHANGED);
        assertThat(failure.getMessage()).contains("ROLLBACK to flash:netsnap-r6-rollback.cfg FAILED",
                "cannot open the file");
    }

    @Test
    void theScpConnectionChecksTheHostKeyToo() throws IOException {
        CliSimulator simulator = start(new IosArchive());
        KeyPair other = LabHostKeys.loadOrCreate(directory.resolve("other-key"));
        Files.writeString(directory.resolve("known_hosts"), "[127.0.0.1]:" + simulator.port() + " "
                + PublicKeyEntry.toString(other.getPublic()) + "\n");

        DeviceException.HostKeyMismatch failure = catchThrowableOfType(DeviceException.HostKeyMismatch.class,
                () -> driver.replace(device(simulator), credentials(), "r7", normalized(body(8))));

        assertThat(failure.getMessage()).contains("HOST KEY CHANGED");
        assertThat(simulator.file("flash:netsnap-r7-candidate.cfg")).isNull();
        assertThat(simulator.sessionsOpened()).isZero();
    }

    @Test
    void aLoginBelowPrivilege15CannotScpAndNoSecretLeaks(CapturedOutput output) throws IOException {
        CliSimulator simulator = start(CliDeviceSpec.of("ios", HOSTNAME, USER, PASSWORD, SECRET, body(7))
                .withExtension(new IosArchive()));

        DeviceException.Authentication failure = catchThrowableOfType(DeviceException.Authentication.class,
                () -> driver.replace(device(simulator), new Credentials(USER, PASSWORD, SECRET, null), "r8",
                        normalized(body(8))));

        assertThat(failure.getMessage()).contains("flash:netsnap-r8-candidate.cfg", "Privilege denied",
                "privilege 15").doesNotContain(PASSWORD, SECRET);
        assertThat(output.getAll()).doesNotContain(PASSWORD, SECRET);
    }

    @Test
    void aMaskedCandidateIsRefusedBeforeAnythingIsSent() throws IOException {
        CliSimulator simulator = start(new IosArchive());

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> driver.replace(device(simulator), credentials(), "r9",
                        driver.mask(normalized(body(8)))));

        assertThat(failure.getMessage()).contains("masked");
        assertThat(simulator.sessionsOpened()).isZero();
    }

    @Test
    void restoreIsDeclaredByTheTraits() {
        assertThat(driver.traits().restore()).isTrue();
        assertThat(driver.linesChangedByReplace()).anyMatch(p -> p.matcher("ntp clock-period 17179864").matches());
    }

    private static String body(int site) {
        return LabConfigs.router(HOSTNAME, site).replaceFirst("\nend$", "\n" + PREREQUISITES);
    }

    /** What netsnap archives for a body: its header's two bare '!' lines, no ntp clock-period. */
    private static String normalized(String body) {
        return "!\n!\n" + Arrays.stream(body.split("\n")).filter(line -> !line.startsWith("ntp clock-period "))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private CliSimulator start(IosArchive box) throws IOException {
        return start(CliDeviceSpec.of("ios", HOSTNAME, USER, PASSWORD, null, body(7)).withExtension(box));
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        CliSimulator simulator = CliSimulator.start(spec.withBuildDelay(Duration.ofMillis(20)), hostKey);
        simulators.add(simulator);
        return simulator;
    }

    private static Device device(CliSimulator simulator) {
        return new Device("lab-rtr1", simulator.host(), simulator.port(), "ios", "lab", "network/lab", IDLE,
                List.of());
    }

    private static Credentials credentials() {
        return new Credentials(USER, PASSWORD, null, null);
    }
}
