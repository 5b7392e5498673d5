package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.scp.client.ScpClientCreator;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab backup server takes files by SFTP and by SCP, under its root only, from its one user only. */
class LabBackupServerTests {

    private static final String USER = "backup";
    private static final String PASSWORD = "backup-Pa55-lab";

    @TempDir
    Path directory;

    private LabBackupServer server;
    private SshClient client;

    @BeforeEach
    void start() throws IOException {
        KeyPair hostKey = LabHostKeys.loadOrCreate(directory.resolve("host.key"));
        server = LabBackupServer.start(directory.resolve("root"), USER, PASSWORD, hostKey);
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey.getPublic()));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
    }

    @AfterEach
    void stop() throws IOException {
        client.stop();
        server.close();
    }

    @Test
    void sftpWritesAndRenamesUnderTheRootOnly() throws IOException {
        try (ClientSession session = login(PASSWORD);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            sftp.mkdir("/netbackups");
            try (OutputStream out = sftp.write("/netbackups/a.cfg.part")) {
                out.write("hostname A\n".getBytes(StandardCharsets.UTF_8));
            }
            sftp.rename("/netbackups/a.cfg.part", "/netbackups/a.cfg");
        }
        assertThat(server.root().resolve("netbackups/a.cfg")).hasContent("hostname A");
        assertThat(server.root().resolve("netbackups/a.cfg.part")).doesNotExist();
    }

    @Test
    void scpUploadLandsWhereAConductorPutsIt() throws IOException {
        Path local = Files.writeString(directory.resolve("flash.tar.gz"), "not really a tarball");
        try (ClientSession session = login(PASSWORD)) {
            ScpClientCreator.instance().createScpClient(session).upload(local, "/flash.tar.gz");
        }
        assertThat(server.root().resolve("flash.tar.gz")).hasContent("not really a tarball");
    }

    @Test
    void aRootGivenAsARelativePathWithDotsServesToo() throws IOException {
        server.close();
        Path relative = Path.of("").toAbsolutePath().relativize(directory.resolve("relative"));
        server = LabBackupServer.start(Path.of(".").resolve(relative).resolve("root"), USER, PASSWORD,
                LabHostKeys.loadOrCreate(directory.resolve("host.key")));
        try (ClientSession session = login(PASSWORD);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            sftp.mkdir("/netbackups");
        }
        assertThat(directory.resolve("relative/root/netbackups")).isDirectory();
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> login("wrong")).isInstanceOf(IOException.class);
    }

    private ClientSession login(String password) throws IOException {
        ClientSession session = client.connect(USER, server.host(), server.port()).verify(Duration.ofSeconds(5))
                .getSession();
        session.addPasswordIdentity(password);
        session.auth().verify(Duration.ofSeconds(5));
        return session;
    }
}
