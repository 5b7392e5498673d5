package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

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

/**
 * {@link IosDriver} against real {@link CliSimulator} devices over SSH: login, enable, paging, normalization, and the
 * failures a backup run must classify (authentication, timeout, unreachable) without leaking a secret.
 */
class IosDriverTests {

    private static final String HOSTNAME = "LAB-RTR1";
    private static final String USER = "netsnap";
    private static final String PASSWORD = "ssh-Pa55-lab";
    private static final String SECRET = "en4ble-S3cret";
    private static final String VAULT_PATH = "network/lab";
    private static final Duration IDLE = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private KeyPair hostKey;
    private final List<CliSimulator> simulators = new ArrayList<>();
    private final List<SshConnector> connectors = new ArrayList<>();
    private IosDriver driver;

    @BeforeEach
    void setUp() throws IOException {
        hostKey = LabHostKeys.loadOrCreate(directory.resolve("host-key"));
        driver = driver(Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SshConnector connector : connectors) {
            connector.destroy();
        }
        simulators.forEach(CliSimulator::close);
    }

    @Test
    void privilegedLoginFetchesTheConfigWithoutVolatileLines() throws IOException {
        String body = LabConfigs.router(HOSTNAME, 7);
        CliSimulator simulator = start(privileged(body));

        FetchedConfig config = driver.fetch(device(simulator, IDLE), credentials(null));

        assertThat(config.normalized()).isEqualTo(expectedNormalized(body));
        assertThat(config.normalized()).doesNotContain("Building configuration", "Current configuration :",
                "! Last configuration change", "! NVRAM config last updated", "ntp clock-period");
        assertThat(config.raw()).startsWith("Building configuration...\n")
                .containsPattern("(?m)^Current configuration : \\d+ bytes$")
                .contains("! Last configuration change at ", "! NVRAM config last updated at ")
                .containsPattern("(?m)^ntp clock-period \\d+$")
                .endsWith("end\n")
                .doesNotContain("\r", HOSTNAME + "#");
    }

    @Test
    void twoFetchesOfAnUnchangedDeviceNormalizeToTheSameText() throws IOException {
        CliSimulator simulator = start(privileged(LabConfigs.router(HOSTNAME, 7)));
        Device device = device(simulator, IDLE);

        FetchedConfig first = driver.fetch(device, credentials(null));
        FetchedConfig second = driver.fetch(device, credentials(null));

        // The simulator drifts ntp clock-period on every fetch, so the raw texts always differ.
        assertThat(second.raw()).isNotEqualTo(first.raw());
        assertThat(second.normalized()).isEqualTo(first.normalized());
    }

    @Test
    void unprivilegedLoginRaisesPrivilegeWithTheEnableSecret() throws IOException {
        String body = LabConfigs.router(HOSTNAME, 7);
        CliSimulator simulator = start(CliDeviceSpec.of("ios", HOSTNAME, USER, PASSWORD, SECRET, body));

        FetchedConfig config = driver.fetch(device(simulator, IDLE), credentials(SECRET));

        assertThat(config.normalized()).isEqualTo(expectedNormalized(body));
        assertThat(simulator.commandsReceived()).startsWith("enable");
    }

    @Test
    void wrongEnableSecretIsAnAuthenticationFailureThatNamesTheDeviceButNotTheSecret() throws IOException {
        CliSimulator simulator = start(CliDeviceSpec.of("ios", HOSTNAME, USER, PASSWORD, SECRET,
                LabConfigs.router(HOSTNAME, 7)));
        String wrong = "wr0ng-Enable-guess";

        DeviceException.Authentication failure = catchThrowableOfType(DeviceException.Authentication.class,
                () -> driver.fetch(device(simulator, IDLE), credentials(wrong)));

        assertThat(failure.device()).isEqualTo("lab-rtr1");
        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains("enable", VAULT_PATH)
                .doesNotContain(wrong, SECRET, PASSWORD);
        assertThat(failure.transientFault()).isFalse();
        assertThat(simulator.commandsReceived()).doesNotContain("show running-config").noneMatch(
                line -> line.contains(wrong) || line.contains(SECRET));
    }

    @Test
    void missingEnableSecretIsAnAuthenticationFailure() throws IOException {
        CliSimulator simulator = start(CliDeviceSpec.of("ios", HOSTNAME, USER, PASSWORD, SECRET,
                LabConfigs.router(HOSTNAME, 7)));

        DeviceException.Authentication failure = catchThrowableOfType(DeviceException.Authentication.class,
                () -> driver.fetch(device(simulator, IDLE), credentials(null)));

        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains("'enable'", VAULT_PATH);
        assertThat(failure.transientFault()).isFalse();
    }

