package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.netsnap.lab.AsaContexts.Context;

/**
 * Drives the ASA simulator with a raw MINA client over a PTY shell, the way a CLI client does, and checks the bytes
 * on the wire: prompts with their leading {@code \r} and trailing space, echo, asterisks, pager and wipe, errors, the
 * configuration files of single and multiple context mode. The client pins the simulator's host key.
 */
class AsaSimulatorTests {

    private static final String USER = "netsnap";
    private static final String PASSWORD = "lab-password";
    private static final String SECRET = "lab-enable-secret";
    private static final String SINGLE_BODY = LabConfigs.asaSingle("fw1", 7);
    private static final List<String> CONTEXTS = List.of("admin", "ctx1", "ctx2");
    private static final Pattern WRITTEN_BY = Pattern.compile(
            ": Written by enable_15 at \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC \\w{3} \\w{3} \\d{1,2} \\d{4}\r\n");
    private static final Pattern CHECKSUM = Pattern.compile("Cryptochecksum:([0-9a-f]{32})\r\n");
    /** What wipes the pager, as the profile draws it. */
    private static final String MORE = SimulatorProfile.of("asa").paging().more();
    private static final String ERASE = Pager.Style.overwritten(MORE).erase(MORE);

    @RegisterExtension
    static final SimulatorClient client = new SimulatorClient();

    // --- login, echo, prompts ---

    @Test
    void greetsWithTheLoginLinesThenAPromptWithLeadingCrAndTrailingSpace() throws IOException {
        CliSimulator simulator = start(single());

        String greeting = open(simulator).untilPrompt("\rfw1> ");

        assertThat(greeting).matches("User netsnap logged in to fw1\r\n"
                + "Logins over the last 91 days: 21\\.  Last login: \\d\\d:\\d\\d:\\d\\d UTC \\w{3} \\d{1,2} \\d{4}"
                + " from 192\\.0\\.2\\.25\r\n"
                + "Failed logins since the last login: 0\\. \r\n"
                + "Type help or '\\?' for a list of available commands\\.\r\n"
                + "\rfw1> ");
        assertThat(open(simulator).untilPrompt("\rfw1> "))
                .contains("Logins over the last 91 days: 22.  Last login: ").contains(" from 127.0.0.1\r\n");
        assertThat(simulator.sessionsOpened()).isEqualTo(2);
    }

    @Test
    void motdBannerComesBeforeTheLoginLines() throws IOException {
        SimulatorTerminal terminal = open(single().withBanner("Authorized access only\nDisconnect now otherwise"));

        assertThat(terminal.untilPrompt("\rfw1> "))
                .startsWith("Authorized access only\r\nDisconnect now otherwise\r\nUser netsnap logged in to fw1\r\n");
    }

    @Test
    void echoesTheCommandWithCrLfAndShowsTheContextMode() throws IOException {
        CliSimulator simulator = start(single());
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("\rfw1> ");

        terminal.send("show mode\n");

        assertThat(terminal.untilPrompt("\rfw1> "))
                .isEqualTo("show mode\r\nSecurity context mode: single \r\n\rfw1> ");
        assertThat(simulator.commandsReceived()).containsExactly("show mode");
    }

    // --- enable ---

    @Test
    void enableEchoesOneAsteriskPerCharacterAndReachesLevelFifteen() throws IOException {
        CliSimulator simulator = start(single());
        SimulatorTerminal terminal = open(simulator);
        terminal.untilPrompt("\rfw1> ");
        terminal.send("show curpriv\n");
        assertThat(terminal.untilPrompt("\rfw1> ")).isEqualTo("show curpriv\r\nUsername : netsnap\r\n"
                + "Current privilege level : 1\r\nCurrent Mode/s : P_UNPR\r\n\rfw1> ");

        terminal.send("enable\n");
        assertThat(terminal.until("Password: ")).isEqualTo("enable\r\nPassword: ");
        terminal.send(SECRET + "\r");
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("*".repeat(SECRET.length()) + "\r\n\rfw1# ");

        terminal.send("show curpriv\n");
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("show curpriv\r\nUsername : enable_15\r\n"
                + "Current privilege level : 15\r\nCurrent Mode/s : P_PRIV\r\n\rfw1# ");
        assertThat(terminal.transcript()).doesNotContain(SECRET);
        assertThat(simulator.commandsReceived()).containsExactly("show curpriv", "enable", "show curpriv");
    }

