package io.netsnap.upload;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OpenSSH {@code sshd} (Debian's openssh-server) for the upload tests, on two free loopback ports with its
 * own host key, config and authorized_keys under a temporary directory; nothing of the machine's own sshd setup is
 * used. The user is whoever runs the tests, logging in with a key generated here. The second port serves the same
 * files read-only ({@code internal-sftp -R}): the server refuses every write with "permission denied", which works
 * even when the tests run as root (file modes do not stop root).
 * <p>
 * A missing sshd fails the tests: the SFTP upload must be proven against the real server, never silently skipped.
 */
final class OpenSshServer implements BeforeAllCallback, AfterAllCallback {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final long START_DEADLINE_SECONDS = 20;

    private Path dir;
    private Process process;
    private int port;
    private int readOnlyPort;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final List<String> log = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isExecutable(SSHD)) {
            fail("OpenSSH sshd is not installed at " + SSHD + ": the SFTP upload tests need a real server. "
                    + "Install it with: apt-get install -y openssh-server (./test does this when run as root)");
        }
        dir = Files.createTempDirectory("netsnap-sshd");
        keygen("host_key");
        keygen("previous_host_key");
        keygen("user_key");
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        port = freePort();
        readOnlyPort = freePort();
        Files.writeString(dir.resolve("sshd_config"), """
                ListenAddress 127.0.0.1:%1$d
                ListenAddress 127.0.0.1:%2$d
                HostKey %3$s/host_key
                PidFile %3$s/sshd.pid
                AuthorizedKeysFile %3$s/authorized_keys
                UsePAM no
                StrictModes no
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                AllowUsers %4$s
                LogLevel VERBOSE
                Subsystem sftp internal-sftp
                Match LocalPort %2$d
                    ForceCommand internal-sftp -R
                """.formatted(port, readOnlyPort, dir, user()));
        if ("root".equals(user())) {
            // sshd's privilege separation directory, which the Debian service unit normally creates
            Files.createDirectories(Path.of("/run/sshd"));
        }
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).start();
        Thread reader = new Thread(this::readOutput, "sshd-output");
        reader.setDaemon(true);
        reader.start();
        awaitListening();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    String user() {
        return System.getProperty("user.name");
    }

    int port() {
        return port;
    }

    int readOnlyPort() {
        return readOnlyPort;
    }

    Path directory() {
        return dir;
    }

    /** The login key of {@link #user()} (OpenSSH private key format). */
    String userPrivateKey() throws IOException {
        return Files.readString(dir.resolve("user_key"));
    }

    /** A private key the server does not accept for the user. */
    String strangerPrivateKey() throws IOException {
        return Files.readString(dir.resolve("previous_host_key"));
    }

    /** A known_hosts file pinning the server's real host key for both ports. */
    Path knownHosts() throws IOException {
        return knownHosts("known_hosts", "host_key.pub");
    }

    /** A known_hosts file pinning the key the server had before: what a changed host key looks like to a client. */
    Path previousKnownHosts() throws IOException {
        return knownHosts("previous_known_hosts", "previous_host_key.pub");
    }

    private Path knownHosts(String name, String publicKey) throws IOException {
        String key = Files.readString(dir.resolve(publicKey)).trim();
        Path file = dir.resolve(name);
        Files.writeString(file, "[127.0.0.1]:" + port + " " + key + "\n[127.0.0.1]:" + readOnlyPort + " " + key
                + "\n");
        return file;
    }

    private void keygen(String name) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "netsnap-test",
                "-f", dir.resolve(name).toString()).redirectErrorStream(true).start();
        String out = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
            fail("ssh-keygen failed for " + name + ": " + out);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.add(line);
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_DEADLINE_SECONDS);
        boolean main = false;
        boolean readOnly = false;
        while (!(main && readOnly)) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? output.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                process.destroyForcibly();
                fail("sshd did not start listening within " + START_DEADLINE_SECONDS + " s (alive: "
                        + process.isAlive() + "). Its output:\n" + String.join("\n", log));
            }
            log.add(line);
            main |= line.contains("Server listening on 127.0.0.1 port " + port + ".");
            readOnly |= line.contains("Server listening on 127.0.0.1 port " + readOnlyPort + ".");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
