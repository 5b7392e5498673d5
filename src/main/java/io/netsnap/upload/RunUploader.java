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
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
        return send(localDir, remotePath, localFiles(localDir));
    }

    /**
     * Uploads only the named files of {@code localDir} (a run's report, written after the run was uploaded), the same
     * way: a file already there with the same size and sha256 is not sent again.
     *
     * @param names file names relative to {@code localDir}; those that do not exist are left out
     */
    public UploadResult upload(Path localDir, String remotePath, List<String> names) {
        if (!enabled()) {
            return UploadResult.skipped();
        }
        List<Path> files = names.stream().map(localDir::resolve).filter(Files::isRegularFile).sorted().toList();
        return send(localDir, remotePath, files);
    }

    /**
     * The files, over up to {@code netsnap.upload.sessions} SFTP sessions at once, each taking the next file when done
     * with one: the server's round trips, not the bytes, are what a large run's upload waits for. The first session
     * creates the folder and lists what is already there; a further session that cannot log in only leaves its share
     * to the others. The first failure is what the upload ends in: it stops the other sessions at once, and the
     * {@code .part} files they had begun are removed through a session of their own.
     */
    private UploadResult send(Path localDir, String remotePath, List<Path> files) {
        String where = display(remotePath);
        Queue<Path> pending = new ConcurrentLinkedQueue<>(files);
        Tally tally = new Tally();
        try (Connection server = connect()) {
            FileObject folder = server.resolve(remotePath);
            server.run("create folder " + where, false, () -> createFolder(folder));
            Set<String> present = server.call("list " + where, false, () -> names(folder));
            int more = Math.min(properties.sessions(), files.size()) - 1;
            List<Thread> helpers = new ArrayList<>();
            for (int i = 0; i < more; i++) {
                helpers.add(Thread.ofPlatform().name("netsnap-upload-" + (i + 1)).daemon().start(() -> {
                    if (tally.failed()) {
                        return;
                    }
                    try (Connection another = connect()) {
                        FileObject itsFolder = another.resolve(remotePath);
                        tally.run(another, () -> sendEach(another, itsFolder, localDir, where, present, pending, tally));
                    } catch (UploadException e) {
                        log.debug("A further upload session to {} could not start ({}: {}); the others go on",
                                where, e.code(), e.getMessage());
                    }
                }));
            }
            tally.run(server, () -> sendEach(server, folder, localDir, where, present, pending, tally));
            for (Thread helper : helpers) {
                helper.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException.Failed("interrupted while uploading to " + where, e);
        }
        if (tally.failed()) {
            removeParts(remotePath, where, tally.parts);
        }
        tally.rethrow();
        if (!pending.isEmpty()) {
            throw new UploadException.Failed(pending.size() + " file(s) of " + localDir + " were not sent", null);
        }
        log.info("Uploaded {} of {} file(s), {} bytes, to {} (all verified)", tally.sent.get(), files.size(),
                tally.bytes.get(), where);
        return new UploadResult(true, where, files.size(), tally.sent.get(), tally.bytes.get(), true, null);
    }

    /** Takes files until none is left or a session failed. */
    private static void sendEach(Connection server, FileObject folder, Path localDir, String where, Set<String> present,
                                 Queue<Path> pending, Tally tally) {
        for (Path file = pending.poll(); file != null && !tally.failed(); file = pending.poll()) {
            String relative = localDir.relativize(file).toString().replace('\\', '/');
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UploadException.Failed("cannot read the run folder " + localDir + ": " + e.getMessage(), e);
            }
            if (sendOne(server, folder, relative, where + "/" + relative, content,
                    present.contains(relative.split("/", 2)[0]), tally.parts)) {
                tally.sent.incrementAndGet();
                tally.bytes.addAndGet(content.length);
            }
        }
    }

    /**
     * One file: {@code .part}, read back, renamed, its size checked. {@code false} when the server has it already
     * (looked at only when the folder's listing named it, or the folder it is in). {@code parts} holds the
     * {@code .part} file while it exists.
     */
    private static boolean sendOne(Connection server, FileObject folder, String relative, String remoteName,
                                   byte[] content, boolean maybeThere, Set<String> parts) {
        String sha256 = sha256(content);
        FileObject remote = server.call("resolve " + remoteName, false, () -> folder.resolveFile(relative));
        if (maybeThere && server.call("check " + remoteName, false, () -> matches(remote, content.length, sha256))) {
            log.debug("{} is already on the server", remoteName);
            return false;
        }
        FileObject part = server.call("resolve " + remoteName + PART, false, () -> folder.resolveFile(relative + PART));
        parts.add(relative + PART);
        try {
            server.run("write " + remoteName + PART, true, () -> write(part, content));
            if (!server.call("verify " + remoteName + PART, false, () -> matches(part, content.length, sha256))) {
                throw new UploadException.VerificationFailed(remoteName + PART + " read back from the server"
                        + " differs from the local file (size or sha256)");
            }
            server.run("rename " + remoteName + PART, false, () -> part.moveTo(remote));
        } catch (UploadException e) {
            if (server.discard(part)) {
                parts.remove(relative + PART);
            }
            throw e;
        }
        parts.remove(relative + PART);
        if (!server.call("verify " + remoteName, false, () -> sizeOf(remote) == content.length)) {
            throw new UploadException.VerificationFailed(remoteName + " has the wrong size after the rename");
        }
        return true;
    }

    /** After a failure: the {@code .part} files a stopped session could not remove itself, through a new session. */
    private void removeParts(String remotePath, String where, Set<String> parts) {
        if (parts.isEmpty()) {
            return;
        }
        try (Connection cleanup = connect()) {
            FileObject folder = cleanup.resolve(remotePath);
            for (String part : parts) {
                cleanup.discard(cleanup.call("resolve " + where + "/" + part, false, () -> folder.resolveFile(part)));
            }
        } catch (UploadException e) {
            log.warn("Could not remove {} unfinished file(s) from {} after the failed upload: {}: {}", parts.size(),
                    where, e.code(), e.getMessage());
        }
    }

    /** The names in a remote folder, as listed now. */
    private static Set<String> names(FileObject folder) throws FileSystemException {
        folder.refresh();
        Set<String> names = new HashSet<>();
        for (FileObject child : folder.getChildren()) {
            names.add(child.getName().getBaseName());
        }
        return names;
    }

    /** What the sessions of one upload sent, the {@code .part} files they have begun, and the first failure. */
    private static final class Tally {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final Set<String> parts = ConcurrentHashMap.newKeySet();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final List<Connection> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();

        boolean failed() {
            return failure.get() != null;
        }

        /** Runs one session's share; its failure, if the first, stops the others where they wait. */
        void run(Connection session, Runnable work) {
            sessions.add(session);
            try {
                work.run();
            } catch (RuntimeException e) {
                if (failure.compareAndSet(null, e)) {
                    sessions.stream().filter(other -> other != session)
                            .forEach(other -> other.abort("stopped: another upload session failed"));
                }
            } finally {
                sessions.remove(session);
            }
        }

        void rethrow() {
            RuntimeException first = failure.get();
            if (first != null) {
                throw first;
            }
        }
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
                server.discard(file);
                server.discard(folder);
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

    /**
     * Writes the file and waits for the server's answers. A refused write leaves the stream open on purpose: JSch has
     * taken the server's answer by then, and closing would wait for it again, for ever (the session ends with the
     * failed upload, and with it the server's handle).
     */
    private static void write(FileObject part, byte[] content) throws IOException {
        OutputStream out = part.getContent().getOutputStream();
        out.write(content);
        out.flush();
        out.close();
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
                properties.knownHosts(), user, properties.timeout());
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

    /**
     * One SFTP session for one upload or retention pass; its own VFS manager, so nothing is cached across runs. Every
     * step waits at most {@code netsnap.upload.timeout} for the server: JSch waits for an answer without a limit (and,
     * after the server refused a write, can wait for one that never comes), so a watchdog interrupts the wait and the
     * step fails as {@code UNREACHABLE}.
     */
    private static final class Connection implements AutoCloseable {

        private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("netsnap-upload-watchdog").daemon().factory());

        private final DefaultFileSystemManager manager = new DefaultFileSystemManager();
        private final String base;
        private final FileSystemOptions options;
        private final SftpErrors errors;
        private final Duration timeout;
        private volatile Watch current;
        private volatile String aborted;

        Connection(String base, FileSystemOptions options, String server, Path knownHosts, String user,
                   Duration timeout) {
            this.base = base.endsWith("/") ? base : base + "/";
            this.options = options;
            this.errors = new SftpErrors(server, knownHosts, user);
            this.timeout = timeout;
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
            if (aborted != null) {
                throw new UploadException.Unreachable(aborted, null);
            }
            Watch watch = new Watch(Thread.currentThread());
            current = watch;
            ScheduledFuture<?> timer = WATCHDOG.schedule(() -> watch.fire("no answer from the server to '" + what
                    + "' within " + timeout.toSeconds() + " s"), timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return step.call();
            } catch (IOException | RuntimeException e) {
                String stopped = watch.disarm();
                if (stopped != null && interrupted(e)) {
                    throw new UploadException.Unreachable(stopped, e);
                }
                if (e instanceof UploadException upload) {
                    throw upload;
                }
                throw errors.translate(what, writing, e);
            } finally {
                timer.cancel(false);
                watch.disarm();
                current = null;
            }
        }

        void run(String what, boolean writing, VoidStep step) {
            call(what, writing, () -> {
                step.run();
                return null;
            });
        }

        /** Ends the step under way, if any, and refuses every later one. */
        void abort(String why) {
            aborted = why;
            Watch watch = current;
            if (watch != null) {
                watch.fire(why);
            }
        }

        /**
         * Best effort: a failed attempt leaves no {@code .part} file behind when the server lets us remove it.
         *
         * @return whether the file is gone
         */
        boolean discard(FileObject part) {
            try {
                run("remove " + part.getName().getPath(), false, () -> {
                    part.refresh();
                    part.delete();
                });
                return true;
            } catch (UploadException e) {
                log.warn("Could not remove {} after a failed upload: {}", part.getName().getPath(), e.getMessage());
                return false;
            }
        }

        /** Whether the step ended because its wait was interrupted, rather than with an answer of its own. */
        private static boolean interrupted(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.io.InterruptedIOException || cause instanceof InterruptedException
                        || cause instanceof java.nio.channels.ClosedByInterruptException) {
                    return true;
                }
            }
            return false;
        }

        /** Logs out; a server that does not answer that either is left after the timeout. */
        @Override
        public void close() {
            Watch watch = new Watch(Thread.currentThread());
            ScheduledFuture<?> timer = WATCHDOG.schedule(() -> watch.fire("logout"), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                manager.close();
            } finally {
                timer.cancel(false);
                watch.disarm();
            }
        }
    }

    /** One step's watchdog: fires at most once, and only while the step is still under way. */
    private static final class Watch {
        private final Thread thread;
        private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(
                true);
        private volatile String reason;

        Watch(Thread thread) {
            this.thread = thread;
        }

        void fire(String why) {
            if (armed.compareAndSet(true, false)) {
                reason = why;
                thread.interrupt();
            }
        }

        /** Ends the watch; why it fired, if it did (its interrupt is cleared), otherwise {@code null}. */
        String disarm() {
            if (armed.compareAndSet(true, false)) {
                return null;
            }
            Thread.interrupted();
            return reason;
        }
    }
}
