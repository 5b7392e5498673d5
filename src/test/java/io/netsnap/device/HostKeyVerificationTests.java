package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.LabHostKeys;

/** {@link SshConnector}'s known_hosts check against a real simulator: trust on first use, changed keys, strict mode. */
class HostKeyVerificationTests {

    private static final String USER = "netsnap";
    private static final String PASSWORD = "ssh-Pa55-lab";
    private static final Credentials CREDENTIALS = new Credentials(USER, PASSWORD, null, null);

    @TempDir
    Path directory;

    private Path knownHosts;
    private CliSimulator simulator;
    private Device device;
    private final List<SshConnector> connectors = new ArrayList<>();

    @BeforeEach
    void startDevice() throws IOException {
        knownHosts = directory.resolve("state/known_hosts");
        KeyPair hostKey = LabHostKeys.loadOrCreate(directory.resolve("host-key"));
        simulator = CliSimulator.start(CliDeviceSpec.of("ios", "LAB-RTR1", USER, PASSWORD, null,
                LabConfigs.router("LAB-RTR1", 7)).withBuildDelay(Duration.ZERO), hostKey);
        device = new Device("lab-rtr1", simulator.host(), simulator.port(), "ios", null, "network/lab",
                Duration.ofSeconds(5), List.of());
    }

    @AfterEach
    void stop() throws IOException {
        for (SshConnector connector : connectors) {
            connector.destroy();
        }
        simulator.close();
    }

    @Test
    void firstContactRecordsTheKeyAndLaterConnectionsAreCheckedAgainstIt() throws IOException {
        IosDriver driver = driver(SshProperties.HostKeyPolicy.TOFU);

        driver.fetch(device, CREDENTIALS);

        String entry = "[127.0.0.1]:" + simulator.port() + " " + PublicKeyEntry.toString(simulator.hostPublicKey());
        assertThat(Files.readAllLines(knownHosts)).containsExactly(entry);

        driver.fetch(device, CREDENTIALS);
        // A fresh client (the next run of netsnap) reads the recorded key back, even under the strict policy.
        driver(SshProperties.HostKeyPolicy.STRICT).fetch(device, CREDENTIALS);

        assertThat(simulator.sessionsOpened()).isEqualTo(3);
        assertThat(Files.readAllLines(knownHosts)).as("recorded once, not once per connection")
                .containsExactly(entry);
    }

    @Test
    void changedHostKeyIsRefusedWithBothFingerprints() throws IOException, GeneralSecurityException {
        PublicKey recorded = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256).getPublic();
        String entry = "[127.0.0.1]:" + simulator.port() + " " + PublicKeyEntry.toString(recorded);
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, entry + "\n");

        DeviceException.HostKeyMismatch failure = catchThrowableOfType(DeviceException.HostKeyMismatch.class,
                () -> driver(SshProperties.HostKeyPolicy.TOFU).fetch(device, CREDENTIALS));

        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains(
                KeyUtils.getFingerPrint(recorded), KeyUtils.getFingerPrint(simulator.hostPublicKey()));
        assertThat(failure.expectedFingerprint()).isEqualTo(KeyUtils.getFingerPrint(recorded));
        assertThat(failure.actualFingerprint()).isEqualTo(KeyUtils.getFingerPrint(simulator.hostPublicKey()));
        assertThat(failure.transientFault()).isFalse();
        assertThat(simulator.sessionsOpened()).as("no password sent to an impostor").isZero();
        assertThat(Files.readString(knownHosts)).isEqualTo(entry + "\n");
    }

    @Test
    void strictPolicyRefusesAnUnknownKeyAndRecordsNothing() throws IOException {
        Files.createDirectories(knownHosts.getParent());
        Files.createFile(knownHosts);

        DeviceException failure = catchThrowableOfType(DeviceException.class,
                () -> driver(SshProperties.HostKeyPolicy.STRICT).fetch(device, CREDENTIALS));

        assertThat(failure.getMessage()).startsWith("lab-rtr1: ")
                .contains(KeyUtils.getFingerPrint(simulator.hostPublicKey()), "strict");
        assertThat(failure.transientFault()).isFalse();
        assertThat(simulator.sessionsOpened()).isZero();
        assertThat(knownHosts).isEmptyFile();
    }

    @Test
    void aServerThatGetsASecretMustBeKnownEvenUnderTrustOnFirstUse() throws IOException {
        SshConnector connector = new SshConnector(new SshProperties(knownHosts, SshProperties.HostKeyPolicy.TOFU,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30)));
        connectors.add(connector);

        DeviceException failure = catchThrowableOfType(DeviceException.class,
                () -> connector.openSession(device, CREDENTIALS, true).close());

        assertThat(failure.getMessage()).contains(KeyUtils.getFingerPrint(simulator.hostPublicKey()));
        assertThat(simulator.sessionsOpened()).as("no password sent").isZero();
        assertThat(knownHosts).satisfiesAnyOf(path -> assertThat(path).doesNotExist(),
                path -> assertThat(path).isEmptyFile());
    }

    private IosDriver driver(SshProperties.HostKeyPolicy policy) throws IOException {
        SshConnector connector = new SshConnector(new SshProperties(knownHosts, policy, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(30)));
        connectors.add(connector);
        return new IosDriver(connector);
    }
}
