package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives the ISE simulator with a raw MINA client over a PTY shell and checks the bytes on the wire: the resume menu,
 * the slow starts and silences, the pager and the IOS-like errors. The client pins the simulator's host key.
 */
class IseSimulatorTests {

    private static final String USER = "netsnap";
    private static final String PASSWORD = "lab-password";
    private static final String PROMPT = "ISE-1/netsnap#";
    private static final String BODY = LabConfigs.iseNode("ISE-1", 20);
    private static final String LAST_LOGIN = "Last login: \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} from ";
    private static final Duration QUICK = Duration.ofMillis(20);
    /** The pager, as the profile says. */
    private static final String MORE = SimulatorProfile.of("ise").paging().more();

    @RegisterExtension
    static final SimulatorClient client = new SimulatorClient();

    @Test
    void loginShowsLastLoginThenThePromptWithoutTrailingSpace() throws IOException {
        CliSimulator simulator = start(spec());

        assertThat(client.shell(simulator, USER, PASSWORD).untilPrompt(PROMPT))
                .matches(LAST_LOGIN + "192\\.0\\.2\\.50\r\n" + PROMPT);
        assertThat(client.shell(simulator, USER, PASSWORD).untilPrompt(PROMPT))
                .matches(LAST_LOGIN + "127\\.0\\.0\\.1\r\n" + PROMPT);
    }

    @Test
    void nothingArrivesDuringTheLoginDelay() throws IOException {
        SimulatorTerminal terminal = open(spec().withLoginDelay(Duration.ofMillis(800)));

        await().during(Duration.ofMillis(200)).atMost(SimulatorTerminal.TIMEOUT)
                .until(() -> terminal.transcript().isEmpty());
        assertThat(terminal.untilPrompt(PROMPT)).startsWith("Last login: ");
    }

    @Test
    void resumeMenuWaitsForEnterAndThenStartsANewSession() throws IOException {
        CliSimulator simulator = start(spec().withExtension(new IseResumeMenu(
                List.of("875.User-Friday_Jan_17_08:26:00_2020", "25035.User-Friday_Jan_17_08:22:48_2020"))));
        SimulatorTerminal terminal = open(simulator);

        assertThat(terminal.until("start a new one: ")).isEqualTo("""
                Following disconnected ssh sessions are available to resume.\r
                [1] 875.User-Friday_Jan_17_08:26:00_2020\r
                [2] 25035.User-Friday_Jan_17_08:22:48_2020\r
                Enter session number to resume or press <Enter> to start a new one:\s""");
        await().during(Duration.ofMillis(100)).atMost(SimulatorTerminal.TIMEOUT)
                .until(() -> terminal.pending().isEmpty());

        terminal.send("\r");

        assertThat(terminal.untilPrompt(PROMPT)).matches("\r\n" + LAST_LOGIN + "[\\d.]+\r\n" + PROMPT);
        assertThat(simulator.commandsReceived()).isEmpty();
    }

    @Test
    void resumeMenuAsksAgainAfterANonsenseAnswerAndResumesByNumber() throws IOException {
        SimulatorTerminal terminal = open(spec().withExtension(new IseResumeMenu(List.of("875.User-Friday_Jan_17_08:26:00_2020"))));
        terminal.until("start a new one: ");

        terminal.send("7\n");
        assertThat(terminal.until("start a new one: "))
                .isEqualTo("7\r\nEnter session number to resume or press <Enter> to start a new one: ");
        terminal.send("1\n");

        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("1\r\n" + PROMPT);
    }

    @Test
    void showRunningConfigGeneratesThenSendsTheBody() throws IOException {
        CliSimulator simulator = start(spec());
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt(PROMPT);
        terminal.send("terminal length 0\n");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("terminal length 0\r\n" + PROMPT);

        terminal.send("sh run\n");

        String output = terminal.untilPrompt(PROMPT);
        assertThat(output).isEqualTo("sh run\r\n\r\nGenerating configuration...\r\n"
                + BODY.replace("\n", "\r\n") + "\r\n" + PROMPT);
        assertThat(output).contains("\r\nhostname ISE-1\r\n", "\r\nservice sshd enable\r\n", "\r\nicmp echo on\r\n")
                .containsPattern("\r\nusername admin password hash \\$5\\$[./\\w]{8}\\$[./\\w]{43} role admin\r\n")
                .containsPattern("\r\n  user netsnap password hash \\p{XDigit}{40}\r\n")
                .containsPattern("\r\nsnmp-server community \\w+ ro\r\n");
        assertThat(simulator.commandsReceived()).containsExactly("terminal length 0", "sh run");
    }

