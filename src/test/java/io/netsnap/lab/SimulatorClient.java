package io.netsnap.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * A raw MINA SSH client for simulator tests, registered as a JUnit extension on a static field
 * ({@code @RegisterExtension static final SimulatorClient client = new SimulatorClient();}). Before the tests it
 * creates a lab host key in a temporary folder and pins it, never reading {@code ~/.ssh}; it logs in with a password,
 * and after each test closes every terminal and simulator the test opened through it.
 */
final class SimulatorClient implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final List<SimulatorTerminal> terminals = new ArrayList<>();
    private Path keyDirectory;
    private KeyPair hostKey;
    private SshClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        keyDirectory = Files.createTempDirectory("simulator-keys");
        hostKey = LabHostKeys.loadOrCreate(hostKeyFile());
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey.getPublic()));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (SimulatorTerminal terminal : terminals) {
            terminal.close();
        }
        terminals.clear();
        devices.forEach(SimulatedDevice::close);
        devices.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        client.stop();
        try (Stream<Path> files = Files.walk(keyDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(SimulatorClient::delete);
        }
    }

    /** Where the pinned host key is stored. */
    Path hostKeyFile() {
        return keyDirectory.resolve("lab/host-key");
    }

    KeyPair hostKey() {
        return hostKey;
    }

    /** Remembers a started simulator, to be closed after the test. */
    <T extends SimulatedDevice> T track(T device) {
        devices.add(device);
        return device;
    }

    /** An authenticated session; the caller closes it. */
    ClientSession login(SimulatedDevice device, String user, String password) throws IOException {
        ClientSession session = connect(device, user);
        session.addPasswordIdentity(password);
        session.auth().verify(SimulatorTerminal.TIMEOUT);
        return session;
    }

    /** A PTY shell after password authentication. */
    SimulatorTerminal shell(SimulatedDevice device, String user, String password) throws IOException {
        SimulatorTerminal terminal = new SimulatorTerminal(login(device, user, password));
        terminals.add(terminal);
        return terminal;
    }

    /** A session before authentication; the caller closes it. */
    ClientSession connect(SimulatedDevice device, String user) throws IOException {
        return client.connect(user, device.host(), device.port()).verify(SimulatorTerminal.TIMEOUT).getSession();
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