    @Test
    void wrongEnablePasswordsAreRefusedAndTheThirdEndsInAccessDenied() throws IOException {
        SimulatorTerminal terminal = open(single());
        terminal.untilPrompt("\rfw1> ");
        terminal.send("enable\n");
        terminal.until("Password: ");

        terminal.send("guess-1\n");
        assertThat(terminal.until("Password: ")).isEqualTo("*******\r\nInvalid password\r\nPassword: ");
        terminal.send("guess-2\r\n");
        assertThat(terminal.until("Password: ")).isEqualTo("*******\r\nInvalid password\r\nPassword: ");
        terminal.send("guess-3\n");

        assertThat(terminal.untilPrompt("\rfw1> ")).isEqualTo("*******\r\nAccess denied.\r\n\rfw1> ");
        assertThat(terminal.transcript()).doesNotContain("guess");
    }

    @Test
    void aWrongEnablePasswordCanBeFollowedByTheRightOne() throws IOException {
        SimulatorTerminal terminal = open(single());
        terminal.untilPrompt("\rfw1> ");
        terminal.send("en\n");
        terminal.until("Password: ");
        terminal.send("nope\n");
        terminal.until("Invalid password\r\nPassword: ");

        terminal.send(SECRET + "\n");

        assertThat(terminal.untilPrompt("\rfw1# ")).endsWith("\r\n\rfw1# ");
    }

    @Test
    void blankEnablePasswordTakesAnEmptyLine() throws IOException {
        SimulatorTerminal terminal = open(single().withEnableSecret(""));
        terminal.untilPrompt("\rfw1> ");
        terminal.send("enable\n");
        terminal.until("Password: ");

        terminal.send("\n");

        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("\r\n\rfw1# ");
    }

    @Test
    void autoEnableLandsPrivilegedWhereEnableIsAnInvalidCommand() throws IOException {
        // AAA auto-enable: no enable secret, the user lands at #
        SimulatorTerminal terminal = open(single().withEnableSecret(null));
        assertThat(terminal.untilPrompt("\rfw1# ")).endsWith("commands.\r\n\rfw1# ");

        terminal.send("enable\n");

        // The caret stands under the n: "exit" shares the e.
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("enable\r\n"
                + " ".repeat("fw1# e".length()) + "^\r\n"
                + "ERROR: % Invalid input detected at '^' marker.\r\n\rfw1# ");
        terminal.send("show curpriv\n");
        assertThat(terminal.untilPrompt("\rfw1# ")).contains("Username : netsnap\r\n")
                .contains("Current privilege level : 15\r\n");
    }

    // --- errors ---

    @Test
    void unknownKeywordGetsTheCaretAfterWhatParsedAndAnError() throws IOException {
        SimulatorTerminal terminal = enabledSingle();

        terminal.send("show runx\n");

        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("show runx\r\n"
                + " ".repeat("fw1# show run".length()) + "^\r\n"
                + "ERROR: % Invalid input detected at '^' marker.\r\n\rfw1# ");
    }

    @Test
    void showRunningConfigIsInvalidInputUnprivileged() throws IOException {
        SimulatorTerminal terminal = open(single());
        terminal.untilPrompt("\rfw1> ");

        terminal.send("show running-config\n");

        assertThat(terminal.untilPrompt("\rfw1> ")).isEqualTo("show running-config\r\n"
                + " ".repeat("fw1> show ".length()) + "^\r\n"
                + "ERROR: % Invalid input detected at '^' marker.\r\n\rfw1> ");
    }

    @Test
    void aCommandCutShortIsIncomplete() throws IOException {
        SimulatorTerminal terminal = enabledSingle();

        terminal.send("show\n");

        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("show\r\nERROR: % Incomplete command\r\n\rfw1# ");
    }

    @Test
    void changetoDoesNotExistInSingleMode() throws IOException {
        SimulatorTerminal terminal = enabledSingle();

        terminal.send("changeto system\n");

        assertThat(terminal.untilPrompt("\rfw1# ")).contains("\r\nERROR: % Invalid input detected at '^' marker.");
    }

    // --- pager ---