    @Test
    void midOutputPauseSendsTheBodyInTwoBurstsWithSilenceBetween() throws IOException {
        SimulatorTerminal terminal = open(spec().withMidOutputPause(Duration.ofMillis(800)));
        terminal.untilPrompt(PROMPT);
        terminal.send("terminal length 0\n");
        terminal.untilPrompt(PROMPT);
        List<String> lines = List.of(BODY.split("\n"));
        int half = lines.size() / 2;

        terminal.send("show running-config\n");

        terminal.until("show running-config\r\n\r\nGenerating configuration...\r\n"
                + String.join("\r\n", lines.subList(0, half)) + "\r\n");
        await().during(Duration.ofMillis(200)).atMost(SimulatorTerminal.TIMEOUT)
                .until(() -> terminal.pending().isEmpty());
        assertThat(terminal.untilPrompt(PROMPT))
                .isEqualTo(String.join("\r\n", lines.subList(half, lines.size())) + "\r\n" + PROMPT);
    }

    @Test
    void pagesWithMoreUntilTerminalLengthZero() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt(PROMPT);

        terminal.send("show running-config\n");
        String firstPage = terminal.until(MORE);
        assertThat(firstPage).startsWith("show running-config\r\n\r\nGenerating configuration...\r\n!\r\n");
        assertThat(lineCount(firstPage)).isEqualTo(1 + 24);

        terminal.send(" ");
        String nextPage = terminal.until(MORE);
        assertThat(nextPage).startsWith("\r        \r");
        assertThat(lineCount(nextPage)).isEqualTo(24);

        terminal.send("q");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("\r        \r" + PROMPT);
    }

    @Test
    void showVersionIsTheAdeOsText() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt(PROMPT);
        terminal.send("terminal length 0\n");
        terminal.untilPrompt(PROMPT);

        terminal.send("show version\n");

        assertThat(terminal.untilPrompt(PROMPT))
                .startsWith("show version\r\nCisco Application Deployment Engine OS Release: 3.2\r\n")
                .contains("\r\nHostname: ISE-1\r\n", "\r\nCisco Identity Services Engine\r\n")
                .endsWith("\r\nInstall Date : Fri Sep 23 09:25:02 2022\r\n" + PROMPT);
    }

    @Test
    void unknownInputGetsACaretAndTheIosMessage() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt(PROMPT);

        terminal.send("show runing-config\n");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("show runing-config\r\n"
                + " ".repeat((PROMPT + "show run").length()) + "^\r\n"
                + "% Invalid input detected at '^' marker.\r\n" + PROMPT);

        // ISE has no terminal width.
        terminal.send("terminal width 511\n");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("terminal width 511\r\n"
                + " ".repeat((PROMPT + "terminal ").length()) + "^\r\n"
                + "% Invalid input detected at '^' marker.\r\n" + PROMPT);
    }

    @Test
    void exitClosesTheChannelWithStatusZero() throws IOException {
        SimulatorTerminal terminal = open(spec());
        terminal.untilPrompt(PROMPT);

        terminal.send("exit\n");

        assertThat(terminal.awaitClosed()).isZero();
        assertThat(terminal.transcript()).endsWith(PROMPT + "exit\r\n");
    }

    // --- fixtures ---

    /** A quick node: the build delay is the pause after {@code Generating configuration...}. */
    private static CliDeviceSpec spec() {
        return CliDeviceSpec.of("ise", "ISE-1", USER, PASSWORD, BODY).withLoginDelay(QUICK).withBuildDelay(QUICK);
    }

    private CliSimulator start(CliDeviceSpec spec) throws IOException {
        return client.track(CliSimulator.start(spec, client.hostKey()));
    }

    private SimulatorTerminal open(CliDeviceSpec spec) throws IOException {
        return open(start(spec));
    }

    private SimulatorTerminal open(CliSimulator simulator) throws IOException {
        return client.shell(simulator, USER, PASSWORD);
    }

    private static int lineCount(String text) {
        return text.split("\r\n", -1).length - 1;
    }
}
