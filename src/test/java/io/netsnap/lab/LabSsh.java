package io.netsnap.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The client side of simulator tests, as a JUnit extension registered on a static field: a lab host key stored in a
 * temporary directory, one MINA client that accepts only that key and never reads {@code ~/.ssh}, and everything a
 * test starts or opens through it, closed after the test (newest first, so terminals before their simulators).
 */
final class LabSsh implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private Path directory;
    private KeyPair hostKey;
    private SshClient client;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("netsnap-lab-test");
        hostKey = LabHostKeys.loadOrCreate(hostKeyFile());
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey.getPublic()));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        client.stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    Path hostKeyFile() {
        return directory.resolve("lab/host-key");
    }

    KeyPair hostKey() {
        return hostKey;
    }

    SshClient client() {
        return client;
    }

    /** Closes {@code device} after the test. */
    <T extends SimulatedDevice> T track(T device) {
        opened.push(device);
        return device;
    }

    /** Connects and authenticates with a password; the session is closed after the test. */
    ClientSession login(SimulatedDevice device, String user, String password) throws IOException {
        ClientSession session = client.connect(user, device.host(), device.port())
                .verify(ShellTerminal.TIMEOUT).getSession();
        opened.push(session);
        session.addPasswordIdentity(password);
        session.auth().verify(ShellTerminal.TIMEOUT);
        return session;
    }

    /** Logs in and opens a PTY shell; both are closed after the test. */
    ShellTerminal shell(SimulatedDevice device, String user, String password) throws IOException {
        ShellTerminal terminal = new ShellTerminal(login(device, user, password));
        opened.push(terminal);
        return terminal;
    }
}