    @Test
    void pagesAfterTwentyFourLinesAndWipesThePagerAfterEachKey() throws IOException {
        SimulatorTerminal terminal = enabledSingle();

        terminal.send("show running-config\n");
        String firstPage = terminal.until("<--- More --->");
        assertThat(firstPage).startsWith("show running-config\r\n: Saved\r\n").endsWith("\r\n<--- More --->");
        assertThat(lineCount(firstPage)).isEqualTo(1 + 24);

        terminal.send(" ");
        String nextPage = terminal.until("<--- More --->");
        assertThat(nextPage).startsWith("\r              \r");
        assertThat(lineCount(nextPage)).isEqualTo(24);

        terminal.send("\r");
        String oneLine = terminal.until("<--- More --->");
        assertThat(oneLine).startsWith(ERASE);
        assertThat(lineCount(oneLine)).isEqualTo(1);

        terminal.send("q");
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo(ERASE + "\rfw1# ");
    }

    @Test
    void terminalPagerZeroTurnsPagingOffForThisSessionOnly() throws IOException {
        CliSimulator simulator = start(single());
        SimulatorTerminal terminal = enable(open(simulator), "fw1");

        terminal.send("terminal pager 0\n");
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("terminal pager 0\r\n\rfw1# ");
        terminal.send("show running-config\n");
        assertThat(terminal.untilPrompt(": end\r\n\r\n\rfw1# ")).doesNotContain("More");

        SimulatorTerminal next = enable(open(simulator), "fw1");
        next.send("show running-config\n");
        next.until("<--- More --->");
    }

    @Test
    void pagingLockedAnswersCommandAuthorizationFailedAndKeepsPaging() throws IOException {
        SimulatorTerminal terminal = enable(open(single().withPagingLocked(true)), "fw1");

        terminal.send("terminal pager 0\n");
        assertThat(terminal.untilPrompt("\rfw1# "))
                .isEqualTo("terminal pager 0\r\nCommand authorization failed\r\n\rfw1# ");

        terminal.send("show running-config\n");
        terminal.until("<--- More --->");
    }

    // --- single-mode configuration ---

    @Test
    void showRunningConfigHasTheVolatileHeaderTheBodyAndTheChecksum() throws IOException {
        SimulatorTerminal terminal = unpagedSingle();

        terminal.send("show running-config\n");
        String output = terminal.untilPrompt("\rfw1# ");

        Matcher header = Pattern.compile("show running-config\r\n"
                + ": Saved\r\n"
                + "\r\n"
                + ": \r\n"
                + ": Serial Number: FCH17LAB512\r\n"
                + ": Hardware:   ASA5512, 4096 MB RAM, CPU Clarkdale 2800 MHz, 1 CPU \\(2 cores\\)\r\n"
                + WRITTEN_BY.pattern()
                + "!\r\n"
                + "ASA Version 9\\.12\\(4\\)67 \r\n"
                + "!\r\n"
                + "hostname fw1\r\n").matcher(output);
        assertThat(header.lookingAt()).as(output).isTrue();
        assertThat(output).endsWith("\r\nCryptochecksum:" + md5(SINGLE_BODY) + "\r\n: end\r\n\r\n\rfw1# ")
                .contains(" ip address 198.51.100.9 255.255.255.0 \r\n");
    }

    @Test
    void successiveFetchesDifferOnlyInTheWrittenByLine() throws IOException {
        SimulatorTerminal terminal = unpagedSingle();

        terminal.send("show running-config\n");
        String first = terminal.untilPrompt("\rfw1# ");
        terminal.send("show running-config\n");
        String second = terminal.untilPrompt("\rfw1# ");

        assertThat(writtenBy(second)).isNotEqualTo(writtenBy(first));
        assertThat(WRITTEN_BY.matcher(second).replaceAll(""))
                .isEqualTo(WRITTEN_BY.matcher(first).replaceAll(""));
    }

