package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.netsnap.inventory.PlatformTraits;
import io.netsnap.inventory.TestPlatforms;

/** The inventory's tests use {@link TestPlatforms} in place of the drivers: they must declare the same traits. */
class DriverTraitsTests {

    @Test
    void theCliDriversDeclareWhatTheInventoryTestsAssume() {
        List<PlatformTraits> declared = List.of(IosDriver.TRAITS, NxosDriver.TRAITS, AsaDriver.TRAITS, IseDriver.TRAITS);

        assertThat(declared).usingRecursiveFieldByFieldElementComparator(sameRegex())
                .containsExactlyElementsOf(TestPlatforms.ALL.stream()
                        .filter(traits -> traits.transport() == PlatformTraits.Transport.CLI_SSH).toList());
    }

    @Test
    void onlyTheAsaHasContextsAndItsDriverChecksNamesByTheRuleItDeclares() {
        assertThat(AsaDriver.TRAITS.contexts()).isSameAs(AsaDriver.CONTEXTS);
        assertThat(List.of(IosDriver.TRAITS, NxosDriver.TRAITS, IseDriver.TRAITS))
                .allSatisfy(traits -> assertThat(traits.contexts()).isNull());
    }

    static org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration sameRegex() {
        return org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                .withEqualsForType((Pattern a, Pattern b) -> a.pattern().equals(b.pattern()), Pattern.class)
                .build();
    }
}
