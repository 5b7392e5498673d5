package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.InventoryLoader;
import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.IseResumeMenu;
import io.netsnap.lab.LabConfigs;

/** {@link IseDriver} against the ISE simulator over SSH: the resume menu, slow bursts, long silences. */
class IseDriverTests {

    private static final String HOSTNAME = "ISE-PRIMARY";
    private static final String PASSWORD = "ise-Pa55-lab";

    @RegisterExtension
    final DriverFixture fixture = new DriverFixture();

    @TempDir
    Path directory;

    @Test
    void answersTheResumeMenuAndFetchesWithoutTheGeneratingLine() throws IOException {
        String body = LabConfigs.iseNode(HOSTNAME, 21);
        CliSimulator simulator = start(CliDeviceSpec.of("ise", HOSTNAME, DriverFixture.USER, PASSWORD, body)
                .withExtension(new IseResumeMenu(List.of("875.User-Friday_Jan_17_08:26:00_2020",
                        "25035.User-Friday_Jan_17_08:22:48_2020"))));
        IseDriver driver = new IseDriver(fixture.connector(Duration.ofSeconds(60)));

        FetchedConfig config = driver.fetch(device(simulator, Duration.ofSeconds(10)), credentials());

        assertThat(config.normalized()).isEqualTo(body.strip() + "\n");
        assertThat(config.raw()).startsWith("Generating configuration...");
        assertThat(simulator.commandsReceived()).as("menu answers are not commands").startsWith(
                "terminal length 0", "show running-config");
        String masked = driver.mask(config.normalized());
        assertThat(masked).contains("password hash " + CliProfile.MASK).doesNotContain("$5$");
    }

    /**
     * ISE falls silent for many seconds in the middle of long outputs. With the settings a user gets without
     * configuring anything (no inventory timeout, no {@code netsnap.ssh.*}), a 20 s silence must not fail the backup.
     */
    @Test
    void aTwentySecondSilenceMidOutputSucceedsWithDefaultSettings() throws IOException {
        String body = LabConfigs.iseNode(HOSTNAME, 22);
        CliSimulator simulator = start(CliDeviceSpec.of("ise", HOSTNAME, DriverFixture.USER, PASSWORD, body)
                .withMidOutputPause(Duration.ofSeconds(20)));
        Path inventory = Files.writeString(directory.resolve("inventory.yaml"), """
                devices:
                  - { name: %s, host: %s, port: %d, platform: ise, credentials: network/ise }
                """.formatted(HOSTNAME, simulator.host(), simulator.port()));
        Device device = new InventoryLoader(List.of(IseDriver.TRAITS)).load(inventory).device(HOSTNAME).orElseThrow();
        SshProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of("netsnap.ssh.known-hosts",
                directory.resolve("known_hosts").toString()))).bind("netsnap.ssh", SshProperties.class).get();
        IseDriver driver = new IseDriver(fixture.register(new SshConnector(defaults)));

        FetchedConfig config = driver.fetch(device, credentials());

        assertThat(config.normalized()).isEqualTo(body.strip() + "\n");
    }

    @Test
    void aSilenceLongerThanTheIdleTimeoutFailsWithoutQuotingTheConfiguration() throws IOException {
        String body = LabConfigs.iseNode(HOSTNAME, 23);
        CliSimulator simulator = start(CliDeviceSpec.of("ise", HOSTNAME, DriverFixture.USER, PASSWORD, body)
                .withMidOutputPause(Duration.ofSeconds(4)));
        IseDriver driver = new IseDriver(fixture.connector(Duration.ofSeconds(60)));

        DeviceException.Timeout timeout = org.assertj.core.api.Assertions.catchThrowableOfType(
                DeviceException.Timeout.class, () -> driver.fetch(device(simulator, Duration.ofSeconds(1)),
                        credentials()));

        assertThat(timeout.getMessage()).contains(HOSTNAME).contains("show running-config")
                .contains("bytes of output so far");
        for (String line : body.split("\n")) {
            if (line.strip().length() > 3) {
                assertThat(timeout.getMessage()).as("configuration lines may hold secrets")
                        .doesNotContain(line.strip());
            }
        }
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        return fixture.started(CliSimulator.start(spec.withBuildDelay(Duration.ofMillis(200)), fixture.hostKey()));
    }

    private static Device device(CliSimulator simulator, Duration idle) {
        return DriverFixture.device(simulator, HOSTNAME, "ise", idle, List.of());
    }

    private static Credentials credentials() {
        return new Credentials(DriverFixture.USER, PASSWORD, null, null);
    }
}
