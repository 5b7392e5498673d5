package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives the NX-OS simulator with a raw MINA client over a PTY shell and checks the bytes on the wire against what
 * real Nexus switches send. The client pins the simulator's host key.
 */
class NxosSimulatorTests {

    /** The pager as the profile draws it. */
    private static final String MORE = SimulatorProfile.of("nxos").paging().more();
    private static final String USER = "netsnap";
    private static final String PASSWORD = "lab-password";
    private static final String PROMPT = "\rNX-1# ";
    private static final String BODY = LabConfigs.nexusSwitch("NX-1", 7);
    private static final String SHORT_BODY = """
            version 10.4(5) Bios:version 01.11\s
            hostname NX-1
            feature lacp
            username admin password 5 $5$AAAAAAAA$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB  role network-admin

            interface mgmt0
              vrf member management
              ip address 192.0.2.10/24""";
    /** {@code Tue Sep 30 09:02:26 2025}, {@code Mon Dec  1 14:37:04 2025}. */
    private static final String DATE = "\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}";
    private static final Pattern HEADER = Pattern.compile("""
            \r
            !Command: show running-config\r
            !Running configuration last done at: (%1$s)\r
            !Time: (%1$s)\r
            \r
            """.formatted(DATE));

    @RegisterExtension
    static final SimulatorClient client = new SimulatorClient();

    @Test
    void printsTheLegalBannerThenAPromptWithLeadingCarriageReturnAndTrailingSpace() throws IOException {
        SimulatorTerminal terminal = open(spec(SHORT_BODY));

        String login = terminal.untilPrompt(PROMPT);

        assertThat(login).startsWith("\r\nCisco Nexus Operating System (NX-OS) Software\r\n"
                + "TAC support: http://www.cisco.com/tac\r\n"
                + "Copyright (C) 2002-2025, Cisco and/or its affiliates.\r\n"
                + "All rights reserved.\r\n");
        assertThat(login).endsWith(".\r\n\rNX-1# ").doesNotContain("#\r\n");
    }

    @Test
    void nexus9000EchoesTheLineEndAsCrLf() throws IOException {
        SimulatorTerminal terminal = open(spec(SHORT_BODY));
        terminal.untilPrompt(PROMPT);

        terminal.send("terminal length 0\n");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("terminal length 0\r\n\rNX-1# ");
        terminal.send("terminal width 511\r");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("terminal width 511\r\n\rNX-1# ");
    }

    @Test
    void nexus5000EchoesTheLineEndAsCrCrLf() throws IOException {
        SimulatorTerminal terminal = open(spec(SHORT_BODY).withEchoLineEnd("\r\r\n"));
        terminal.untilPrompt(PROMPT);

        terminal.send("terminal length 0\r\n");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("terminal length 0\r\r\n\rNX-1# ");
        terminal.send("\n");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("\r\r\n\rNX-1# ");
    }

    @Test
    void showRunningConfigSendsHeaderThenTheBodyVerbatimWithoutEnd() throws IOException {
        CliSimulator simulator = start(spec(BODY));
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt(PROMPT);
        terminal.send("terminal length 0\n");
        terminal.untilPrompt(PROMPT);

        terminal.send("sh run\n");
        String output = terminal.untilPrompt(PROMPT);

        assertThat(output).startsWith("sh run\r\n");
        Matcher header = HEADER.matcher(output).region("sh run\r\n".length(), output.length());
        assertThat(header.lookingAt()).as(output).isTrue();
        String body = output.substring(header.end(), output.length() - ("\r\n" + PROMPT).length());
        assertThat(body).isEqualTo(BODY.replace("\n", "\r\n") + "\r\n");
        assertThat(body).startsWith("version 10.4(5) Bios:version 01.11 \r\nhostname NX-1\r\n")
                .containsPattern("\r\nusername admin password 5 \\$5\\$[./\\w]{8}\\$[./\\w]{43}  role network-admin\r\n")
                .containsPattern("\r\nsnmp-server user admin network-admin auth md5 0x\\p{XDigit}{32} "
                        + "priv aes-128 0x\\p{XDigit}{32} localizedkey\r\n")
                .contains("\r\ntacacs-server key 7 \"")
                .doesNotContain("\r\nend\r\n");
        assertThat(simulator.commandsReceived()).containsExactly("terminal length 0", "sh run");
    }

