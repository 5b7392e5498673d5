package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.scp.client.ScpClientCreator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The restore commands of the IOS and NX-OS simulators, byte for byte as {@code shared/reference/restore-facts.md}
 * quotes them, driven over a raw PTY shell and SCP with a pinned host key.
 */
class RestoreSimulatorTests {

    private static final String USER = "netsnap";
    private static final String PASSWORD = "lab-password";
    private static final String IOS_BODY = """
            version 17.9
            hostname LAB-SW1
            ip scp server enable
            archive
             path flash:lab-archive
            !
            end""";
    private static final String NXOS_BODY = "version 10.4(5) Bios:version 01.11 \nhostname DC-NX-01\n"
            + "feature scp-server\n";

    @RegisterExtension
    static final SimulatorClient client = new SimulatorClient();

    @Test
    void iosCopiesTheRunningConfigurationWithItsPromptsAndVerifiesMd5() throws IOException {
        CliSimulator simulator = ios(new IosArchive());
        SimulatorTerminal terminal = client.shell(simulator, USER, PASSWORD);
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("copy running-config flash:r1.cfg\n");
        assertThat(terminal.until("? ")).isEqualTo("copy running-config flash:r1.cfg\r\n"
                + "Destination filename [r1.cfg]? ");
        terminal.send("\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).matches(
                "\\r\\n\\d+ bytes copied in 0\\.100 secs \\(\\d+ bytes/sec\\)\\r\\nLAB-SW1#");
        terminal.send("copy running-config flash:r1.cfg\n");
        terminal.until("? ");
        terminal.send("\n");
        assertThat(terminal.until("[confirm]")).isEqualTo("\r\n%Warning:There is a file already existing with this"
                + " name \r\nDo you want to over write? [confirm]");
        terminal.send("\n");
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("verify /md5 flash:r1.cfg\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).matches("verify /md5 flash:r1.cfg\\r\\n"
                + "\\.MD5 of flash:r1\\.cfg Done!\\r\\nverify /md5 \\(flash:r1\\.cfg\\) = [0-9a-f]{32}\\r\\nLAB-SW1#");
        assertThat(new String(simulator.file("flash:r1.cfg"), StandardCharsets.UTF_8)).isEqualTo("!\n" + IOS_BODY
                + "\n");
    }

    @Test
    void iosReplaceSucceedsAndServesTheFile() throws IOException {
        CliSimulator simulator = ios(new IosArchive());
        upload(simulator, "flash:new.cfg", "!\n!\n" + IOS_BODY.replace("LAB-SW1\n", "LAB-SW1\nip ssh version 2\n"));
        SimulatorTerminal terminal = client.shell(simulator, USER, PASSWORD);
        terminal.untilPrompt("LAB-SW1#");

        terminal.send("configure replace flash:new.cfg force revert trigger error\n");

        assertThat(terminal.untilPrompt("LAB-SW1#")).isEqualTo("configure replace flash:new.cfg force revert trigger"
                + " error\r\nTotal number of passes: 1\r\nRollback Done\r\n\r\nLAB-SW1#");
        terminal.send("terminal length 0\n");
        terminal.untilPrompt("LAB-SW1#");
        terminal.send("show running-config\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).contains("!\r\nversion 17.9\r\nhostname LAB-SW1\r\n"
                + "ip ssh version 2\r\n");
    }

    @Test
    void iosFailingLineRevertsWithTheArchiveBackupAndNonConvergenceAborts() throws IOException {
        CliSimulator failing = ios(new IosArchive("bad line", null, false));
        upload(failing, "flash:bad.cfg", IOS_BODY.replace("\nend", "\nbad line\nend"));
        SimulatorTerminal terminal = client.shell(failing, USER, PASSWORD);
        terminal.untilPrompt("LAB-SW1#");
        terminal.send("configure replace flash:bad.cfg force revert trigger error\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).matches("(?s).*\\r\\nFailed to apply command bad line\\r\\n"
                + "Aborting Rollback\\.\\r\\n\\r\\nRollback failed\\.Reverting back to the original configuration: "
                + "flash:lab-archive-\\w{3}-\\d\\d-\\d\\d-\\d\\d-\\d\\d\\.\\d{3}-UTC-0 \\.\\.\\.\\r\\n\\r\\n"
                + "Total number of passes: 1\\r\\nRollback Done\\r\\n\\r\\n"
                + "The original configuration has been successfully restored\\.\\r\\nLAB-SW1#");
        terminal.send("configure replace flash:bad.cfg force\n");
        assertThat(terminal.untilPrompt("LAB-SW1#")).contains("\r\nRollback aborted after 5 passes\r\n"
                + "The following commands are failed to apply to the IOS image.\r\n********\r\nbad line\r\n");

        CliSimulator stubborn = ios(new IosArchive(null, "line vty 0 4", false));
        upload(stubborn, "flash:vty.cfg", IOS_BODY.replace("\nend", "\nline vty 0 4\nend"));
        SimulatorTerminal second = client.shell(stubborn, USER, PASSWORD);
        second.untilPrompt("LAB-SW1#");
        second.send("configure replace flash:vty.cfg force revert trigger error\n");
        assertThat(second.untilPrompt("LAB-SW1#")).endsWith("The rollback configlet from the last pass is listed "
                + "below:\r\n********\r\n!List of Rollback Commands:\r\nline vty 0 4\r\nend\r\n********\r\n\r\n\r\n"
                + "Rollback aborted after 5 passes\r\nLAB-SW1#");
        second.send("configure replace flash:none.cfg force\n");
        assertThat(second.untilPrompt("LAB-SW1#")).endsWith("\r\nError: Could not open file flash:none.cfg for "
                + "reading\r\nLAB-SW1#");
    }

