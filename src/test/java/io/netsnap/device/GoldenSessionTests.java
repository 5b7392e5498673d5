package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.annotation.ClassPathBeanDefinitionScanner;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.type.filter.AssignableTypeFilter;

import io.netsnap.inventory.Device;
import io.netsnap.lab.ReplayServer;
import io.netsnap.support.LeakScanner;

/**
 * Golden-file tests (STYLE §6): every folder {@code devices/<platform>/<case>/} holds a recorded device session, and
 * the platform's real driver, found as the application finds it, must fetch over real SSH (strict host key check)
 * from a {@link ReplayServer} playing it back exactly what the case expects: the normalized configuration, the
 * contexts of a discovery or the error, the masking of secrets, and not one command more or less than recorded.
 * A new case is a new folder; no code.
 */
class GoldenSessionTests {

    private static final KeyPair HOST_KEY = hostKey();
    /** Per-command idle timeout: far above the pauses of a recording, short enough for a failing case. */
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofSeconds(5);
    private static final Duration CEILING = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    static Stream<GoldenCase> cases() throws IOException, URISyntaxException {
        List<GoldenCase> cases = GoldenCase.all(Path.of(GoldenSessionTests.class.getResource("/devices").toURI()));
        assertThat(cases).as("golden cases").isNotEmpty();
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void driverMakesOfTheRecordedSessionWhatTheCaseExpects(GoldenCase golden) throws Exception {
        try (ReplayServer replay = ReplayServer.start(golden.toString(), golden.recording(), HOST_KEY);
             GenericApplicationContext application = application(replay)) {
            DeviceDriver driver = application.getBean(DeviceDrivers.class).forPlatform(golden.platform())
                    .orElseThrow(() -> new AssertionError("no driver for platform " + golden.platform()));
            Device device = new Device(golden.name(), replay.host(), replay.port(), golden.platform(), null,
                    "golden/" + golden, IDLE, golden.inventoryContexts());

            Object result = null;
            DeviceException failure = null;
            try {
                result = run(golden, driver, device);
            } catch (DeviceException e) {
                failure = e;
            }

            assertThat(replay.awaitOutcome(SHORT)).as("%s: difference from the recorded session (the driver %s)",
                    golden, failure == null ? "returned" : "failed: " + failure.getMessage()).isEmpty();
            assertThat(replay.consumed()).as("exchanges replayed").isEqualTo(golden.recording().exchanges().size());
            LeakScanner credentials = new LeakScanner(golden.recording().secrets());
            if (golden.expectedError() != null) {
                assertThat(failure).as("%s: the expected failure", golden).isNotNull();
                assertThat(failure.getClass().getSimpleName()).as("%s: failure", golden)
                        .isEqualTo(golden.expectedError().type());
                assertThat(failure.getMessage()).contains(golden.expectedError().message());
                credentials.assertClean("the exception message", failure.getMessage());
            } else if (failure != null) {
                throw new AssertionError(golden + ": the driver failed: " + failure.getMessage(), failure);
            } else if (golden.expectedContexts() != null) {
                ContextDriver.Contexts contexts = (ContextDriver.Contexts) result;
                assertThat(contexts.names()).as("%s: contexts", golden).isEqualTo(golden.expectedContexts());
                assertThat(contexts.multiple()).isEqualTo(!golden.expectedContexts().isEmpty());
            } else {
                assertFetched(golden, driver, (FetchedConfig) result, credentials);
            }
        }
    }

    private static Object run(GoldenCase golden, DeviceDriver driver, Device device) {
        if (golden.action() == GoldenCase.Action.FETCH && golden.context() == null) {
            return driver.fetch(device, golden.credentials());
        }
        if (!(driver instanceof ContextDriver contexts)) {
            throw new AssertionError("platform " + golden.platform() + " has no contexts");
        }
        return golden.action() == GoldenCase.Action.DISCOVER ? contexts.discover(device, golden.credentials())
                : contexts.fetchContext(device, golden.credentials(), golden.context());
    }

    private static void assertFetched(GoldenCase golden, DeviceDriver driver, FetchedConfig config,
                                      LeakScanner credentials) {
        String masked = driver.mask(config.normalized());
        assertThat(config.normalized()).as("%s: expected.cfg", golden).isEqualTo(golden.expectedConfig());
        for (String secret : golden.secrets()) {
            assertThat(config.normalized()).as("%s: the device sent '%s' of secrets.txt", golden, secret)
                    .contains(secret);
            assertThat(masked).as("%s: the masked configuration", golden).doesNotContain(secret);
        }
        if (golden.masked() != null) {
            assertThat(masked).as("%s: masked.cfg", golden).isEqualTo(golden.masked());
        }
        credentials.assertClean("the raw configuration", config.raw());
        credentials.assertClean("the normalized configuration", config.normalized());
        credentials.assertClean("the masked configuration", masked);
    }

    /**
     * The drivers as the application has them (every {@link DeviceDriver} bean of this package, by platform), over a
     * connector that knows only the replay server's host key and refuses any other.
     */
    private GenericApplicationContext application(ReplayServer replay) throws IOException {
        Path knownHosts = directory.resolve("known_hosts");
        Files.writeString(knownHosts, "[" + replay.host() + "]:" + replay.port() + " "
                + PublicKeyEntry.toString(replay.hostPublicKey()) + "\n");
        SshConnector connector = new SshConnector(new SshProperties(knownHosts, SshProperties.HostKeyPolicy.STRICT,
                SHORT, SHORT, CEILING));
        GenericApplicationContext application = new GenericApplicationContext();
        try {
            application.registerBean(SshConnector.class, () -> connector);
            application.registerBean(DeviceDrivers.class);
            ClassPathBeanDefinitionScanner scanner = new ClassPathBeanDefinitionScanner(application, false);
            scanner.addIncludeFilter(new AssignableTypeFilter(DeviceDriver.class));
            scanner.scan(DeviceDriver.class.getPackageName());
            application.refresh();
            return application;
        } catch (RuntimeException e) {
            connector.destroy();
            throw e;
        }
    }

    private static KeyPair hostKey() {
        try {
            return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