    @Test
    void successiveFetchesDifferOnlyInTheTimeLine() throws IOException {
        SimulatorTerminal terminal = open(spec(SHORT_BODY));
        terminal.untilPrompt(PROMPT);
        terminal.send("terminal length 0\n");
        terminal.untilPrompt(PROMPT);

        terminal.send("show running-config\n");
        String first = terminal.untilPrompt(PROMPT);
        terminal.send("show running-config\n");
        String second = terminal.untilPrompt(PROMPT);

        assertThat(timeLine(second)).isNotEqualTo(timeLine(first));
        assertThat(withoutTimeLine(second)).isEqualTo(withoutTimeLine(first));
    }

    @Test
    void changingTheBodyMovesTheLastDoneLine() throws IOException {
        CliSimulator simulator = start(spec(SHORT_BODY));
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt(PROMPT);
        terminal.send("terminal length 0\nshow running-config\n");
        terminal.until("terminal length 0\r\n" + PROMPT);
        String before = terminal.untilPrompt(PROMPT);

        simulator.updateConfigBody(SHORT_BODY.replace("feature lacp", "feature lacp\nfeature lldp"));
        terminal.send("show running-config\n");
        String after = terminal.untilPrompt(PROMPT);

        assertThat(lastDoneLine(after)).isNotEqualTo(lastDoneLine(before));
        assertThat(after).contains("\r\nfeature lacp\r\nfeature lldp\r\n");
    }

    @Test
    void pagesWithReverseVideoMoreAndErasesItWithCarriageReturnAndClearLine() throws IOException {
        SimulatorTerminal terminal = open(spec(BODY));
        terminal.untilPrompt(PROMPT);

        terminal.send("show running-config\n");
        String firstPage = terminal.until(MORE);
        assertThat(MORE).isEqualTo("\u001b[7m--More--\u001b[27m");
        assertThat(firstPage).startsWith("show running-config\r\n\r\n!Command: show running-config\r\n");
        assertThat(lineCount(firstPage)).isEqualTo(1 + 24);

        terminal.send(" ");
        String nextPage = terminal.until(MORE);
        assertThat(nextPage).startsWith("\r\u001b[K");
        assertThat(lineCount(nextPage)).isEqualTo(24);

        terminal.send("\r");
        String oneLine = terminal.until(MORE);
        assertThat(oneLine).startsWith("\r\u001b[K");
        assertThat(lineCount(oneLine)).isEqualTo(1);

        terminal.send("q");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo("\r\u001b[K" + PROMPT);
    }

    @Test
    void aRoleWithoutTerminalLengthIsRefusedAndKeepsPaging() throws IOException {
        SimulatorTerminal terminal = open(spec(BODY).withPagingLocked(true));
        terminal.untilPrompt(PROMPT);

        terminal.send("terminal length 0\n");
        assertThat(terminal.untilPrompt(PROMPT))
                .isEqualTo("terminal length 0\r\n% Permission denied for the role\r\n" + PROMPT);

        terminal.send("show running-config\n");
        assertThat(lineCount(terminal.until(MORE))).isEqualTo(1 + 24);
    }

