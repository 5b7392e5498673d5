package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.CliSimulator;
import io.netsnap.lab.SimulatorProfile;

/**
 * Every platform whose simulator profile brings a lab device, fetched by its real driver over SSH: the lab's
 * configuration comes back whole, two fetches of an unchanged device agree, a change shows, and a user who may not
 * switch paging off gets the same configuration through the pager. A new platform is covered by adding its profile
 * and its driver; this class does not name any.
 */
class ProfiledPlatformsTests {

    private static final String PASSWORD = "profile-Ssh-Pa55";
    private static final String ENABLE = "profile-En4ble-S3cret";
    private static final Duration IDLE = Duration.ofSeconds(10);

    @RegisterExtension
    final DriverFixture fixture = new DriverFixture();

    static Stream<String> platforms() {
        return SimulatorProfile.all().stream().filter(profile -> profile.lab() != null)
                .map(SimulatorProfile::platform);
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void theLabConfigurationComesBackWholeAndStable(String platform) throws IOException {
        LabCase lab = labCase(platform);
        String name = lab.name();
        String body = lab.body();
        CliSimulator simulator = start(lab.spec());

        FetchedConfig first = lab.fetch(simulator);
        FetchedConfig second = lab.fetch(simulator);

        for (String line : body.lines().filter(line -> !line.isBlank()).toList()) {
            assertThat(first.normalized()).as(platform).contains(line.stripTrailing() + "\n");
        }
        assertThat(second.normalized()).as(platform + ": an unchanged device").isEqualTo(first.normalized());
        String changed = body.replace(name, name + "-B");
        simulator.updateConfigBody(changed);
        assertThat(lab.fetch(simulator).normalized())
                .as(platform + ": a changed device").contains(name + "-B").isNotEqualTo(first.normalized());
        assertThat(first.raw() + first.normalized()).doesNotContain(PASSWORD).doesNotContain(ENABLE);
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void aUserWhoMayNotSwitchPagingOffGetsTheSameConfigurationThroughThePager(String platform) throws IOException {
        LabCase lab = labCase(platform);
        CliSimulator plain = start(lab.spec());
        CliSimulator locked = start(lab.spec().withPagingLocked(true));

        FetchedConfig expected = lab.fetch(plain);
        FetchedConfig paged = lab.fetch(locked);

        assertThat(paged.normalized()).as(platform).isEqualTo(expected.normalized());
        assertThat(paged.normalized()).as(platform + ": no pager residue").doesNotContain("\u001b")
                .doesNotContain("\r").doesNotContainIgnoringCase("more");
    }

    /** The platform's first lab device, its driver, and how it logs in. */
    private record LabCase(String platform, SimulatorProfile.LabSection lab, String name, String body,
                           DeviceDriver driver) {

        CliDeviceSpec spec() {
            return CliDeviceSpec.of(platform, name, DriverFixture.USER, PASSWORD, lab.enable() ? ENABLE : null, body)
                    .withBuildDelay(Duration.ofMillis(20));
        }

        FetchedConfig fetch(CliSimulator simulator) {
            Device device = DriverFixture.device(simulator, name, platform, IDLE, List.of());
            return driver.fetch(device, new Credentials(DriverFixture.USER, PASSWORD, lab.enable() ? ENABLE : null,
                    null));
        }
    }

    private LabCase labCase(String platform) {
        SimulatorProfile.LabSection lab = SimulatorProfile.of(platform).lab();
        String name = lab.devices().get(0);
        return new LabCase(platform, lab, name, lab.config().replace("{hostname}", name), driver(platform));
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        return fixture.started(CliSimulator.start(spec, fixture.hostKey()));
    }

    /** The driver of the platform, found among the application's driver classes as Spring would find it. */
    private DeviceDriver driver(String platform) {
        return TestDrivers.cli(fixture.connector(Duration.ofSeconds(60))).forPlatform(platform)
                .orElseThrow(() -> new IllegalStateException("no driver for platform " + platform));
    }
}
