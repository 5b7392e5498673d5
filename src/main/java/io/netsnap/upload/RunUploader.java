package io.netsnap.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.FileType;
import org.apache.commons.vfs2.auth.StaticUserAuthenticator;
import org.apache.commons.vfs2.impl.DefaultFileSystemConfigBuilder;
import org.apache.commons.vfs2.impl.DefaultFileSystemManager;
import org.apache.commons.vfs2.provider.sftp.BytesIdentityInfo;
import org.apache.commons.vfs2.provider.sftp.SftpFileProvider;
import org.apache.commons.vfs2.provider.sftp.SftpFileSystemConfigBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;

/**
 * Copies a run's export folder to the backup server over SFTP (Commons VFS), and removes expired folders there.
 * Every file goes to {@code name.part} first and is renamed once complete; every file is read back and checked by
 * size and sha256. A file already on the server with the same size and sha256 is not sent again, so a retry after a
 * partial failure sends only what is missing.
 */
@Service
public class RunUploader {

    private static final Logger log = LoggerFactory.getLogger(RunUploader.class);
    private static final String PART = ".part";

    private final UploadProperties properties;
    private final CredentialsProvider credentials;

    /** Where preflight writes its probe, under the target. */
    static final String PROBE_FOLDER = ".netsnap-preflight";

