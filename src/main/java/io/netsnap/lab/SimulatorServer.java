package io.netsnap.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.DefaultKeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH side shared by every simulator: one MINA server on {@code 127.0.0.1} and a free port, password
 * authentication for one user only, a pinned host key, and a thread pool on which the device dialogues run (they block
 * on input and on pauses, which MINA's I/O threads must never do).
 */
final class SimulatorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorServer.class);
    static final String HOST = "127.0.0.1";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * SCP on the same server, into a device's file system: uploads land in {@code root} (client paths resolved as
     * typed, never outside it); while {@code refusal} gives a text, every {@code scp} request gets that text as the
     * SCP error and fails.
     */
    record Scp(Path root, Supplier<String> refusal) {
    }

    /** Creates the dialogue of one channel: {@code execCommand} is {@code null} for a shell. */
    @FunctionalInterface
    interface Dialogues {
        DialogueChannel.Dialogue create(String execCommand);
    }

    private final String name;
    private final SshServer server;
    private final ExecutorService sessions;
    private final PublicKey hostPublicKey;
    private final AtomicInteger authenticated = new AtomicInteger();
    /** Where shells are counted, and under which tag; none until {@link #countShells}. */
    private volatile SessionGauge gauge;
    private volatile String gaugeTag;
    /** Sessions logged in and not yet closed, and the most there ever were at once. */
    private final java.util.Set<Session> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    private SimulatorServer(String name, SshServer server, ExecutorService sessions, PublicKey hostPublicKey) {
        this.name = name;
        this.server = server;
        this.sessions = sessions;
        this.hostPublicKey = hostPublicKey;
    }

    /**
     * @param name           the device's name, for thread names and logs
     * @param identification what the SSH server announces, e.g. {@code Cisco-1.25}
     */
    static SimulatorServer start(String name, String identification, String username, String password,
                                 KeyPair hostKey, Dialogues dialogues) throws IOException {
        return start(name, identification, username, password, false, hostKey, dialogues);
    }

    /**
     * @param keyboardInteractive {@code true}: the password is asked for by keyboard-interactive authentication, the
     *                            only method offered, as EOS does by default
     */
    static SimulatorServer start(String name, String identification, String username, String password,
                                 boolean keyboardInteractive, KeyPair hostKey, Dialogues dialogues)
            throws IOException {
        return start(name, identification, username, password, keyboardInteractive, hostKey, dialogues, null);
    }

    /** @param scp SCP into the device's file system, or {@code null}: an {@code scp} request is just a command */
    static SimulatorServer start(String name, String identification, String username, String password,
                                 boolean keyboardInteractive, KeyPair hostKey, Dialogues dialogues, Scp scp)
            throws IOException {
        ExecutorService sessions = Executors.newCachedThreadPool(daemonThreads(name));
        SshServer server = loopbackServer(identification, username, password, hostKey);
        if (keyboardInteractive) {
            server.setUserAuthFactories(List.of(UserAuthKeyboardInteractiveFactory.INSTANCE));
            server.setKeyboardInteractiveAuthenticator(new DefaultKeyboardInteractiveAuthenticator());
        }
        SimulatorServer simulator = new SimulatorServer(name, server, sessions, hostKey.getPublic());
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    simulator.authenticated.incrementAndGet();
                    synchronized (simulator.open) {
                        simulator.open.add(session);
                        simulator.mostAtOnce.accumulateAndGet(simulator.open.size(), Math::max);
                    }
                }
            }

            @Override
            public void sessionClosed(Session session) {
                synchronized (simulator.open) {
                    simulator.open.remove(session);
                }
            }
        });
        server.setShellFactory(channel -> new DialogueChannel(name, sessions,
                simulator.counted(dialogues.create(null))));
        CommandFactory commands = (channel, command) -> new DialogueChannel(name, sessions,
                dialogues.create(command));
        if (scp == null) {
            server.setCommandFactory(commands);
        } else {
            server.setFileSystemFactory(new VirtualFileSystemFactory(scp.root().toAbsolutePath().normalize()));
            ScpCommandFactory withScp = new ScpCommandFactory.Builder().withDelegate(commands).build();
            server.setCommandFactory((channel, command) -> {
                String refusal = command.startsWith("scp ") ? scp.refusal().get() : null;
                return refusal == null ? withScp.createCommand(channel, command) : new RefusedScp(refusal);
            });
        }
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            sessions.shutdownNow();
            server.close(true);
            throw e;
        }
        log.info("Simulated device {} listening on {}:{}", name, HOST, server.getPort());
        return simulator;
    }

    /**
     * A MINA server on {@code 127.0.0.1} and a free port, not started: the pinned host key, the announced
     * identification, and password authentication for one user only. The default server would also offer public
     * keys from the {@code ~/.ssh/authorized_keys} of whoever runs the lab, and keyboard-interactive.
     */
    static SshServer loopbackServer(String identification, String username, String password, KeyPair hostKey) {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(HOST);
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, identification);
        SharedIo.use(server);
        server.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
        server.setPublickeyAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPasswordAuthenticator((user, typed, session) -> username.equals(user) && typed != null
                && MessageDigest.isEqual(typed.getBytes(StandardCharsets.UTF_8),
                        password.getBytes(StandardCharsets.UTF_8)));
        return server;
    }

    int port() {
        return server.getPort();
    }

    /** From now on every shell this device serves counts in {@code gauge} under {@code tag}. */
    void countShells(SessionGauge gauge, String tag) {
        this.gaugeTag = tag;
        this.gauge = gauge;
    }

    private DialogueChannel.Dialogue counted(DialogueChannel.Dialogue dialogue) {
        SessionGauge counting = gauge;
        return counting == null ? dialogue : counting.counting(gaugeTag, dialogue);
    }

    PublicKey hostPublicKey() {
        return hostPublicKey;
    }

    int sessionsOpened() {
        return authenticated.get();
    }

    int mostSessionsAtOnce() {
        return mostAtOnce.get();
    }

    /** Disconnects every client, stops listening and ends the session threads. */
    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            log.warn("Simulated device {} did not stop cleanly: {}", name, e.toString());
        }
        sessions.shutdownNow();
        try {
            if (!sessions.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Simulated device {}: session threads still running", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An SCP request the device refuses: the refusal as a fatal SCP error (status byte 2, the text, a line
     * end), which the client reports, then exit status 1.
     */
    private static final class RefusedScp implements Command {
        private final String refusal;
        private OutputStream out;
        private ExitCallback exit;

        RefusedScp(String refusal) {
            this.refusal = refusal;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            exit = callback;
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream stream) {
            out = stream;
        }

        @Override
        public void setErrorStream(OutputStream err) {
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            out.write(("\u0002" + refusal + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            exit.onExit(1, refusal);
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        String prefix = "sim-" + name + "-" + INSTANCES.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
