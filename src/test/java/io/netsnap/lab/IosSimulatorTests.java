package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives the simulator with a raw MINA client over a PTY shell, the way a real CLI client does, and checks the bytes
 * on the wire. The client pins the simulator's host key.
 */
class IosSimulatorTests {

    private static final Duration TIMEOUT = SimulatorTerminal.TIMEOUT;
    /** What wipes the pager, as the profile says. */
    private static final String ERASE = SimulatorProfile.of("ios").paging().erase();
    private static final String USER = "netsnap";
    private static final String PASSWORD = "lab-password";
    private static final String SECRET = "lab-enable";
    private static final String BODY = """
            version 17.9
            service timestamps debug datetime localtime show-timezone year
            !
            hostname LAB-SW1
            !
            ntp clock-period 17179864
            !
            interface GigabitEthernet1/0/1
             description uplink
            !
            line vty 0 4
             transport input ssh
            !
            end""";

    @RegisterExtension
    static final SimulatorClient client = new SimulatorClient();

    @Test
    void printsBannerThenPromptWithoutTrailingNewline() throws IOException {
        SimulatorTerminal terminal = open(spec().withBanner("Authorized access only\nDisconnect IMMEDIATELY otherwise"));

        assertThat(terminal.untilPrompt("LAB-SW1#"))
                .isEqualTo("Authorized access only\r\nDisconnect IMMEDIATELY otherwise\r\n\r\nLAB-SW1#");
    }