    @Test
    void showRunningConfigMasksSecretsThatMoreSystemRunningConfigShows() throws IOException {
        SimulatorTerminal terminal = unpagedSingle();

        terminal.send("show running-config\n");
        String masked = terminal.untilPrompt("\rfw1# ");
        terminal.send("more system:running-config\n");
        String clear = terminal.untilPrompt("\rfw1# ");

        assertThat(masked)
                .contains("\r\nenable password ***** pbkdf2\r\n")
                .contains("\r\npasswd ***** encrypted\r\n")
                .contains("\r\nusername admin password ***** pbkdf2 privilege 15\r\n")
                .contains("\r\n ikev1 pre-shared-key *****\r\n")
                .contains("\r\n key *****\r\n")
                .contains("\r\n ldap-login-password *****\r\n")
                .doesNotContain("$sha512$", "Lab-Psk-7-HQ", "T4cacs-Lab-7", "Ld4p-Bind-7", "9jNfZuG3TC5tCVH0");
        assertThat(clear)
                .startsWith("more system:running-config\r\n: Saved\r\n")
                .contains("\r\n ikev1 pre-shared-key Lab-Psk-7-HQ\r\n")
                .contains("\r\n key T4cacs-Lab-7\r\n")
                .contains("\r\npasswd 9jNfZuG3TC5tCVH0 encrypted\r\n")
                .contains("\r\nusername admin password $sha512$")
                .doesNotContain("*****");
        assertThat(checksum(masked)).isEqualTo(checksum(clear)).isEqualTo(md5(SINGLE_BODY));
    }

    @Test
    void updatedBodyIsServedWithANewChecksum() throws IOException {
        CliSimulator simulator = start(single());
        String changed = SINGLE_BODY.replace("logging buffered informational", "logging buffered debugging");
        simulator.updateConfigBody(changed);
        SimulatorTerminal terminal = enable(open(simulator), "fw1");
        terminal.send("terminal pager 0\nmore system:running-config\n");

        String output = terminal.untilPrompt(": end\r\n\r\n\rfw1# ");

        assertThat(output).contains("\r\nlogging buffered debugging\r\n");
        assertThat(checksum(output)).isEqualTo(md5(changed)).isNotEqualTo(md5(SINGLE_BODY));
    }

    @Test
    void moreOfAnUnknownFileIsAnError() throws IOException {
        SimulatorTerminal terminal = enabledSingle();

        terminal.send("more disk0:/nothing.cfg\n");

        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("more disk0:/nothing.cfg\r\n"
                + "%Error opening disk0:/nothing.cfg (No such file or directory)\r\n\rfw1# ");
    }

    @Test
    void netmikoSessionPreparationIsAccepted() throws IOException {
        SimulatorTerminal terminal = open(single());
        terminal.untilPrompt("\rfw1> ");
        terminal.send("show curpriv\n");
        terminal.untilPrompt("\rfw1> ");
        enableAt(terminal, "fw1");

        terminal.send("terminal pager lines 0\n");
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("terminal pager lines 0\r\n\rfw1# ");
        terminal.send("configure terminal\n");
        assertThat(terminal.untilPrompt("\rfw1(config)# ")).isEqualTo("configure terminal\r\n\rfw1(config)# ");
        terminal.send("terminal width 511\n");
        assertThat(terminal.untilPrompt("\rfw1(config)# ")).isEqualTo("terminal width 511\r\n\rfw1(config)# ");
        terminal.send("show curpriv\n");
        assertThat(terminal.untilPrompt("\rfw1(config)# ")).contains("Current Mode/s : P_CONF\r\n");
        terminal.send("end\n");
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("end\r\n\rfw1# ");
    }

    // --- multiple context mode ---

    @Test
    void multipleModeLogsIntoTheSystemSpaceAndSaysSo() throws IOException {
        SimulatorTerminal terminal = open(multiple());
        terminal.untilPrompt("\rasa> ");

        terminal.send("show mode\n");

        assertThat(terminal.untilPrompt("\rasa> ")).isEqualTo("show mode\r\nSecurity context mode: multiple \r\n\rasa> ");
    }

    @Test
    void showContextInTheSystemSpacePrintsTheWholeTable() throws IOException {
        SimulatorTerminal terminal = enable(open(multiple()), "asa");

        terminal.send("show context\n");

        assertThat(terminal.untilPrompt("\rasa# ")).isEqualTo("show context\r\n" + crlf("""
                Context Name      Class                Interfaces           Mode         URL
                *admin            default              Management0/0,       Routed       disk0:/admin.cfg
                                                       GigabitEthernet0/0,
                                                       GigabitEthernet0/1
                 ctx1             gold                 GigabitEthernet0/2,  Routed       disk0:/ctx1.cfg
                                                       GigabitEthernet0/3
                 ctx2             default              GigabitEthernet0/4,  Routed       disk0:/ctx2.cfg
                                                       GigabitEthernet0/5
                Total active Security Contexts: 3
                """) + "\rasa# ");
    }

