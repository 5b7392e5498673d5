package io.netsnap.device;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.lease.DeviceLeases;
import io.netsnap.lease.LeaseUnavailable;

/**
 * Owns the one MINA SSH client of the application and opens authenticated shells on devices. Host keys are checked
 * against known_hosts ({@link HostKeyVerifier}); there is no accept-all path. Every session to a device passes
 * {@link DeviceSessions} first: one per device, and within the caps of {@code netsnap.sessions.*}.
 */
@Component
public class SshConnector implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SshConnector.class);

    private final SshClient client;
    private final SshProperties properties;
    private final Path knownHosts;
    private final DeviceSessions sessions;
    /** The replicas' leases, or {@code null} for a connector used alone (tools and tests without an archive). */
    private final DeviceLeases leases;

    /** A connector of its own, with the default caps of {@code netsnap.sessions.*}: for use outside the application. */
    public SshConnector(SshProperties properties) throws IOException {
        this(properties, new DeviceSessions(SessionProperties.defaults(), properties), null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public SshConnector(SshProperties properties, DeviceSessions sessions, DeviceLeases leases) throws IOException {
        this.properties = properties;
        this.sessions = sessions;
        this.leases = leases;
        this.knownHosts = properties.knownHosts() != null ? properties.knownHosts() : Path.of("known_hosts");
        Path parent = knownHosts.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new HostKeyVerifier(knownHosts, properties.hostKeyPolicy()));
        // Never read ~/.ssh of whoever runs netsnap: keys come from Vault only.
        client.setKeyIdentityProvider(session -> java.util.List.of());
        // ...nor its ~/.ssh/config: the inventory alone says where a device is and who logs in.
        client.setHostConfigEntryResolver(org.apache.sshd.client.config.hosts.HostConfigEntryResolver.EMPTY);
        // A CLI session is request and answer, like OpenSSH's interactive sessions, which set TCP_NODELAY too: with
        // Nagle's algorithm a command written in two segments waits for the device's delayed acknowledgement.
        org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
    }

    /**
     * Waits for a device session ({@link DeviceSessions}), then connects, verifies the host key, authenticates and
     * opens a shell with a PTY. The per-device ceiling counts from the moment the session may start.
     *
     * @throws DeviceException for every failure, classified for retry or not
     */
    CliSession openShell(Device device, Credentials credentials, CliProfile profile) {
        String endpoint = device.host() + ":" + device.port();
        DeviceSessions.Lease turn = sessions.acquire(device);
        Instant deadline = Instant.now().plus(properties.deviceCeiling());
        Runnable release = acrossReplicas(device, endpoint, deadline, turn);
        HostKeyVerifier.takeRefusal(device.host(), device.port()); // a verdict left over from an earlier attempt
        ClientSession session = null;
        try {
            session = openSession(device, credentials);
            return new CliSession(device.name(), session, profile, device.timeout(), deadline,
                    properties.connectTimeout(), release);
        } catch (DeviceException e) {
            release.run();
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            release.run();
            throw classify(device, endpoint, session, e);
        }
    }

    /**
     * The device's lease among the replicas that share the archive, taken once this process's caps let the session
     * start; the wait counts against the device's ceiling. Returns what frees both.
     */
    private Runnable acrossReplicas(Device device, String endpoint, Instant deadline, DeviceSessions.Lease turn) {
        if (leases == null) {
            return turn::close;
        }
        try {
            DeviceLeases.Lease lease = leases.acquire(endpoint, device.name(), deadline);
            return () -> {
                lease.close();
                turn.close();
            };
        } catch (LeaseUnavailable e) {
            turn.close();
            throw new DeviceException.Timeout(device.name(), e.getMessage());
        } catch (RuntimeException e) {
            turn.close();
            throw e;
        }
    }

    /**
     * As {@link #openSession(Device, Credentials)}, for a session to a device (an SCP upload): it waits for its turn
     * in {@link DeviceSessions} first, and frees it when the session closes.
     */
    ClientSession openDeviceSession(Device device, Credentials credentials) {
        String endpoint = device.host() + ":" + device.port();
        Runnable release = acrossReplicas(device, endpoint, Instant.now().plus(properties.deviceCeiling()),
                sessions.acquire(device));
        try {
            ClientSession session = openSession(device, credentials);
            session.addCloseFutureListener(closed -> release.run());
            return session;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /**
     * Connects, verifies the host key against known_hosts and authenticates: a session without a shell, e.g. for
     * SFTP to a backup server (not a device: outside {@link DeviceSessions}). The caller closes it.
     *
     * @param device the endpoint, named as messages should name it, and the Vault path of {@code credentials}
     * @throws DeviceException for every failure, classified for retry or not
     */
    public ClientSession openSession(Device device, Credentials credentials) {
        return openSession(device, credentials, false);
    }

    /**
     * As {@link #openSession(Device, Credentials)}; with {@code knownKeyOnly} the server's key must already be in
     * known_hosts whatever {@code netsnap.ssh.host-key-policy} says. For servers that are sent a secret of their own
     * (a backup server), where trust on first use would hand the password to whoever answers first.
     */
    public ClientSession openSession(Device device, Credentials credentials, boolean knownKeyOnly) {
        String endpoint = device.host() + ":" + device.port();
        ClientSession session = null;
        try {
            session = client.connect(credentials.username(), device.host(), device.port(), knownKeyOnly
                    ? AttributeRepository.ofKeyValuePair(HostKeyVerifier.KNOWN_KEY_ONLY, Boolean.TRUE) : null)
                    .verify(properties.connectTimeout()).getSession();
            if (credentials.password() != null) {
                session.addPasswordIdentity(credentials.password());
            }
            if (credentials.privateKey() != null) {
                for (KeyPair key : SecurityUtils.loadKeyPairIdentities(session, () -> "vault:" + device.credentials(),
                        new java.io.ByteArrayInputStream(credentials.privateKey().getBytes()),
                        FilePasswordProvider.EMPTY)) {
                    session.addPublicKeyIdentity(key);
                }
            }
            authenticate(device, session, endpoint);
            return session;
        } catch (DeviceException e) {
            closeQuietly(session);
            throw e;
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            closeQuietly(session);
            throw classify(device, endpoint, session, e);
        }
    }

    private void authenticate(Device device, ClientSession session, String endpoint) throws IOException {
        try {
            session.auth().verify(properties.authTimeout());
        } catch (IOException e) {
            DeviceException hostKey = hostKeyProblem(device, endpoint);
            if (hostKey != null) {
                throw hostKey;
            }
            if (session.isAuthenticated()) {
                return;
            }
            String text = String.valueOf(e.getMessage());
            if (text.contains("No more authentication methods") || text.contains("authentication")) {
                throw new DeviceException.Authentication(device.name(), "SSH login refused for user '"
                        + session.getUsername() + "' at " + endpoint + " (credentials from Vault path "
                        + device.credentials() + ")");
            }
            throw e;
        }
    }

    private DeviceException hostKeyProblem(Device device, String endpoint) {
        String[] refusal = HostKeyVerifier.takeRefusal(device.host(), device.port());
        if (refusal == null) {
            return null;
        }
        if (refusal.length == 2) {
            return new DeviceException.HostKeyMismatch(device.name(), endpoint, refusal[0], refusal[1],
                    knownHosts.toString());
        }
        return new DeviceException.Protocol(device.name(), "host key " + refusal[0] + " of " + endpoint
                + " is not in " + knownHosts + " and the host key policy is strict; add it to known_hosts first");
    }

    private DeviceException classify(Device device, String endpoint, ClientSession session, Exception e) {
        DeviceException hostKey = hostKeyProblem(device, endpoint);
        if (hostKey != null) {
            return hostKey;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason;
        if (root instanceof ConnectException) {
            reason = "connection refused";
        } else if (root instanceof UnknownHostException) {
            reason = "unknown host " + device.host();
        } else if (root instanceof NoRouteToHostException) {
            reason = "no route to host";
        } else if (root instanceof SocketTimeoutException || String.valueOf(e.getMessage()).contains("timeout")) {
            reason = "no answer within " + seconds(properties.connectTimeout());
        } else {
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        log.debug("{}: connecting to {} failed", device.name(), endpoint, e);
        return new DeviceException.Unreachable(device.name(), "cannot reach " + endpoint + " over SSH: " + reason,
                null);
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            session.close(true);
        }
    }

    @Override
    public void destroy() throws IOException {
        client.stop();
        client.close();
    }
}
