package io.netsnap.aruba;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netsnap.inventory.PlatformTraits;
import io.netsnap.inventory.TestPlatforms;

/** The inventory's tests use {@link TestPlatforms} in place of the drivers: the conductor must declare the same. */
class DriverTraitsTests {

    @Test
    void theConductorDeclaresWhatTheInventoryTestsAssume() {
        assertThat(TestPlatforms.ALL).filteredOn(traits -> traits.platform().equals(ArubaService.PLATFORM))
                .containsExactly(ArubaConductorDriver.TRAITS);
        assertThat(ArubaConductorDriver.TRAITS.transport()).isEqualTo(PlatformTraits.Transport.REST_STEPS);
    }
}