    @Test
    void changetoMovesBetweenContextsAndTheSystemSpace() throws IOException {
        CliSimulator simulator = start(multiple());
        SimulatorTerminal terminal = enable(open(simulator), "asa");

        terminal.send("changeto context ctx1\n");
        assertThat(terminal.untilPrompt("\rasa/ctx1# ")).isEqualTo("changeto context ctx1\r\n\rasa/ctx1# ");
        terminal.send("show context\n");
        assertThat(terminal.untilPrompt("\rasa/ctx1# ")).isEqualTo("show context\r\n" + crlf("""
                Context Name      Class                Interfaces           Mode         URL
                 ctx1             gold                 GigabitEthernet0/2,  Routed       disk0:/ctx1.cfg
                                                       GigabitEthernet0/3
                """) + "\rasa/ctx1# ");
        terminal.send("show mode\n");
        assertThat(terminal.untilPrompt("\rasa/ctx1# ")).contains("Security context mode: multiple \r\n");
        terminal.send("changeto cont admin\n");
        terminal.untilPrompt("\rasa/admin# ");
        terminal.send("changeto system\n");

        assertThat(terminal.untilPrompt("\rasa# ")).isEqualTo("changeto system\r\n\rasa# ");
        assertThat(simulator.commandsReceived()).contains("changeto context ctx1", "changeto cont admin");
    }

    @Test
    void changetoAnUnknownContextIsAnErrorAndStaysPut() throws IOException {
        SimulatorTerminal terminal = enable(open(multiple()), "asa");

        terminal.send("changeto context nope\n");

        assertThat(terminal.untilPrompt("\rasa# ")).isEqualTo("changeto context nope\r\nERROR: 'nope' is not valid\r\n\rasa# ");
    }

    @Test
    void systemRunningConfigDeclaresEveryContext() throws IOException {
        SimulatorTerminal terminal = unpagedMultiple();

        terminal.send("show running-config\n");
        String output = terminal.untilPrompt("\rasa# ");

        Matcher header = Pattern.compile("show running-config\r\n: Saved\r\n\r\n: \r\n"
                + ": Serial Number: FCH18LAB555\r\n"
                + ": Hardware:   ASA5555, 16384 MB RAM, CPU Lynnfield 2800 MHz, 1 CPU \\(8 cores\\)\r\n"
                + WRITTEN_BY.pattern()
                + "!\r\nASA Version 9\\.16\\(4\\) <system>\r\n!\r\nhostname asa\r\n").matcher(output);
        assertThat(header.lookingAt()).as(output).isTrue();
        assertThat(output)
                .contains("\r\nclass default\r\n")
                .contains("\r\nadmin-context admin\r\ncontext admin\r\n  allocate-interface Management0/0\r\n")
                .contains("\r\ncontext ctx1\r\n  description Tenant ctx1\r\n  member gold\r\n"
                        + "  allocate-interface GigabitEthernet0/2\r\n  allocate-interface GigabitEthernet0/3\r\n"
                        + "  config-url disk0:/ctx1.cfg\r\n!\r\n")
                .contains("\r\n  config-url disk0:/ctx2.cfg\r\n")
                .contains("\r\nfailover key *****\r\n")
                .endsWith("\r\nCryptochecksum:" + md5(systemBody()) + "\r\n: end\r\n\r\n\rasa# ");
    }

    @Test
    void contextRunningConfigIsTheContextsOwnWithSecretsMasked() throws IOException {
        SimulatorTerminal terminal = unpagedMultiple();
        terminal.send("changeto context ctx1\n");
        terminal.untilPrompt("\rasa/ctx1# ");

        terminal.send("show running-config\n");
        String masked = terminal.untilPrompt("\rasa/ctx1# ");
        terminal.send("more system:running-config\n");
        String clear = terminal.untilPrompt("\rasa/ctx1# ");

        Matcher header = Pattern.compile("show running-config\r\n: Saved\r\n\r\n: \r\n"
                + ": Hardware:   ASA5555, 16384 MB RAM, CPU Lynnfield 2800 MHz, 1 CPU \\(8 cores\\)\r\n"
                + WRITTEN_BY.pattern()
                + "!\r\nASA Version 9\\.16\\(4\\) <context>\r\n!\r\nhostname ctx1\r\n").matcher(masked);
        assertThat(header.lookingAt()).as(masked).isTrue();
        assertThat(masked)
                .contains("\r\ninterface GigabitEthernet0/2\r\n nameif outside\r\n")
                .contains("\r\naccess-list OUTSIDE-IN extended permit tcp any object WEB-SERVER eq https\r\n")
                .contains("\r\nusername admin password ***** pbkdf2 privilege 15\r\n")
                .contains("\r\n ikev1 pre-shared-key *****\r\n")
                .contains("\r\n key *****\r\n")
                .doesNotContain("Serial Number", "Lab-Psk-1-HQ")
                .endsWith("\r\nCryptochecksum:" + md5(LabConfigs.asaContext("ctx1", 1)) + "\r\n: end\r\n\r\n\rasa/ctx1# ");
        assertThat(clear).contains("\r\n ikev1 pre-shared-key Lab-Psk-1-HQ\r\n").contains("\r\n key T4cacs-Lab-1\r\n");
    }