    public RunUploader(UploadProperties properties, CredentialsProvider credentials) {
        this.properties = properties;
        this.credentials = credentials;
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /**
     * Uploads every file under {@code localDir} to {@code <target>/<remotePath>/}.
     *
     * @param remotePath folder under the target, e.g. {@code 2025-03-14/20250314-020000-ab12}
     * @return what was sent; {@link UploadResult#skipped()} when no target is configured
     * @throws UploadException with the cause an operator can act on
     */
    public UploadResult upload(Path localDir, String remotePath) {
        if (!enabled()) {
            return UploadResult.skipped();
        }
        List<Path> files = localFiles(localDir);
        String where = display(remotePath);
        int sent = 0;
        long bytes = 0;
        try (Connection server = connect()) {
            FileObject folder = server.resolve(remotePath);
            server.run("create folder " + where, false, () -> createFolder(folder));
            for (Path file : files) {
                String relative = localDir.relativize(file).toString().replace('\\', '/');
                byte[] content = Files.readAllBytes(file);
                String sha256 = sha256(content);
                FileObject remote = folder.resolveFile(relative);
                String remoteName = where + "/" + relative;
                if (server.call("check " + remoteName, false, () -> matches(remote, content.length, sha256))) {
                    log.debug("{} is already on the server", remoteName);
                    continue;
                }
                FileObject part = folder.resolveFile(relative + PART);
                try {
                    server.run("write " + remoteName + PART, true, () -> write(part, content));
                    if (!server.call("verify " + remoteName + PART, false,
                            () -> matches(part, content.length, sha256))) {
                        throw new UploadException.VerificationFailed(remoteName + PART + " read back from the server"
                                + " differs from the local file (size or sha256)");
                    }
                    server.run("rename " + remoteName + PART, false, () -> part.moveTo(remote));
                } catch (UploadException e) {
                    discard(part);
                    throw e;
                }
                if (!server.call("verify " + remoteName, false, () -> sizeOf(remote) == content.length)) {
                    throw new UploadException.VerificationFailed(remoteName + " has the wrong size after the rename");
                }
                sent++;
                bytes += content.length;
            }
        } catch (IOException e) {
            throw new UploadException.Failed("cannot read the run folder " + localDir + ": " + e.getMessage(), e);
        }
        log.info("Uploaded {} of {} file(s), {} bytes, to {} (all verified)", sent, files.size(), bytes, where);
        return new UploadResult(true, where, files.size(), sent, bytes, true, null);
    }

    /**
     * Proves the target is reachable and writable before a run touches any device: logs in (host key checked), creates
     * the target folder if needed, writes a small probe file, reads its size back and deletes it.
     *
     * @throws UploadException with the cause an operator can act on
     */
    public void probe() {
        String probe = "probe-" + HexFormat.of().formatHex(sha256Digest().digest(
                String.valueOf(System.nanoTime()).getBytes(StandardCharsets.UTF_8)), 0, 6);
        byte[] content = "netsnap preflight probe\n".getBytes(StandardCharsets.UTF_8);
        // a folder of each probe's own: two runs' preflights (two replicas) at once never remove each other's
        String probeFolder = PROBE_FOLDER + "-" + probe.substring("probe-".length());
        String where = display(probeFolder);
        try (Connection server = connect()) {
            // created the way a run's folder is (with its parents), and removed again
            FileObject folder = server.resolve(probeFolder);
            server.run("create folder " + where, false, () -> createFolder(folder));
            FileObject file = server.call("resolve " + where + "/" + probe, false, () -> folder.resolveFile(probe));
            try {
                server.run("write " + where + "/" + probe, true, () -> write(file, content));
                if (!server.call("read back " + where + "/" + probe, false, () -> sizeOf(file) == content.length)) {
                    throw new UploadException.VerificationFailed(where + "/" + probe
                            + " has the wrong size after writing");
                }
            } finally {
                discard(file);
                discard(folder);
            }
        }
    }

    /**
     * Creates the folder and its parents. VFS looks, then creates: when another run or replica creates the same folder
     * (the target, a date's folder) between the two, the creation fails although the folder is there; it is looked
     * at again, from the top, before that counts as a failure.
     */
    private static void createFolder(FileObject folder) throws FileSystemException {
        for (int attempt = 1; ; attempt++) {
            try {
                folder.createFolder();
                return;
            } catch (FileSystemException e) {
                for (FileObject level = folder; level != null; level = level.getParent()) {
                    level.refresh();
                }
                if (folder.getType() == FileType.FOLDER) {
                    return;
                }
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Removes the dated folders ({@code yyyy-MM-dd}) under the target that are older than {@code cutoff}.
     *
     * @return the names of the removed folders; empty when no target is configured
     */
    public List<String> removeFoldersBefore(LocalDate cutoff) {
        if (!enabled()) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        try (Connection server = connect()) {
            FileObject root = server.resolve("");
            if (!server.call("list " + display(""), false, root::exists)) {
                return List.of();
            }
            for (FileObject child : server.call("list " + display(""), false, root::getChildren)) {
                String name = child.getName().getBaseName();
                // only the dated folders netsnap made: never a file, never anything else in the target
                if (isDateBefore(name, cutoff) && server.call("type of " + display(name), false,
                        () -> child.getType() == FileType.FOLDER)) {
                    server.call("remove " + display(name), false, child::deleteAll);
                    removed.add(name);
                }
            }
        }
        if (!removed.isEmpty()) {
            log.info("Retention removed {} dated folder(s) from {}: {}", removed.size(), display(""), removed);
        }
        return removed;
    }

    /** Whether {@code name} is a {@code yyyy-MM-dd} date before {@code cutoff}. */
    public static boolean isDateBefore(String name, LocalDate cutoff) {
        try {
            return LocalDate.parse(name).isBefore(cutoff);
        } catch (DateTimeParseException notADate) {
            return false;
        }
    }

    private static boolean matches(FileObject remote, long size, String sha256) throws IOException {
        remote.refresh();
        if (!remote.exists() || remote.getType() != FileType.FILE || remote.getContent().getSize() != size) {
            return false;
        }
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(remote.getContent().getInputStream(), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest()).equals(sha256);
    }

    private static long sizeOf(FileObject remote) throws IOException {
        remote.refresh();
        return remote.exists() ? remote.getContent().getSize() : -1;
    }

    private static void write(FileObject part, byte[] content) throws IOException {
        try (OutputStream out = part.getContent().getOutputStream()) {
            out.write(content);
        }
    }

    /** Best effort: a failed attempt leaves no {@code .part} file behind when the server lets us remove it. */
    private static void discard(FileObject part) {
        try {
            part.refresh();
            part.delete();
        } catch (FileSystemException e) {
            log.warn("Could not remove {} after a failed upload: {}", part.getName().getPath(), e.getMessage());
        }
    }

    private static List<Path> localFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith(PART))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UploadException.Failed("cannot read the run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() {
        URI target = targetUri();
        if (target.getUserInfo() != null && target.getUserInfo().contains(":")) {
            throw new UploadException.Failed("netsnap.upload.target must not contain a password; put it in Vault"
                    + " at netsnap.upload.credentials", null);
        }
        if (properties.knownHosts() == null || !Files.isReadable(properties.knownHosts())) {
            throw new UploadException.HostKeyMismatch("netsnap.upload.known-hosts (" + properties.knownHosts()
                    + ") is not a readable known_hosts file: the host key of " + target.getHost()
                    + " cannot be verified", null);
        }
        if (properties.credentials() == null || properties.credentials().isBlank()) {
            throw new UploadException.Failed("netsnap.upload.credentials (a Vault path) is not set", null);
        }
        Credentials login;
        try {
            login = credentials.forPath(properties.credentials());
        } catch (CredentialsUnavailableException e) {
            // an upload failure like any other, so the run still applies retention and writes its report
            throw e.transientFault() ? new UploadException.Unreachable(e.getMessage(), null)
                    : new UploadException.AuthFailed(e.getMessage(), null);
        }
        String user = target.getUserInfo() != null ? target.getUserInfo() : login.username();

        FileSystemOptions options = new FileSystemOptions();
        SftpFileSystemConfigBuilder sftp = SftpFileSystemConfigBuilder.getInstance();
        try {
            sftp.setStrictHostKeyChecking(options, "yes");
        } catch (FileSystemException e) {
            throw new IllegalStateException(e);
        }
        sftp.setKnownHosts(options, properties.knownHosts().toFile());
        sftp.setUserDirIsRoot(options, false);
        sftp.setConnectTimeout(options, properties.timeout());
        sftp.setSessionTimeout(options, properties.timeout());
        // the backup account may have no shell; VFS would otherwise run "id" on the server to guess permissions
        sftp.setDisableDetectExecChannel(options, true);
        if (login.privateKey() != null) {
            sftp.setPreferredAuthentications(options, "publickey");
            sftp.setIdentityProvider(options,
                    new BytesIdentityInfo(login.privateKey().getBytes(StandardCharsets.UTF_8), null));
        } else {
            sftp.setPreferredAuthentications(options, "password");
            // no keys from ~/.ssh: the login is exactly what Vault holds
            sftp.setIdentityProvider(options);
            DefaultFileSystemConfigBuilder.getInstance().setUserAuthenticator(options,
                    new StaticUserAuthenticator(null, user, login.password()));
        }
        String base = "sftp://" + user + "@" + target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : "")
                + (target.getPath() == null || target.getPath().isEmpty() ? "/" : target.getPath());
        return new Connection(base, options, target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : ""),
                properties.knownHosts(), user);
    }

    private URI targetUri() {
        try {
            URI uri = URI.create(properties.target().trim());
            if (!"sftp".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected sftp://user@host:port/path");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            // Never quote the target (nor URI's message, which repeats it): it may hold a password by mistake.
            throw new UploadException.Failed("netsnap.upload.target is not a usable sftp://user@host:port/path URI",
                    null);
        }
    }

    /** The target folder as people see it: never a password. */
    private String display(String remotePath) {
        URI target = targetUri();
        String path = target.getPath() == null ? "" : target.getPath().replaceAll("/+$", "");
        return "sftp://" + target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : "") + path
                + (remotePath.isEmpty() ? "" : "/" + remotePath);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One SFTP session for one upload or retention pass; its own VFS manager, so nothing is cached across runs. */
    private static final class Connection implements AutoCloseable {

        private final DefaultFileSystemManager manager = new DefaultFileSystemManager();
        private final String base;
        private final FileSystemOptions options;
        private final SftpErrors errors;

        Connection(String base, FileSystemOptions options, String server, Path knownHosts, String user) {
            this.base = base.endsWith("/") ? base : base + "/";
            this.options = options;
            this.errors = new SftpErrors(server, knownHosts, user);
            try {
                manager.addProvider("sftp", new SftpFileProvider());
                manager.init();
            } catch (FileSystemException e) {
                throw new UploadException.Failed("cannot set up the SFTP client: " + e.getMessage(), e);
            }
        }

        FileObject resolve(String remotePath) {
            return call("connect", false, () -> manager.resolveFile(base + remotePath, options));
        }

        interface Step<T> {
            T call() throws IOException;
        }

        interface VoidStep {
            void run() throws IOException;
        }

        <T> T call(String what, boolean writing, Step<T> step) {
            try {
                return step.call();
            } catch (IOException | RuntimeException e) {
                if (e instanceof UploadException upload) {
                    throw upload;
                }
                throw errors.translate(what, writing, e);
            }
        }

        void run(String what, boolean writing, VoidStep step) {
            call(what, writing, () -> {
                step.run();
                return null;
            });
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
