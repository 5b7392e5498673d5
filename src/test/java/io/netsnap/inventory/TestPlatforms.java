package io.netsnap.inventory;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The traits the real drivers declare, written out for tests of the inventory, which must not depend on the drivers.
 * {@code DriverTraitsTests} in {@code device} and {@code aruba} check that they are the same.
 */
public final class TestPlatforms {

    public static final PlatformTraits.ContextRule ASA_CONTEXTS = new PlatformTraits.ContextRule(
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}"),
            "letters, digits, '_' and '-', starting with a letter or digit, at most 32 characters",
            Set.of("system", "null"),
            "the system execution space is always backed up (as 'system') and is not a security context");

    /** ios and nxos (with restore), asa (with contexts), ise and aruba-conductor (REST steps over TLS on 4343). */
    public static final List<PlatformTraits> ALL = List.of(
            PlatformTraits.cliOverSsh("ios").withRestore(),
            PlatformTraits.cliOverSsh("nxos").withRestore(),
            PlatformTraits.cliOverSsh("asa").withContexts(ASA_CONTEXTS),
            PlatformTraits.cliOverSsh("ise"),
            new PlatformTraits("aruba-conductor", PlatformTraits.Transport.REST_STEPS, 4343, true, null, false));

    private TestPlatforms() {
    }
}
