package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.lab.AsaContexts;
import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.LabConfigs;

/** {@link AsaDriver} against the ASA simulator over SSH, in single and multiple context mode. */
class AsaDriverTests {

    private static final String HOSTNAME = "ASA-FW-01";
    private static final String PASSWORD = "asa-Pa55-lab";
    private static final String ENABLE = "asa-En4ble-lab";
    private static final List<String> CONTEXTS = List.of("admin", "DMZ", "BACKEND");
    private static final Duration IDLE = Duration.ofSeconds(10);

    @RegisterExtension
    final DriverFixture fixture = new DriverFixture();

    private final AsaDriver driver = new AsaDriver(fixture.connector(Duration.ofSeconds(60)));

    @Test
    void multipleModeDiscoversTheSystemSpaceAndEveryContextThenFetchesEachAlone() throws IOException {
        CliSimulator simulator = start(multiple());

        ContextDriver.Contexts contexts = driver.discover(device(simulator, List.of()), credentials(ENABLE));
        assertThat(contexts.multiple()).isTrue();
        assertThat(contexts.names()).containsExactly("system", "admin", "DMZ", "BACKEND");

        FetchedConfig dmz = driver.fetchContext(device(simulator, List.of()), credentials(ENABLE), "DMZ");
        assertThat(dmz.normalized()).contains("hostname DMZ").doesNotContain("Cryptochecksum")
                .doesNotContain(": Saved").doesNotContain(": Written by").doesNotContain(": end");
        FetchedConfig system = driver.fetchContext(device(simulator, List.of()), credentials(ENABLE), "system");
        assertThat(system.normalized()).contains("context DMZ").contains("<system>");

        FetchedConfig again = driver.fetchContext(device(simulator, List.of()), credentials(ENABLE), "DMZ");
        assertThat(again.raw()).as("the simulator's Written-by line moves").isNotEqualTo(dmz.raw());
        assertThat(again.normalized()).isEqualTo(dmz.normalized());
        assertThat(simulator.maxConcurrentSessions()).isEqualTo(1);
        assertThat(simulator.commandsReceived()).contains("changeto context DMZ", "changeto system")
                .noneMatch(line -> line.contains(ENABLE));
    }

    @Test
    void contextsListedInTheInventoryAreTakenAsTheyAreAndAMissingOneFailsByName() throws IOException {
        CliSimulator simulator = start(multiple());
        Device listed = device(simulator, List.of("DMZ", "GHOST"));

        assertThat(driver.discover(listed, credentials(ENABLE)).names()).containsExactly("system", "DMZ", "GHOST");
        assertThat(simulator.commandsReceived()).doesNotContain("show context");

        DeviceException.UnsupportedCommand ghost = catchThrowableOfType(DeviceException.UnsupportedCommand.class,
                () -> driver.fetchContext(listed, credentials(ENABLE), "GHOST"));
        assertThat(ghost.getMessage()).contains(HOSTNAME).contains("changeto context GHOST");
    }

    @Test
    void aNameThatIsNotPlainIsNeverTyped() throws IOException {
        CliSimulator simulator = start(multiple());

        DeviceException.Protocol refused = catchThrowableOfType(DeviceException.Protocol.class,
                () -> driver.fetchContext(device(simulator, List.of()), credentials(ENABLE), "DMZ; write erase"));

        assertThat(refused.getMessage()).contains("not a plain name");
        assertThat(simulator.sessionsOpened()).isZero();
    }

    @Test
    void singleModeWithABlankEnablePasswordAndALockedPagerFetchesTheRealKeys() throws IOException {
        String body = LabConfigs.asaSingle(HOSTNAME, 4);
        CliSimulator plain = start(CliDeviceSpec.of("asa", HOSTNAME, DriverFixture.USER, PASSWORD, ENABLE, body));
        // a blank enable password: an empty line at Password: is enough
        CliSimulator awkward = start(CliDeviceSpec.of("asa", HOSTNAME, DriverFixture.USER, PASSWORD, "", body)
                .withPagingLocked(true));

        assertThat(driver.discover(device(plain, List.of()), credentials(ENABLE)).multiple()).isFalse();
        FetchedConfig expected = driver.fetch(device(plain, List.of()), credentials(ENABLE));
        FetchedConfig paged = driver.fetch(device(awkward, List.of()), credentials(null));

        assertThat(paged.normalized()).isEqualTo(expected.normalized());
        assertThat(expected.normalized()).doesNotContain("*****").contains("pre-shared-key");
        assertThat(paged.raw()).doesNotContain("<--- More --->");
        String masked = driver.mask(expected.normalized());
        assertThat(masked).doesNotContain("$sha512$").doesNotContain("Lab-Psk-")
                .contains("pre-shared-key " + CliProfile.MASK);
    }

    @Test
    void anAutoEnableLoginIsNotAskedToEnableAndAnInventoryWithContextsOnASingleModeAsaFails() throws IOException {
        // AAA auto-enable: no enable secret, the user lands at #
        CliSimulator simulator = start(CliDeviceSpec.of("asa", HOSTNAME, DriverFixture.USER, PASSWORD,
                LabConfigs.asaSingle(HOSTNAME, 5)));

        driver.fetch(device(simulator, List.of()), credentials(null));
        assertThat(simulator.commandsReceived()).doesNotContain("enable");

        DeviceException.Protocol wrong = catchThrowableOfType(DeviceException.Protocol.class,
                () -> driver.discover(device(simulator, List.of("DMZ")), credentials(null)));
        assertThat(wrong.getMessage()).contains("single context mode").contains("[DMZ]");
    }

    private static CliDeviceSpec multiple() {
        return CliDeviceSpec.of("asa", HOSTNAME, DriverFixture.USER, PASSWORD, ENABLE,
                LabConfigs.asaSystem(HOSTNAME, CONTEXTS)).withExtension(new AsaContexts(
                List.of(new AsaContexts.Context("admin", LabConfigs.asaContext("admin", 1)),
                        new AsaContexts.Context("DMZ", LabConfigs.asaContext("DMZ", 2)),
                        new AsaContexts.Context("BACKEND", LabConfigs.asaContext("BACKEND", 3)))));
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        return fixture.started(CliSimulator.start(spec, fixture.hostKey()));
    }

    private static Device device(CliSimulator simulator, List<String> contexts) {
        return DriverFixture.device(simulator, HOSTNAME, "asa", IDLE, contexts);
    }

    private static Credentials credentials(String enable) {
        return new Credentials(DriverFixture.USER, PASSWORD, enable, null);
    }
}