    @Test
    void echoesTheCommandAndEndsTheLineWithCrLf() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("terminal length 0\n");

        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo("terminal length 0\r\nLAB-SW1#");
    }

    @Test
    void showRunningConfigSendsVolatileHeaderByteCountAndBody() throws IOException {
        CliSimulator simulator = start(spec());
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("LAB-SW1#");
        terminal.send("term len 0\n");
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("sh run\n");
        String output = terminal.untilPrompt("LAB-SW1#");

        Matcher header = Pattern.compile("""
                sh run\r
                Building configuration\\.\\.\\.\r
                \r
                Current configuration : (\\d+) bytes\r
                !\r
                ! Last configuration change at \\d\\d:\\d\\d:\\d\\d UTC \\w{3} \\w{3} \\d{1,2} \\d{4} by admin\r
                ! NVRAM config last updated at \\d\\d:\\d\\d:\\d\\d UTC \\w{3} \\w{3} \\d{1,2} \\d{4} by admin\r
                !\r
                """).matcher(output);
        assertThat(header.lookingAt()).as(output).isTrue();
        String body = output.substring(header.end());
        assertThat(body).endsWith("end\r\n\r\nLAB-SW1#");
        String sentBody = body.substring(0, body.length() - "\r\nLAB-SW1#".length()).replace("\r\n", "\n");
        assertThat(sentBody.getBytes(StandardCharsets.UTF_8)).hasSize(Integer.parseInt(header.group(1)));
        assertThat(withoutVolatileLines(sentBody)).isEqualTo(withoutVolatileLines(BODY + "\n"));
        assertThat(simulator.commandsReceived()).containsExactly("term len 0", "sh run");
    }

    @Test
    void successiveFetchesDifferOnlyInVolatileLines() throws IOException {
        List<String> outputs = unpaged("show running-config", "show running-config");
        String first = outputs.get(0);
        String second = outputs.get(1);

        assertThat(second).isNotEqualTo(first);
        assertThat(withoutVolatileLines(second)).isEqualTo(withoutVolatileLines(first));
        assertThat(volatileLines(second)).isNotEqualTo(volatileLines(first));
    }

    @Test
    void theFullViewServesTheSameConfiguration() throws IOException {
        List<String> outputs = unpaged("show running-config", "show running-config view full");
        String plain = outputs.get(0);
        String full = outputs.get(1);

        assertThat(full).startsWith("show running-config view full\r\nBuilding configuration...\r\n")
                .endsWith("end\r\n\r\nLAB-SW1#");
        assertThat(withoutVolatileLines(full.substring(full.indexOf('\n'))))
                .isEqualTo(withoutVolatileLines(plain.substring(plain.indexOf('\n'))));
    }

    @Test
    void updatedConfigBodyIsServedToTheNextFetch() throws IOException {
        CliSimulator simulator = start(spec());
        simulator.updateConfigBody(BODY.replace(" description uplink", " description core uplink"));
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("LAB-SW1#");
        terminal.send("terminal length 0\nshow running-config\n");

        assertThat(terminal.untilPrompt("end\r\n\r\nLAB-SW1#")).contains(" description core uplink\r\n");
    }

    @Test
    void pagesAfterTwentyFourLinesUntilLengthIsSet() throws IOException {
        SimulatorTerminal terminal = open(spec(longBody()));
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("show running-config\n");
        String firstPage = terminal.until(" --More-- ");
        assertThat(firstPage).startsWith("show running-config\r\nBuilding configuration...\r\n");
        assertThat(lineCount(firstPage)).isEqualTo(1 + 24);

        terminal.send("\r");
        String oneLine = terminal.until(" --More-- ");
        assertThat(oneLine).startsWith(ERASE);
        assertThat(lineCount(oneLine)).isEqualTo(1);

        terminal.send(" ");
        String nextPage = terminal.until(" --More-- ");
        assertThat(nextPage).startsWith(ERASE);
        assertThat(lineCount(nextPage)).isEqualTo(24);

        terminal.send("q");
        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo(ERASE + "LAB-SW1#");
    }

    @Test
    void pagingLockedRefusesTerminalLengthZeroAndKeepsPaging() throws IOException {
        SimulatorTerminal terminal = open(spec(longBody()).withPagingLocked(true));
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("terminal length 0\n");
        assertThat(terminal.untilPrompt("LAB-SW1#"))
                .isEqualTo("terminal length 0\r\nCommand authorization failed.\r\nLAB-SW1#");

        terminal.send("show running-config\n");
        terminal.until(" --More-- ");
    }

    @Test
    void enableWithTheRightSecretReachesPrivilegeFifteenWithoutEchoingIt() throws IOException {
        CliSimulator simulator = start(spec().withSecret(SECRET));
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("LAB-SW1>");
        terminal.send("show privilege\n");
        assertThat(terminal.untilPrompt("LAB-SW1>")).contains("Current privilege level is 1\r\n");

        terminal.send("enable\n");
        assertThat(terminal.until("Password: ")).isEqualTo("enable\r\nPassword: ");
        terminal.send(SECRET + "\r\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo("\r\nLAB-SW1#");

        terminal.send("show privilege\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo("show privilege\r\nCurrent privilege level is 15\r\nLAB-SW1#");
        assertThat(terminal.transcript()).doesNotContain(SECRET);
        assertThat(simulator.commandsReceived()).containsExactly("show privilege", "enable", "show privilege");
    }

    @Test
    void enableWithWrongSecretsEndsInBadSecretsAfterThreeTries() throws IOException {
        SimulatorTerminal terminal = open(spec().withSecret(SECRET));
        terminal.untilPrompt("LAB-SW1>");

        terminal.send("enable\n");
        terminal.until("Password: ");
        terminal.send("guess-1\n");
        terminal.until("Password: ");
        terminal.send("guess-2\n");
        terminal.until("Password: ");
        terminal.send("guess-3\n");

        assertThat(terminal.untilPrompt("LAB-SW1>")).isEqualTo("\r\n% Bad secrets\r\n\r\nLAB-SW1>");
        assertThat(terminal.transcript()).doesNotContain("guess");
    }

    @Test
    void passwordlessEnableLandsAtUserLevelAndEnablesWithoutAPasswordPrompt() throws IOException {
        CliSimulator simulator = start(spec().withPasswordlessEnable());
        SimulatorTerminal terminal = open(simulator);
        assertThat(terminal.untilPrompt("LAB-SW1>")).isEqualTo("\r\nLAB-SW1>");

        terminal.send("enable\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo("enable\r\nLAB-SW1#");

        terminal.send("show privilege\n");
        assertThat(terminal.untilPrompt("LAB-SW1#"))
                .isEqualTo("show privilege\r\nCurrent privilege level is 15\r\nLAB-SW1#");
        assertThat(terminal.transcript()).doesNotContain("Password");
        assertThat(simulator.commandsReceived()).containsExactly("enable", "show privilege");
    }

    @Test
    void passwordlessEnableAndAnEnableSecretDoNotGoTogether() {
        CliDeviceSpec withSecret = CliDeviceSpec.of("ios", "LAB-SW1", USER, PASSWORD, SECRET, BODY);

        assertThatThrownBy(() -> withSecret.withPasswordlessEnable(true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void showRunningConfigIsInvalidInputAtUserLevel() throws IOException {
        SimulatorTerminal terminal = open(spec().withSecret(SECRET));
        terminal.untilPrompt("LAB-SW1>");

        terminal.send("show running-config\n");

        assertThat(terminal.untilPrompt("LAB-SW1>")).isEqualTo("show running-config\r\n"
                + " ".repeat("LAB-SW1>show ".length()) + "^\r\n"
                + "% Invalid input detected at '^' marker.\r\n\r\nLAB-SW1>");
    }

    @Test
    void unknownCommandGetsCaretUnderTheFirstBadCharacter() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("show versoin\n");

        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo("show versoin\r\n"
                + " ".repeat("LAB-SW1#show vers".length()) + "^\r\n"
                + "% Invalid input detected at '^' marker.\r\n\r\nLAB-SW1#");
    }

    @Test
    void showVersionHasAnUptimeLine() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("terminal length 0\nshow version\n");

        assertThat(terminal.untilPrompt("0x102\r\n\r\nLAB-SW1#"))
                .containsPattern("\r\nLAB-SW1 uptime is 3 weeks, 2 days, 4 hours, \\d+ minutes\r\n");
    }

    @Test
    void wrongSshPasswordIsRejectedAtAuthentication() throws IOException {
        CliSimulator simulator = start(spec());
        try (ClientSession session = client.connect(simulator, USER)) {
            session.addPasswordIdentity("not-" + PASSWORD);

            assertThatThrownBy(() -> session.auth().verify(TIMEOUT)).isInstanceOf(SshException.class);
        }
        assertThat(simulator.sessionsOpened()).isZero();
    }

    @Test
    void bareCarriageReturnEndsALineAndCrLfCountsAsOne() throws IOException {
        CliSimulator simulator = start(spec());
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("terminal length 0\rshow privilege\r");
        terminal.untilPrompt("Current privilege level is 15\r\nLAB-SW1#");
        terminal.send("show privilege\r\n");
        assertThat(terminal.untilPrompt("LAB-SW1#"))
                .isEqualTo("show privilege\r\nCurrent privilege level is 15\r\nLAB-SW1#");
        terminal.send("\n");

        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo("\r\nLAB-SW1#");
        assertThat(simulator.commandsReceived())
                .containsExactly("terminal length 0", "show privilege", "show privilege", "");
        assertThat(simulator.sessionsOpened()).isEqualTo(1);
    }

    @Test
    void exitClosesTheChannelWithStatusZero() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("exit\n");

        assertThat(terminal.awaitClosed()).isZero();
        assertThat(terminal.transcript()).endsWith("LAB-SW1#exit\r\n");
    }

    @Test
    void execChannelRunsOneCommandWithoutEchoPromptOrPager() throws IOException {
        CliSimulator simulator = start(spec(longBody()));
        try (ClientSession session = client.login(simulator, USER, PASSWORD);
                ChannelExec exec = session.createExecChannel("show running-config")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            exec.setOut(out);
            exec.open().verify(TIMEOUT);
            exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);

            String output = out.toString(StandardCharsets.UTF_8);
            assertThat(output).startsWith("Building configuration...\r\n").endsWith("end\r\n\r\n")
                    .doesNotContain("--More--");
            assertThat(exec.getExitStatus()).isZero();
        }
    }

    @Test
    void hangingDeviceSendsNothingAfterBuildingConfiguration() throws IOException {
        CliSimulator simulator = start(spec().withHostname("LAB-HANG").withHangOnBuild(true));
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("LAB-HANG#");

        terminal.send("show running-config\n");
        assertThat(terminal.until("Building configuration...\r\n"))
                .isEqualTo("show running-config\r\nBuilding configuration...\r\n");

        int length = terminal.transcript().length();
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> terminal.transcript().length() == length);
        simulator.close();
        await().atMost(TIMEOUT).until(() -> liveThreads("sim-LAB-HANG-").isEmpty());
    }

    @Test
    void closeReleasesThePortAndTheSessionThreads() throws IOException {
        CliSimulator simulator = start(spec().withHostname("LAB-CLOSE"));
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("LAB-CLOSE#");
        int port = simulator.port();

        simulator.close();

        await().atMost(TIMEOUT).until(() -> !terminal.isOpen());
        await().atMost(TIMEOUT).until(() -> liveThreads("sim-LAB-CLOSE-").isEmpty());
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void labHostKeyIsStoredOnceAndReusedAcrossRuns() throws IOException {
        Path file = client.hostKeyFile();

        KeyPair again = LabHostKeys.loadOrCreate(file);

        assertThat(again.getPublic()).isEqualTo(client.hostKey().getPublic());
        assertThat(Files.readString(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    }

    // --- fixtures ---

    private static SpecBuilder spec() {
        return new SpecBuilder(BODY);
    }

    private static SpecBuilder spec(String body) {
        return new SpecBuilder(body);
    }

    /** Keeps the tests short: a quick build delay, and only the knobs a test turns. */
    private record SpecBuilder(CliDeviceSpec spec) {

        SpecBuilder(String body) {
            this(CliDeviceSpec.of("ios", "LAB-SW1", USER, PASSWORD, null, body).withBuildDelay(Duration.ofMillis(20)));
        }

        SpecBuilder withBanner(String banner) {
            return new SpecBuilder(spec.withBanner(banner));
        }

        SpecBuilder withPagingLocked(boolean locked) {
            return new SpecBuilder(spec.withPagingLocked(locked));
        }

        SpecBuilder withHangOnBuild(boolean hang) {
            return new SpecBuilder(spec.withHangOnBuild(hang));
        }

        SpecBuilder withSecret(String secret) {
            return new SpecBuilder(spec.withEnableSecret(secret));
        }

        SpecBuilder withPasswordlessEnable() {
            return new SpecBuilder(spec.withPasswordlessEnable(true));
        }

        SpecBuilder withHostname(String hostname) {
            return new SpecBuilder(spec.withHostname(hostname));
        }
    }

    private static String longBody() {
        StringBuilder body = new StringBuilder("version 17.9\n!\nhostname LAB-SW1\n!\n");
        for (int port = 1; port <= 24; port++) {
            body.append("interface GigabitEthernet1/0/").append(port).append("\n switchport mode access\n!\n");
        }
        return body.append("end").toString();
    }

    private CliSimulator start(SpecBuilder spec) throws IOException {
        return client.track(CliSimulator.start(spec.spec(), client.hostKey()));
    }

    private SimulatorTerminal open(SpecBuilder spec) throws IOException {
        return open(start(spec));
    }

    private SimulatorTerminal open(CliSimulator simulator) throws IOException {
        return client.shell(simulator, USER, PASSWORD);
    }

    private static final Pattern VOLATILE = Pattern.compile(
            "^(Current configuration : |! Last configuration change at |! NVRAM config last updated at |ntp clock-period ).*$",
            Pattern.MULTILINE);

    /** Each command's output up to the next prompt, in a privileged session after {@code terminal length 0}. */
    private List<String> unpaged(String... commands) throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt("LAB-SW1#");
        terminal.send("terminal length 0\n");
        terminal.untilPrompt("LAB-SW1#");
        List<String> outputs = new ArrayList<>();
        for (String command : commands) {
            terminal.send(command + "\n");
            outputs.add(terminal.untilPrompt("LAB-SW1#"));
        }
        return outputs;
    }

    private static String withoutVolatileLines(String text) {
        return VOLATILE.matcher(text.replace("\r\n", "\n")).replaceAll("<volatile>");
    }

    private static List<String> volatileLines(String text) {
        return VOLATILE.matcher(text.replace("\r\n", "\n")).results().map(MatchResult::group).toList();
    }

    private static int lineCount(String text) {
        return text.split("\r\n", -1).length - 1;
    }

    private static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).collect(Collectors.toList());
    }
}