    @Test
    void errorsPutACaretUnderTheColumnAndNameTheProblem() throws IOException {
        SimulatorTerminal terminal = open(spec(SHORT_BODY));
        terminal.untilPrompt(PROMPT);

        assertCaretError(terminal, "show versoin", "show vers", "% Invalid command at '^' marker.");
        assertCaretError(terminal, "xyz", "", "% Invalid command at '^' marker.");
        assertCaretError(terminal, "show", "show", "% Incomplete command at '^' marker.");
        assertCaretError(terminal, "t", "t", "% Incomplete command at '^' marker.");
        // NX-OS prints this one without the leading "%".
        assertCaretError(terminal, "terminal width 10", "terminal width ", "Invalid range at '^' marker.");
    }

    @Test
    void showVersionHasTheBannerAndAnUptimeLine() throws IOException {
        SimulatorTerminal terminal = open(spec(SHORT_BODY));
        terminal.untilPrompt(PROMPT);
        terminal.send("terminal length 0\n");
        terminal.untilPrompt(PROMPT);

        terminal.send("show version\n");
        String output = terminal.untilPrompt(PROMPT);

        assertThat(output).startsWith("show version\r\nCisco Nexus Operating System (NX-OS) Software\r\n")
                .contains("\r\n  NXOS: version 10.4(5)\r\n", "\r\n  Device name: NX-1\r\n")
                .containsPattern("\r\nKernel uptime is 23 day\\(s\\), 4 hour\\(s\\), \\d+ minute\\(s\\), "
                        + "\\d+ second\\(s\\)\r\n");
    }

    @Test
    void exitClosesTheChannelWithStatusZero() throws IOException {
        CliSimulator simulator = start(spec(SHORT_BODY));
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt(PROMPT);

        terminal.send("exit\n");

        assertThat(terminal.awaitClosed()).isZero();
        assertThat(terminal.transcript()).endsWith(PROMPT + "exit\r\n");
        assertThat(simulator.commandsReceived()).containsExactly("exit");
        assertThat(simulator.sessionsOpened()).isEqualTo(1);
    }

    @Test
    void execChannelRunsOneCommandWithoutEchoPromptOrPager() throws IOException {
        CliSimulator simulator = start(spec(BODY));
        try (ClientSession session = client.login(simulator, USER, PASSWORD);
                ChannelExec exec = session.createExecChannel("show running-config")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            exec.setOut(out);
            exec.open().verify(SimulatorTerminal.TIMEOUT);
            exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), SimulatorTerminal.TIMEOUT);

            String output = out.toString(StandardCharsets.UTF_8);
            assertThat(HEADER.matcher(output).lookingAt()).as(output).isTrue();
            assertThat(output).endsWith("boot nxos bootflash:/nxos64-cs.10.4.5.M.bin\r\n\r\n")
                    .doesNotContain("--More--", "NX-1# ");
            assertThat(exec.getExitStatus()).isZero();
        }
    }

    // --- fixtures ---

    private static CliDeviceSpec spec(String body) {
        return CliDeviceSpec.of("nxos", "NX-1", USER, PASSWORD, body).withBuildDelay(Duration.ofMillis(20));
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

    /** Types {@code line}; expects its echo, a caret under the character after {@code beforeCaret}, the message. */
    private static void assertCaretError(SimulatorTerminal terminal, String line, String beforeCaret,
            String message) throws IOException {
        terminal.send(line + "\n");
        assertThat(terminal.untilPrompt(PROMPT)).isEqualTo(line + "\r\n"
                + " ".repeat(("NX-1# " + beforeCaret).length()) + "^\r\n" + message + "\r\n" + PROMPT);
    }

    private static String timeLine(String output) {
        return header(output).group(2);
    }

    private static String lastDoneLine(String output) {
        return header(output).group(1);
    }

    private static String withoutTimeLine(String output) {
        return output.replaceFirst("\r\n!Time: [^\r]*\r\n", "\r\n!Time: <volatile>\r\n");
    }

    private static Matcher header(String output) {
        Matcher matcher = HEADER.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return matcher;
    }

    private static int lineCount(String text) {
        return text.split("\r\n", -1).length - 1;
    }
}