    @Test
    void moreOfAContextsConfigUrlShowsItsFileFromTheSystemSpace() throws IOException {
        SimulatorTerminal terminal = unpagedMultiple();

        terminal.send("more disk0:/ctx2.cfg\n");

        assertThat(terminal.untilPrompt("\rasa# "))
                .contains("\r\nASA Version 9.16(4) <context>\r\n!\r\nhostname ctx2\r\n")
                .contains("\r\n ikev1 pre-shared-key Lab-Psk-2-HQ\r\n");
    }

    @Test
    void checksumMovesOnlyForTheContextWhoseBodyChanged() throws IOException {
        CliSimulator simulator = start(multiple());
        SimulatorTerminal terminal = unpaged(enable(open(simulator), "asa"), "asa");
        String before1 = checksum(fetchContext(terminal, "ctx1"));
        String before2 = checksum(fetchContext(terminal, "ctx2"));
        String beforeSystem = checksum(fetchContext(terminal, null));

        String changed = LabConfigs.asaContext("ctx1", 1) + "\naccess-list OUTSIDE-IN extended deny ip any any";
        simulator.updateConfigBody("ctx1", changed);

        String after1 = fetchContext(terminal, "ctx1");
        assertThat(after1).contains("\r\naccess-list OUTSIDE-IN extended deny ip any any\r\nCryptochecksum:");
        assertThat(checksum(after1)).isNotEqualTo(before1).isEqualTo(md5(changed));
        assertThat(checksum(fetchContext(terminal, "ctx2"))).isEqualTo(before2);
        assertThat(checksum(fetchContext(terminal, null))).isEqualTo(beforeSystem);
    }

