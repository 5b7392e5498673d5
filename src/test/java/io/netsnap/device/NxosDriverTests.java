package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.LabConfigs;

/** {@link NxosDriver} against the NX-OS simulator over SSH. */
class NxosDriverTests {

    private static final String HOSTNAME = "DC-NX-01";
    private static final String PASSWORD = "nx-Pa55-lab";
    private static final Duration IDLE = Duration.ofSeconds(10);

    @RegisterExtension
    final DriverFixture fixture = new DriverFixture();

    private final NxosDriver driver = new NxosDriver(fixture.connector(Duration.ofSeconds(60)));

    @Test
    void fetchKeepsTheBodyAndTheCommandLineAndDropsTheTimestamps() throws IOException {
        String body = LabConfigs.nexusSwitch(HOSTNAME, 11);
        CliSimulator simulator = start(CliDeviceSpec.of("nxos", HOSTNAME, DriverFixture.USER, PASSWORD, body));

        FetchedConfig config = driver.fetch(device(simulator), credentials());

        assertThat(config.normalized()).isEqualTo("!Command: show running-config\n\n" + body.strip() + "\n");
        assertThat(config.raw()).contains("!Time: ").contains("!Running configuration last done at: ");
        assertThat(simulator.commandsReceived()).startsWith("terminal length 0", "terminal width 511",
                "show running-config");
    }

    @Test
    void twoFetchesOfAnUnchangedSwitchAreEqualAndAChangeShows() throws IOException {
        String body = LabConfigs.nexusSwitch(HOSTNAME, 12);
        CliSimulator simulator = start(CliDeviceSpec.of("nxos", HOSTNAME, DriverFixture.USER, PASSWORD, body));

        FetchedConfig first = driver.fetch(device(simulator), credentials());
        FetchedConfig second = driver.fetch(device(simulator), credentials());
        assertThat(second.raw()).as("the simulator's !Time: moves on every fetch").isNotEqualTo(first.raw());
        assertThat(second.normalized()).isEqualTo(first.normalized());

        simulator.updateConfigBody(body.replace("hostname " + HOSTNAME, "hostname " + HOSTNAME + "\nfeature bfd"));
        assertThat(driver.fetch(device(simulator), credentials()).normalized()).contains("feature bfd")
                .isNotEqualTo(first.normalized());
    }

    @Test
    void aRoleThatMayNotTurnPagingOffGetsThePagerAnsweredOnANexus5500() throws IOException {
        String body = LabConfigs.nexusSwitch(HOSTNAME, 13);
        CliSimulator plain = start(CliDeviceSpec.of("nxos", HOSTNAME, DriverFixture.USER, PASSWORD, body));
        CliSimulator locked = start(CliDeviceSpec.of("nxos", HOSTNAME, DriverFixture.USER, PASSWORD, body)
                .withEchoLineEnd("\r\r\n").withPagingLocked(true));

        FetchedConfig expected = driver.fetch(device(plain), credentials());
        FetchedConfig paged = driver.fetch(device(locked), credentials());

        assertThat(paged.normalized()).isEqualTo(expected.normalized());
        assertThat(paged.raw()).doesNotContain("--More--").doesNotContain("\u001b").doesNotContain("\r");
    }

    @Test
    void maskingHidesHashesKeysAndCommunitiesButKeepsTheStructure() throws IOException {
        String body = LabConfigs.nexusSwitch(HOSTNAME, 14);
        CliSimulator simulator = start(CliDeviceSpec.of("nxos", HOSTNAME, DriverFixture.USER, PASSWORD, body));

        String normalized = driver.fetch(device(simulator), credentials()).normalized();
        String masked = driver.mask(normalized);

        assertThat(masked).contains("username admin password 5 " + CliProfile.MASK)
                .contains("tacacs-server key 7 " + CliProfile.MASK)
                .doesNotContain("$5$").doesNotContain("priv aes-128 0x")
                .contains("hostname " + HOSTNAME);
        assertThat(masked.lines().count()).as("masking replaces words, never lines")
                .isEqualTo(normalized.lines().count());
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        return fixture.started(CliSimulator.start(spec.withBuildDelay(Duration.ofMillis(20)), fixture.hostKey()));
    }

    private static Device device(CliSimulator simulator) {
        return DriverFixture.device(simulator, HOSTNAME, "nxos", IDLE, List.of());
    }

    private static Credentials credentials() {
        return new Credentials(DriverFixture.USER, PASSWORD, null, null);
    }
}
