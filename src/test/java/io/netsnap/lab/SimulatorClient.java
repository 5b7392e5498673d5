package io.netsnap.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * A raw MINA SSH client for simulator tests: it pins the lab host key the simulators are started with, never reads
 * {@code ~/.ssh}, logs in with a password and keeps every simulator and terminal it opened so a test can close them
 * all at once.
 */
final class SimulatorClient implements AutoCloseable {

    private final KeyPair hostKey;
    private final SshClient client;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final List<SimulatorTerminal> terminals = new ArrayList<>();

    /** Loads or creates the host key in {@code keyFile} and pins it. */
    SimulatorClient(Path keyFile) {
        this.hostKey = LabHostKeys.loadOrCreate(keyFile);
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey.getPublic()));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
    }

    KeyPair hostKey() {
        return hostKey;
    }

    /** Remembers a started simulator, to be closed by {@link #closeAll()}. */
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

    /** Closes the terminals, then the simulators, opened since the last call. */
    void closeAll() throws IOException {
        for (SimulatorTerminal terminal : terminals) {
            terminal.close();
        }
        terminals.clear();
        devices.forEach(SimulatedDevice::close);
        devices.clear();
    }

    @Override
    public void close() {
        client.stop();
    }
}
