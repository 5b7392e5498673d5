package io.netsnap.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cisco IOS device on {@code 127.0.0.1}, reachable over SSH, for {@code netsnap lab} and for tests. It behaves like
 * the real thing rather than like what one client expects: password authentication only, echo of typed input,
 * {@code \r\n} line ends, a prompt without trailing newline, paging on by default, a pause after
 * {@code Building configuration...}, output in small chunks, IOS error messages with the caret marker. See
 * {@link IosDeviceSpec} for the knobs.
 *
 * <p>Commands: {@code enable}, {@code disable}, {@code exit}, {@code logout}, {@code terminal length N},
 * {@code terminal width N}, {@code show running-config}, {@code show version}, {@code show privilege},
 * {@code show clock}, each abbreviable to a unique prefix. An SSH {@code exec} request runs one command and closes.
 *
 * <p>The {@code Current configuration : N bytes} line counts the body as UTF-8 with one {@code \n} per line,
 * {@code end} included. The change timestamps are the current time and {@code ntp clock-period} (if the body has it)
 * drifts, so two fetches of an unchanged configuration always differ in their volatile lines.
 */
public final class IosSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IosSimulator.class);
    private static final String HOST = "127.0.0.1";
    /** What an IOS 15 / IOS-XE SSH server announces. */
    private static final String SERVER_IDENTIFICATION = "Cisco-1.25";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SshServer server;
    private final IosDevice device;
    private final ExecutorService sessions;
    private final PublicKey hostPublicKey;

    private IosSimulator(SshServer server, IosDevice device, ExecutorService sessions, PublicKey hostPublicKey) {
        this.server = server;
        this.device = device;
        this.sessions = sessions;
        this.hostPublicKey = hostPublicKey;
    }

    /** Starts the device on {@code 127.0.0.1} and a free port. */
    public static IosSimulator start(IosDeviceSpec spec, KeyPair hostKey) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hostKey, "hostKey");
        IosDevice device = new IosDevice(spec, Clock.systemUTC());
        ExecutorService sessions = Executors.newCachedThreadPool(daemonThreads(spec.hostname()));

        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(HOST);
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, SERVER_IDENTIFICATION);
        // Only password authentication: the default server would also offer public keys from the
        // ~/.ssh/authorized_keys of whoever runs the lab, and keyboard-interactive.
        server.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
        server.setPublickeyAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPasswordAuthenticator((username, password, session) -> spec.username().equals(username)
                && password != null && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                        spec.password().getBytes(StandardCharsets.UTF_8)));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    device.sessionOpened();
                }
            }
        });
        server.setShellFactory(channel -> new IosSession(device, sessions, null));
        server.setCommandFactory((channel, command) -> new IosSession(device, sessions, command));
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            sessions.shutdownNow();
            server.close(true);
            throw e;
        }
        log.info("Simulated IOS device {} listening on {}:{}", spec.hostname(), HOST, server.getPort());
        return new IosSimulator(server, device, sessions, hostKey.getPublic());
    }

    public int port() {
        return server.getPort();
    }

    public String host() {
        return HOST;
    }

    public PublicKey hostPublicKey() {
        return hostPublicKey;
    }

    /** Replaces the configuration body, as if someone had changed the device between two backups. */
    public void updateConfigBody(String newBody) {
        device.updateConfigBody(newBody);
    }

    /** The number of SSH sessions that passed authentication so far. */
    public int sessionsOpened() {
        return device.sessionsOpened();
    }

    /**
     * Every command line received (shell lines, blank ones included, and exec commands), in order. Answers to the
     * enable {@code Password:} prompt and pager keys are not commands and are never recorded.
     */
    public List<String> commandsReceived() {
        return device.commandsReceived();
    }

    /** Disconnects every client, stops listening and ends the session threads. */
    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            log.warn("Simulated IOS device {} did not stop cleanly: {}", device.spec().hostname(), e.toString());
        }
        sessions.shutdownNow();
        try {
            if (!sessions.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Simulated IOS device {}: session threads still running", device.spec().hostname());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String hostname) {
        String prefix = "ios-sim-" + hostname + "-" + INSTANCES.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