    @Test
    void wrongSshPasswordIsAnAuthenticationFailureThatIsNotRetried() throws IOException {
        CliSimulator simulator = start(privileged(LabConfigs.router(HOSTNAME, 7)));
        String wrong = "wr0ng-Ssh-guess";

        DeviceException.Authentication failure = catchThrowableOfType(DeviceException.Authentication.class,
                () -> driver.fetch(device(simulator, IDLE), new Credentials(USER, wrong, null, null)));

        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains(USER, VAULT_PATH)
                .doesNotContain(wrong, PASSWORD);
        assertThat(failure.transientFault()).isFalse();
        assertThat(simulator.sessionsOpened()).isZero();
    }

    @Test
    void lockedPagingIsAnsweredAndLeavesNoPagerResidue() throws IOException {
        String body = LabConfigs.aggregationSwitch("LAB-AGG1", 3);
        CliSimulator simulator = start(CliDeviceSpec.of("ios", "LAB-AGG1", USER, PASSWORD, null, body)
                .withPagingLocked(true));

        FetchedConfig config = driver.fetch(device(simulator, IDLE), credentials(null));

        assertThat(body.lines().count()).as("long enough to page many times").isGreaterThan(300);
        assertThat(config.normalized()).isEqualTo(expectedNormalized(body));
        assertThat(config.normalized().lines().count()).isEqualTo(body.lines().count() + 2);
        for (String text : List.of(config.raw(), config.normalized())) {
            assertThat(text).doesNotContain("--More--", "\b");
        }
        // The refusal of 'terminal length 0' is tolerated: the fetch still ran.
        assertThat(simulator.commandsReceived()).containsSubsequence("terminal length 0", "show running-config");
    }

    /**
     * A pager can arrive in two packets, {@code " --More--"} and then its trailing space. The simulator sends 256-byte
     * chunks, so a page sized to end exactly at a chunk boundary after {@code " --More--"} makes that split happen; the
     * late space must be stripped with the erase sequence and not end up at the start of the next config line.
     */
    @Test
    void pagerSplitBeforeItsTrailingSpaceLeavesNoStraySpace() throws IOException {
        String body = bodyWithSecondPagerSplitAcrossChunks();
        CliSimulator simulator = start(CliDeviceSpec.of("ios", "LAB-AGG1", USER, PASSWORD, null, body)
                .withPagingLocked(true));

        FetchedConfig config = driver.fetch(device(simulator, IDLE), credentials(null));

        assertThat(config.normalized()).isEqualTo(expectedNormalized(body));
    }

    @Test
    void silentDeviceTimesOutAfterTheIdleTimeout() throws IOException {
        CliSimulator simulator = start(privileged(LabConfigs.router(HOSTNAME, 7)).withHangOnBuild(true));

        DeviceException.Timeout failure = catchThrowableOfType(DeviceException.Timeout.class,
                () -> driver.fetch(device(simulator, Duration.ofSeconds(1)), credentials(null)));

        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains("no output for 1 s",
                "show running-config", "bytes of output so far");
        assertThat(failure.transientFault()).isTrue();
    }

    @Test
    void deviceCeilingEndsASessionWhateverTheIdleTimeout() throws IOException {
        CliSimulator simulator = start(privileged(LabConfigs.router(HOSTNAME, 7)).withHangOnBuild(true));
        IosDriver hurried = driver(Duration.ofSeconds(2));

        DeviceException.Timeout failure = catchThrowableOfType(DeviceException.Timeout.class,
                () -> hurried.fetch(device(simulator, Duration.ofMinutes(5)), credentials(null)));

        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains("per-device ceiling")
                .doesNotContain("no output for");
    }

    @Test
    void closedPortIsUnreachableAndRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Device device = new Device("lab-rtr1", "127.0.0.1", port, "ios", null, VAULT_PATH, IDLE, List.of());

        DeviceException.Unreachable failure = catchThrowableOfType(DeviceException.Unreachable.class,
                () -> driver.fetch(device, credentials(null)));