    @Test
    void iosRefusesScpWithoutTheScpServerLine() throws IOException {
        CliSimulator simulator = client.track(CliSimulator.start(CliDeviceSpec.of("ios", "LAB-SW1", USER, PASSWORD,
                IOS_BODY.replace("ip scp server enable\n", "")), client.hostKey()));

        assertThatThrownBy(() -> upload(simulator, "flash:x.cfg", IOS_BODY)).hasMessageContaining(
                "ip scp server enable");
        assertThat(simulator.file("flash:x.cfg")).isNull();
    }

    @Test
    void nxosCheckpointMd5sumAndRollbackLogs() throws IOException {
        CliSimulator simulator = client.track(CliSimulator.start(CliDeviceSpec.of("nxos", "DC-NX-01", USER,
                PASSWORD, NXOS_BODY).withBuildDelay(Duration.ZERO).withExtension(
                        new NxosCheckpoints("bad line", false)), client.hostKey()));
        upload(simulator, "bootflash:good.cfg", NXOS_BODY + "feature lldp\n");
        upload(simulator, "bootflash:bad.cfg", NXOS_BODY + "bad line\n");
        SimulatorTerminal terminal = client.shell(simulator, USER, PASSWORD);
        terminal.untilPrompt("DC-NX-01# ");

        terminal.send("checkpoint netsnap-1\n");
        assertThat(terminal.untilPrompt("DC-NX-01# ")).isEqualTo("checkpoint netsnap-1\r\n.Done\r\n\rDC-NX-01# ");
        terminal.send("show file bootflash:good.cfg md5sum\n");
        assertThat(terminal.untilPrompt("DC-NX-01# ")).matches("show file bootflash:good\\.cfg md5sum\\r\\n"
                + "[0-9a-f]{32}\\r\\n\\rDC-NX-01# ");
        terminal.send("rollback running-config file bootflash:good.cfg atomic\n");
        assertThat(terminal.untilPrompt("DC-NX-01# ")).startsWith("rollback running-config file bootflash:good.cfg "
                + "atomic\r\nADVISORY: Rollback operation started...\r\n").endsWith("Generating Rollback Patch\r\n"
                + "\r\nRollback completed successfully.\r\n\r\n\r\n\rDC-NX-01# ");
        terminal.send("rollback running-config file bootflash:bad.cfg atomic\n");
        assertThat(terminal.untilPrompt("DC-NX-01# ")).contains("Executing Rollback Patch\r\n"
                + "..Generating Running-config for verification\r\nGenerating Patch for verification\r\n"
                + "Verification failed, Rolling back to previous configuration\r\n").endsWith(
                "\r\nRollback failed.\r\n\r\n\rDC-NX-01# ");
        terminal.send("rollback running-config checkpoint netsnap-1 atomic\n");
        assertThat(terminal.untilPrompt("DC-NX-01# ")).contains("Rollback completed successfully.");
        terminal.send("terminal length 0\n");
        terminal.untilPrompt("DC-NX-01# ");
        terminal.send("show running-config\n");
        assertThat(terminal.untilPrompt("DC-NX-01# ")).doesNotContain("feature lldp");
    }

    private static CliSimulator ios(IosArchive box) throws IOException {
        return client.track(CliSimulator.start(CliDeviceSpec.of("ios", "LAB-SW1", USER, PASSWORD, IOS_BODY)
                .withBuildDelay(Duration.ZERO).withExtension(box), client.hostKey()));
    }

    private static void upload(CliSimulator simulator, String file, String text) throws IOException {
        try (ClientSession session = client.login(simulator, USER, PASSWORD)) {
            ScpClientCreator.instance().createScpClient(session).upload(text.getBytes(StandardCharsets.UTF_8), file,
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), null);
        }
    }
}
