package io.netsnap.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's backup server: SFTP and SCP on {@code 127.0.0.1} and a free port, one user with a password, a pinned host
 * key, every file under one directory (the user sees it as {@code /}). It plays the server that network teams keep
 * their offsite copies on: conductors push their flash backups to it by SCP, runs upload their export folder by
 * SFTP. There is no shell.
 */
public final class LabBackupServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabBackupServer.class);
    /** What an OpenSSH-based Linux backup host announces. */
    private static final String SERVER_IDENTIFICATION = "OpenSSH_9.2p1";

    private final SshServer server;
    private final Path root;
    private final PublicKey hostPublicKey;

    private LabBackupServer(SshServer server, Path root, PublicKey hostPublicKey) {
        this.server = server;
        this.root = root;
        this.hostPublicKey = hostPublicKey;
    }

    /**
     * Starts the server.
     *
     * @param root     the directory the user sees as {@code /}; created when missing
     * @param username the only user accepted
     * @param password that user's password (password authentication is the only method offered)
     */
    public static LabBackupServer start(Path root, String username, String password, KeyPair hostKey)
            throws IOException {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Files.createDirectories(root);
        SshServer server = SimulatorServer.loopbackServer(SERVER_IDENTIFICATION, username, password, hostKey);
        // normalized: MINA refuses every path under a root that still has "." or ".." in it ("Invalid filename")
        server.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath().normalize()));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setCommandFactory(new ScpCommandFactory());
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close(true);
            throw e;
        }
        log.info("Lab backup server (SFTP, SCP) listening on {}:{}, files under {}", SimulatorServer.HOST,
                server.getPort(), root);
        return new LabBackupServer(server, root, hostKey.getPublic());
    }

    public String host() {
        return SimulatorServer.HOST;
    }

    public int port() {
        return server.getPort();
    }

    public PublicKey hostPublicKey() {
        return hostPublicKey;
    }

    /** The directory behind the server's {@code /}. */
    public Path root() {
        return root;
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            log.warn("Lab backup server did not stop cleanly: {}", e.toString());
        }
    }
}