    @Test
    void theSystemBodyMustKeepDeclaringTheContextsThatExist() {
        CliSimulator simulator = start(multiple());

        assertThatThrownBy(() -> simulator.updateConfigBody(LabConfigs.asaSystem("asa", List.of("admin", "ctx1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ctx2");
        assertThatThrownBy(() -> simulator.updateConfigBody("ctx9", "!\nhostname ctx9"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adminContextUsersLandInTheAdminContext() throws IOException {
        SimulatorTerminal terminal = open(multiple(true));
        terminal.untilPrompt("\rasa/admin> ");
        enableAt(terminal, "asa/admin");

        terminal.send("changeto system\n");

        assertThat(terminal.untilPrompt("\rasa# ")).isEqualTo("changeto system\r\n\rasa# ");
    }

    // --- sessions ---

    @Test
    void exitSaysLogoffAndClosesTheChannel() throws IOException {
        SimulatorTerminal terminal = open(single());
        terminal.untilPrompt("\rfw1> ");

        terminal.send("exit\n");

        assertThat(terminal.awaitClosed()).isZero();
        assertThat(terminal.transcript()).endsWith("\rfw1> exit\r\n\r\nLogoff\r\n\r\n");
    }

    @Test
    void configModeExitReturnsToExecAndLogoutEndsTheSession() throws IOException {
        SimulatorTerminal terminal = enabledSingle();
        terminal.send("conf t\nexit\n");
        assertThat(terminal.untilPrompt("\rfw1# ")).isEqualTo("conf t\r\n\rfw1(config)# exit\r\n\rfw1# ");

        terminal.send("logout\n");

        terminal.awaitClosed();
        assertThat(terminal.transcript()).endsWith("logout\r\n\r\nLogoff\r\n\r\n");
    }

    @Test
    void sessionsOneAfterTheOtherNeverCountAsConcurrent() throws IOException {
        CliSimulator simulator = start(single());
        for (int i = 0; i < 3; i++) {
            SimulatorTerminal terminal = open(simulator);
            terminal.untilPrompt("\rfw1> ");
            terminal.send("quit\n");
            terminal.awaitClosed();
        }

        assertThat(simulator.sessionsOpened()).isEqualTo(3);
        assertThat(simulator.maxConcurrentSessions()).isEqualTo(1);
    }

    @Test
    void overlappingSessionsAreCounted() throws IOException {
        CliSimulator simulator = start(single());
        open(simulator).untilPrompt("\rfw1> ");
        open(simulator).untilPrompt("\rfw1> ");

        assertThat(simulator.maxConcurrentSessions()).isEqualTo(2);
    }

    // --- fixtures ---

    private static CliDeviceSpec single() {
        return CliDeviceSpec.of("asa", "fw1", USER, PASSWORD, SECRET, SINGLE_BODY);
    }

    private static CliDeviceSpec multiple() {
        return multiple(false);
    }

    /** A multiple-context box; {@code adminLogin}: the user lands in the admin context. */
    private static CliDeviceSpec multiple(boolean adminLogin) {
        List<Context> contexts = new ArrayList<>();
        for (int i = 0; i < CONTEXTS.size(); i++) {
            contexts.add(new Context(CONTEXTS.get(i), LabConfigs.asaContext(CONTEXTS.get(i), i)));
        }
        return CliDeviceSpec.of("asa", "asa", USER, PASSWORD, SECRET, systemBody())
                .withExtension(new AsaContexts(contexts, adminLogin));
    }

    private static String systemBody() {
        return LabConfigs.asaSystem("asa", CONTEXTS);
    }

    private static CliSimulator start(CliDeviceSpec spec) {
        try {
            return client.track(CliSimulator.start(spec, client.hostKey()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SimulatorTerminal open(CliDeviceSpec spec) throws IOException {
        return open(start(spec));
    }

    private static SimulatorTerminal open(CliSimulator simulator) throws IOException {
        return client.shell(simulator, USER, PASSWORD);
    }

    /** Waits for the first unprivileged prompt {@code base>} and enables with {@link #SECRET}. */
    private static SimulatorTerminal enable(SimulatorTerminal terminal, String base) throws IOException {
        terminal.untilPrompt("\r" + base + "> ");
        return enableAt(terminal, base);
    }

    /** Enables with {@link #SECRET} at a prompt already seen. */
    private static SimulatorTerminal enableAt(SimulatorTerminal terminal, String base) throws IOException {
        terminal.send("enable\n");
        terminal.until("Password: ");
        terminal.send(SECRET + "\n");
        terminal.untilPrompt("\r" + base + "# ");
        return terminal;
    }

    private static SimulatorTerminal unpaged(SimulatorTerminal terminal, String base) throws IOException {
        terminal.send("terminal pager 0\n");
        terminal.untilPrompt("\r" + base + "# ");
        return terminal;
    }

    private static SimulatorTerminal enabledSingle() throws IOException {
        return enable(open(single()), "fw1");
    }

    private static SimulatorTerminal unpagedSingle() throws IOException {
        return unpaged(enabledSingle(), "fw1");
    }

    private static SimulatorTerminal unpagedMultiple() throws IOException {
        return unpaged(enable(open(multiple()), "asa"), "asa");
    }

    /** {@code more system:running-config} of a context, or of the system space for {@code null}; back to system. */
    private static String fetchContext(SimulatorTerminal terminal, String context) throws IOException {
        String prompt = context == null ? "\rasa# " : "\rasa/" + context + "# ";
        terminal.send(context == null ? "changeto system\n" : "changeto context " + context + "\n");
        terminal.untilPrompt(prompt);
        terminal.send("more system:running-config\n");
        return terminal.untilPrompt(prompt);
    }

    private static String writtenBy(String output) {
        Matcher matcher = WRITTEN_BY.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return matcher.group();
    }

    private static String checksum(String output) {
        Matcher matcher = CHECKSUM.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return matcher.group(1);
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String crlf(String text) {
        return text.replace("\n", "\r\n");
    }

    private static int lineCount(String text) {
        return text.split("\r\n", -1).length - 1;
    }
}