        assertThat(failure.getMessage()).startsWith("lab-rtr1: ").contains("127.0.0.1:" + port,
                "connection refused");
        assertThat(failure.transientFault()).isTrue();
    }

    @Test
    void bannerLinesEndingInPromptCharactersDoNotEndTheLogin() throws IOException {
        String body = LabConfigs.router(HOSTNAME, 7);
        CliSimulator simulator = start(privileged(body).withBanner("""
                #####################
                #
                Authorized access only>
                Disconnect now if you are not authorized #
                #####################"""));

        FetchedConfig config = driver.fetch(device(simulator, IDLE), credentials(null));

        assertThat(config.normalized()).isEqualTo(expectedNormalized(body));
        assertThat(simulator.commandsReceived()).startsWith("terminal length 0", "terminal width 0",
                "show running-config");
    }

    @Test
    void sessionTurnsThePagerOffBeforeFetchingAndNeverTypesASecretAsACommand() throws IOException {
        CliSimulator simulator = start(CliDeviceSpec.of("ios", HOSTNAME, USER, PASSWORD, SECRET,
                LabConfigs.router(HOSTNAME, 7)));

        driver.fetch(device(simulator, IDLE), credentials(SECRET));

        // 'exit' is read by the device after fetch() has returned.
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.commandsReceived().contains("exit"));
        assertThat(simulator.commandsReceived()).containsExactly("enable", "terminal length 0", "terminal width 0",
                "show running-config", "exit");
        assertThat(simulator.commandsReceived()).noneMatch(line -> line.contains(SECRET) || line.contains(PASSWORD));
    }

    @Test
    void aBannerLineThatReadsLikeARefusalIsConfigurationNotAnError() throws IOException {
        String body = LabConfigs.router(HOSTNAME, 7).replace("\nend", "\nbanner motd ^C\n% Permission denied to"
                + " unauthorised users\nCommand authorization failed attempts are logged\n^C\nend");
        CliSimulator simulator = start(privileged(body));

        FetchedConfig config = driver.fetch(device(simulator, IDLE), credentials(null));

        assertThat(config.normalized()).contains("% Permission denied to unauthorised users");
    }

    /**
     * A paged body whose second {@code --More--} ends at a 256-byte chunk boundary of the simulator's output. Page 1
     * (24 lines) is {@code Building configuration...}, 6 header lines and body lines 1-17; page 2 starts after the
     * simulator flushed at the first pager, with the 27-byte erase sequence, then body lines 18-41, then
     * {@code " --More--"} (9 bytes) and, in the next chunk, its trailing space.
     */
    private static String bodyWithSecondPagerSplitAcrossChunks() {
        List<String> lines = new ArrayList<>(List.of("version 17.9", "service password-encryption", "!",
                "hostname LAB-AGG1", "!"));
        for (int port = 1; lines.size() < 70; port++) {
            lines.addAll(List.of("interface GigabitEthernet1/0/" + port, " description access-" + port,
                    " switchport mode access", "!"));
        }
        lines.add("end");
        int page2 = 27 + 9;
        for (String line : lines.subList(17, 41)) {
            page2 += line.length() + 2;
        }
        int description = 18;
        while (!lines.get(description).startsWith(" description ")) {
            description++;
        }
        lines.set(description, lines.get(description) + "x".repeat(Math.floorMod(-page2, 256)));
        return String.join("\n", lines);
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        CliSimulator simulator = CliSimulator.start(spec.withBuildDelay(Duration.ofMillis(50)), hostKey);
        simulators.add(simulator);
        return simulator;
    }

    private IosDriver driver(Duration deviceCeiling) throws IOException {
        SshConnector connector = new SshConnector(new SshProperties(directory.resolve("known_hosts"),
                SshProperties.HostKeyPolicy.TOFU, Duration.ofSeconds(5), Duration.ofSeconds(5), deviceCeiling));
        connectors.add(connector);
        return new IosDriver(connector);
    }

    private static CliDeviceSpec privileged(String body) {
        return CliDeviceSpec.of("ios", HOSTNAME, USER, PASSWORD, null, body);
    }

    private static Device device(CliSimulator simulator, Duration idleTimeout) {
        return new Device("lab-rtr1", simulator.host(), simulator.port(), "ios", "lab", VAULT_PATH, idleTimeout,
                List.of());
    }

    private static Credentials credentials(String enable) {
        return new Credentials(USER, PASSWORD, enable, null);
    }

    /**
     * The body without its volatile {@code ntp clock-period} line, after the two bare {@code !} lines that frame the
     * change timestamps in the header: those are constant, so normalization keeps them (as Oxidized does).
     */
    private static String expectedNormalized(String body) {
        return "!\n!\n" + Arrays.stream(body.split("\n"))
                .filter(line -> !line.startsWith("ntp clock-period "))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
