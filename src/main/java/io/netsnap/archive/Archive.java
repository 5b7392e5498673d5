package io.netsnap.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;

/**
 * The archive: a git history with one normalized file per device (one commit per run), and dated export folders
 * that people and backup servers read. Every file is written to a temporary name and moved into place, so a crash or
 * a full disk never leaves a half-written file under a final name.
 */
@Component
public class Archive implements DisposableBean {

    private final boolean secretsMasked;
    private final java.time.Period retention;
    private static final Logger log = LoggerFactory.getLogger(Archive.class);
    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final PersonIdent NETSNAP = new PersonIdent("netsnap", "netsnap@localhost");

    private final Path root;
    private final Path historyDir;
    private final ObjectMapper json;
    /**
     * One writer at a time in this JVM, per history (the file lock keeps a second process out, but a JVM holds a file's
     * lock once: two archives on one root in one JVM, as two replicas in a test, would otherwise collide on it).
     */
    private static final java.util.Map<Path, ReentrantLock> HISTORY_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ReentrantLock historyLock;
    private Git git;

    public Archive(ArchiveProperties properties) {
        this.secretsMasked = properties.maskSecrets();
        this.retention = properties.retention();
        this.root = properties.root().toAbsolutePath().normalize();
        this.historyDir = root.resolve("history");
        this.historyLock = HISTORY_LOCKS.computeIfAbsent(historyDir, key -> new ReentrantLock());
        this.json = new ObjectMapper().findAndRegisterModules()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /**
     * Whether configurations are stored with their secrets masked ({@code netsnap.archive.mask-secrets}); such
     * versions are for reading, not for restoring, and each run's manifest says so.
     */
    public boolean secretsMasked() {
        return secretsMasked;
    }

    public Path root() {
        return root;
    }

    public Path historyDir() {
        return historyDir;
    }

    /** Preflight: the archive root exists (or can be created) and accepts a write. */
    public void checkWritable() {
        try {
            // Write and delete a probe where run exports go, not only at the root: that is where a run writes.
            Path runs = root.resolve("runs");
            Files.createDirectories(runs);
            Path probe = Files.createTempFile(runs, ".write-check", ".tmp");
            Files.delete(probe);
            history();
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveException("archive root " + root + " is not writable: " + e.getMessage(), e);
        }
    }

    /**
     * Where a device's configuration lives in the history: {@code DEVICE.cfg}, or {@code DEVICE/CONTEXT.cfg} for one
     * context of a multiple-context device (ASA).
     *
     * @param context context name, or {@code null} for the device itself
     */
    public static String historyPath(String device, String context) {
        return context == null ? device + ".cfg" : device + "/" + context + ".cfg";
    }

    /**
     * Writes a device's normalized configuration into the run's export folder and compares it with the history. The
     * device's platform is kept with it, so that reading the history later (masking a diff, choosing a driver to
     * restore with) needs no inventory.
     *
     * @param platform the device's platform key, e.g. {@code ios}
     * @param context  ASA context name, or {@code null} for the device itself
     */
    public StoredConfig store(RunFolder run, String device, String platform, String context, String normalized,
                              LocalDateTime fetchedAt) {
        if (platform == null || !PLATFORM.matcher(platform).matches()) {
            throw new IllegalArgumentException(device + ": platform '" + platform + "' is not a platform key");
        }
        String historyPath = historyPath(device, context);
        String exportName = device + (context == null ? "" : "_" + context) + "_" + FILE_STAMP.format(fetchedAt)
                + ".cfg";
        String exportFile = run.relativePath() + "/" + exportName;
        byte[] bytes = normalized.getBytes(StandardCharsets.UTF_8);
        writeAtomically(root.resolve(exportFile), bytes);
        String previous = lastCommitted(historyPath).orElse(null);
        int added = 0;
        int removed = 0;
        if (previous == null) {
            added = lines(normalized).size();
        } else if (!previous.equals(normalized)) {
            for (AbstractDelta<String> delta : DiffUtils.diff(lines(previous), lines(normalized)).getDeltas()) {
                removed += delta.getSource().size();
                added += delta.getTarget().size();
            }
        }
        StoredConfig stored = new StoredConfig(historyPath, exportFile, sha256(bytes), bytes.length,
                !normalized.equals(previous), added, removed);
        // the run's own record of what it stored: the commit takes its files from here, not from process variables
        writeRunState(run, STORED + "/" + historyPath.replace('/', '_') + ".json", stored);
        writeRunState(run, deviceRecordPath(device), new DeviceRecord(platform, secretsMasked));
        return stored;
    }

    private static final String STORED = "stored";
    /**
     * Per device, what the history needs besides its configuration: {@code .devices/DEVICE.json}, in the run's state
     * and, from its commit on, in the history. A device's name cannot start with a dot, so no device's file or
     * context folder can take this name.
     */
    private static final String DEVICES = ".devices";
    private static final java.util.regex.Pattern PLATFORM = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private static String deviceRecordPath(String device) {
        return DEVICES + "/" + device + ".json";
    }

    /**
     * The platform a device had when a run last stored it, as its commit recorded it.
     *
     * @return empty when the history has no record of the device (not backed up yet, or only by a netsnap that did
     *         not record platforms)
     */
    public Optional<String> platformOf(String device) {
        String path = deviceRecordPath(device);
        return lastCommitted(path).map(text -> {
            try {
                return json.readValue(text, DeviceRecord.class).platform();
            } catch (IOException e) {
                throw new ArchiveException("cannot read " + path + " in the history at " + historyDir + ": "
                        + e.getMessage(), e);
            }
        });
    }

    /**
     * Whether the device's configuration in version {@code revision} was stored with its secrets masked, as the run
     * that stored it recorded. A restore refuses such a version: it would push the mask in place of the secrets.
     *
     * @return empty when the version has no record of it (stored by a netsnap that did not record it)
     * @throws ArchiveException when the revision is unknown
     */
    public Optional<Boolean> secretsMaskedAt(String revision, String device) {
        String path = deviceRecordPath(device);
        return textAt(revision, path).map(text -> {
            try {
                return json.readValue(text, DeviceRecord.class).secretsMasked();
            } catch (IOException e) {
                throw new ArchiveException("cannot read " + path + " at " + revision + " in the history at "
                        + historyDir + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * The contexts a multiple-context device is kept as at the history's last commit ({@code DEVICE/CONTEXT.cfg}).
     *
     * @return the context names, empty for a device kept as one file or not at all
     */
    public List<String> contextsOf(String device) {
        try {
            Repository repo = history().getRepository();
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                return List.of();
            }
            try (RevWalk walk = new RevWalk(repo);
                 TreeWalk folder = TreeWalk.forPath(repo, device, walk.parseCommit(head).getTree())) {
                if (folder == null || !folder.isSubtree()) {
                    return List.of();
                }
                List<String> contexts = new ArrayList<>();
                try (TreeWalk files = new TreeWalk(repo)) {
                    files.addTree(folder.getObjectId(0));
                    while (files.next()) {
                        String name = files.getNameString();
                        if (!files.isSubtree() && name.endsWith(".cfg")) {
                            contexts.add(name.substring(0, name.length() - ".cfg".length()));
                        }
                    }
                }
                return contexts;
            }
        } catch (IOException e) {
            throw new ArchiveException("cannot read the history at " + historyDir + ": " + e.getMessage(), e);
        }
    }

    /** Everything this run stored, one entry per history file (the latest store wins). */
    public List<StoredConfig> storedInRun(RunFolder run) {
        Path ledger = stateDirectory(run).resolve(STORED);
        if (!Files.isDirectory(ledger)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(ledger)) {
            List<StoredConfig> stored = new ArrayList<>();
            for (Path entry : entries.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                read(entry, StoredConfig.class).ifPresent(stored::add);
            }
            return stored;
        } catch (IOException e) {
            throw new ArchiveException("cannot read what run " + run.runId() + " stored (" + ledger + "): "
                    + e.getMessage(), e);
        }
    }

    /** The text of {@code historyPath} at the history's last commit, if there is one. */
    public Optional<String> lastCommitted(String historyPath) {
        try {
            Repository repo = history().getRepository();
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                return Optional.empty();
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(head);
                try (TreeWalk tree = TreeWalk.forPath(repo, historyPath, commit.getTree())) {
                    if (tree == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new ArchiveException("cannot read the history at " + historyDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records a run in the history: each stored file is copied to its history path and all of them are committed in
     * one commit. Leftovers of a run that crashed before its commit are discarded first.
     *
     * @return the new commit id, or empty when nothing changed (no commit is made)
     */
    public Optional<String> commitRun(RunFolder run, List<StoredConfig> stored, String message) {
        return commit(run, stored, message, false);
    }

    /**
     * Records a restore in the history: like {@link #commitRun}, but the commit is made even when no configuration
     * changed (a rejected restore, a rollback that left the device as it was), so that every restore has its
     * record, its message, in the history.
     *
     * @return the new commit id
     */
    public String commitRecord(RunFolder run, List<StoredConfig> stored, String message) {
        return commit(run, stored, message, true).orElseThrow();
    }

    private Optional<String> commit(RunFolder run, List<StoredConfig> stored, String message, boolean always) {
        String runId = run.runId();
        // Every entry must be a file this run stored, under the name store() gives it, with the content it recorded,
        // before anything is copied into the history (the run's ledger is on disk, where others may write too).
        stored.forEach(config -> requireStoredByRun(run, config));
        historyLock.lock();
        try {
            Git repo = history();
            try (FileChannel lockFile = FileChannel.open(historyDir.resolve(".git/netsnap.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                return commitLocked(repo, run, stored, message, always);
            }
        } catch (IOException | GitAPIException e) {
            throw new ArchiveException("cannot commit run " + runId + " to the history at " + historyDir + ": "
                    + e.getMessage(), e);
        } finally {
            historyLock.unlock();
        }
    }

    private Optional<String> commitLocked(Git repo, RunFolder run, List<StoredConfig> stored, String message,
                                          boolean always) throws IOException, GitAPIException {
        String runId = run.runId();
        recoverFromCrash(repo);
        // one add for the whole run: each add reads and writes the whole index, once per file would grow with the
        // square of the fleet
        org.eclipse.jgit.api.AddCommand add = repo.add();
        for (StoredConfig config : stored) {
            Path target = historyDir.resolve(config.historyPath());
            writeAtomically(target, Files.readAllBytes(root.resolve(config.exportFile())));
            add.addFilepattern(config.historyPath());
        }
        // each device's record as this run stored it; a run stored before records existed has none to give
        for (String device : stored.stream().map(config -> deviceOf(config.historyPath())).distinct().toList()) {
            Optional<DeviceRecord> record = readRunState(run, deviceRecordPath(device), DeviceRecord.class);
            if (record.isPresent()) {
                writeAtomically(historyDir.resolve(deviceRecordPath(device)), json.writeValueAsBytes(record.get()));
                add.addFilepattern(deviceRecordPath(device));
            }
        }
        if (!stored.isEmpty()) {
            add.call();
        }
        Status status = repo.status().call();
        // compare the index with HEAD only: an untracked file is not a configuration change
        if (!always && status.getAdded().isEmpty() && status.getChanged().isEmpty()
                && status.getRemoved().isEmpty()) {
            log.info("Run {}: no configuration changed, history stays at {}", runId, head(repo));
            return Optional.empty();
        }
        // a PersonIdent carries its time: the constant's would date every commit at class loading
        PersonIdent netsnap = new PersonIdent(NETSNAP, java.time.Instant.now(), java.time.ZoneOffset.UTC);
        RevCommit commit = repo.commit().setMessage(message).setAuthor(netsnap).setCommitter(netsnap)
                .setAllowEmpty(always).setSign(false).call();
        log.info("Run {}: history commit {}", runId, commit.getName());
        return Optional.of(commit.getName());
    }

    private static final java.util.regex.Pattern HISTORY_PATH = java.util.regex.Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9._-]*)(?:/([A-Za-z0-9][A-Za-z0-9_-]*))?\\.cfg");
    private static final String STAMP_SUFFIX = "_\\d{8}_\\d{6}\\.cfg";

    /** {@code EDGE-RTR-01} of {@code EDGE-RTR-01.cfg} and of {@code EDGE-RTR-01/DMZ.cfg}. */
    private static String deviceOf(String historyPath) {
        int slash = historyPath.indexOf('/');
        return slash >= 0 ? historyPath.substring(0, slash)
                : historyPath.substring(0, historyPath.length() - ".cfg".length());
    }

    private void requireStoredByRun(RunFolder run, StoredConfig config) {
        java.util.regex.Matcher path = HISTORY_PATH.matcher(String.valueOf(config.historyPath()));
        String export = String.valueOf(config.exportFile());
        String folder = run.relativePath() + "/";
        boolean valid = path.matches() && !config.historyPath().contains("..") && export.startsWith(folder)
                && export.substring(folder.length()).matches(java.util.regex.Pattern.quote(path.group(1)
                        + (path.group(2) == null ? "" : "_" + path.group(2))) + STAMP_SUFFIX);
        if (!valid) {
            throw new ArchiveException("run " + run.runId() + ": refusing to commit '" + printable(export) + "' as '"
                    + printable(config.historyPath()) + "': not a file this run stored (the results variable was"
                    + " changed?); nothing was committed", null);
        }
        String actual;
        try {
            actual = sha256(Files.readAllBytes(root.resolve(export)));
        } catch (IOException e) {
            throw new ArchiveException("run " + run.runId() + ": cannot read " + export + " to commit it: " + e, e);
        }
        if (!actual.equals(config.sha256())) {
            throw new ArchiveException("run " + run.runId() + ": refusing to commit " + export + ": its sha256 is "
                    + actual + ", the run reported " + printable(String.valueOf(config.sha256()))
                    + "; nothing was committed", null);
        }
    }

    private static String printable(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
    }

    /**
     * Every version of one history file, newest first: the commits that changed it.
     *
     * @param historyPath e.g. {@code EDGE-RTR-01.cfg} or {@code ASA-FW-01/DMZ.cfg}
     */
    public List<Version> versions(String historyPath) {
        try {
            Git repo = history();
            if (repo.getRepository().resolve(Constants.HEAD) == null) {
                return List.of();
            }
            List<Version> versions = new java.util.ArrayList<>();
            for (RevCommit commit : repo.log().addPath(historyPath).call()) {
                versions.add(new Version(commit.getName(), commit.getAuthorIdent().getWhenAsInstant(),
                        commit.getShortMessage()));
            }
            return versions;
        } catch (IOException | GitAPIException e) {
            throw new ArchiveException("cannot read the history at " + historyDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The commit a revision names (a commit id, or a unique prefix of one), with its time and first line.
     *
     * @return empty when the history has no such commit
     */
    public Optional<Version> version(String revision) {
        try {
            Repository repo = history().getRepository();
            ObjectId id = repo.resolve(revision + "^{commit}");
            if (id == null) {
                return Optional.empty();
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(id);
                return Optional.of(new Version(commit.getName(), commit.getAuthorIdent().getWhenAsInstant(),
                        commit.getShortMessage()));
            }
        } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * The text of {@code historyPath} at {@code revision} (a commit id, or any prefix of one that is unique).
     *
     * @return empty when the file does not exist in that version
     * @throws ArchiveException when the revision is unknown
     */
    public Optional<String> textAt(String revision, String historyPath) {
        try {
            Repository repo = history().getRepository();
            ObjectId id = repo.resolve(revision + "^{commit}");
            if (id == null) {
                throw new ArchiveException("no version '" + revision + "' in the history at " + historyDir, null);
            }
            try (RevWalk walk = new RevWalk(repo);
                 TreeWalk tree = TreeWalk.forPath(repo, historyPath, walk.parseCommit(id).getTree())) {
                return tree == null ? Optional.empty()
                        : Optional.of(new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
            throw new ArchiveException("no version '" + revision + "' in the history at " + historyDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * What changed in one history file between two versions, secrets masked.
     *
     * @param from a commit id or a unique prefix; {@code null} for the file's version before {@code to}
     * @param to   a commit id or a unique prefix; {@code null} for the file's latest version
     * @param mask the platform's masking
     * @return empty when there are not two versions to compare
     * @throws ArchiveException when a revision is unknown
     */
    public Optional<MaskedDiff> diff(String historyPath, String from, String to,
                                     java.util.function.UnaryOperator<String> mask) {
        List<Version> versions = versions(historyPath);
        String toRevision = to != null ? to : versions.isEmpty() ? null : versions.get(0).commit();
        String fromRevision = from != null ? from : previous(versions, toRevision);
        if (toRevision == null || fromRevision == null) {
            return Optional.empty();
        }
        String name = historyPath.replaceFirst("\\.cfg$", "");
        return Optional.of(MaskedDiff.between(label(name, fromRevision),
                textAt(fromRevision, historyPath).orElse(""), label(name, toRevision),
                textAt(toRevision, historyPath).orElse(""), mask));
    }

    /** The version before {@code revision} in the file's own history, matched by commit id prefix. */
    private static String previous(List<Version> versions, String revision) {
        for (int i = 0; i < versions.size() - 1; i++) {
            if (revision != null && versions.get(i).commit().startsWith(revision)) {
                return versions.get(i + 1).commit();
            }
        }
        return null;
    }

    private static String label(String name, String revision) {
        return name + "@" + revision.substring(0, Math.min(12, revision.length()));
    }

    /** The last day whose dated exports retention keeps is the day after this cutoff. */
    public LocalDate retentionCutoff(LocalDate today) {
        return today.minus(retention);
    }

    /**
     * Removes the dated export folders ({@code runs/<yyyy-MM-dd>/}) older than {@code cutoff}. The history is not
     * touched.
     *
     * @return the removed dates, oldest first
     */
    public List<String> removeExportsBefore(LocalDate cutoff) {
        return removeExportsBefore(cutoff, run -> false);
    }

    /**
     * As {@link #removeExportsBefore(LocalDate)}, but the state of the runs {@code keepState} names stays until a
     * later call: what they recorded is still needed (copies on a server that could not be cleaned yet).
     *
     * @return the removed dates of export folders, oldest first
     */
    public List<String> removeExportsBefore(LocalDate cutoff, java.util.function.Predicate<RunFolder> keepState) {
        List<String> removed = removeDaysBefore(root.resolve("runs"), cutoff);
        Path states = root.resolve("state/runs");
        try {
            for (RunFolder run : stateRunsBefore(cutoff)) {
                if (!keepState.test(run)) {
                    deleteTree(stateDirectory(run));
                }
            }
            // what remains of a day: kept runs, or folders that are no run of netsnap's; a day left empty goes
            for (String day : listNames(states)) {
                Path folder = states.resolve(day);
                if (isDayBefore(day, cutoff) && Files.isDirectory(folder) && listNames(folder).isEmpty()) {
                    Files.delete(folder);
                }
            }
        } catch (IOException e) {
            throw new ArchiveException("cannot apply retention under " + states + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * The runs dated before {@code cutoff} whose state holds the folder {@code folder}, oldest first.
     *
     * @param folder a sub-folder of a run's state, e.g. {@code remote-copies}
     */
    public List<RunFolder> runsWithStateBefore(LocalDate cutoff, String folder) {
        requirePlainName(folder);
        try {
            return stateRunsBefore(cutoff).stream()
                    .filter(run -> Files.isDirectory(stateDirectory(run).resolve(folder))).toList();
        } catch (IOException e) {
            throw new ArchiveException("cannot list the run state under " + root.resolve("state/runs") + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The JSON documents of one folder of the run's state, by file name ({@code MC-01.json}), in name order.
     *
     * @return empty when the run has no such folder
     * @throws ArchiveException when the folder or one of its documents cannot be read
     */
    public <T> java.util.SortedMap<String, T> readRunStates(RunFolder run, String folder, Class<T> type) {
        requirePlainName(folder);
        Path dir = stateDirectory(run).resolve(folder);
        java.util.SortedMap<String, T> documents = new java.util.TreeMap<>();
        try {
            for (String name : listNames(dir)) {
                if (name.endsWith(".json") && !name.startsWith(".")) {
                    read(dir.resolve(name), type).ifPresent(document -> documents.put(name, document));
                }
            }
        } catch (IOException e) {
            throw new ArchiveException("cannot read the state of run " + run.runId() + " (" + dir + "): "
                    + e.getMessage(), e);
        }
        return documents;
    }

    /** Runs in {@code state/runs/} dated before {@code cutoff}; folders that are no run's are left out. */
    private List<RunFolder> stateRunsBefore(LocalDate cutoff) throws IOException {
        Path states = root.resolve("state/runs");
        List<RunFolder> runs = new ArrayList<>();
        for (String day : listNames(states)) {
            if (isDayBefore(day, cutoff)) {
                for (String runId : listNames(states.resolve(day))) {
                    try {
                        RunFolder run = new RunFolder(runId, LocalDate.parse(day));
                        if (Files.isDirectory(stateDirectory(run))) {
                            runs.add(run);
                        }
                    } catch (IllegalArgumentException notARun) {
                        // a name no run id can have: not netsnap's
                    }
                }
            }
        }
        return runs;
    }

    /** The names in a folder, sorted; empty when it is no folder. */
    private static List<String> listNames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    private static void requirePlainName(String folder) {
        if (folder == null || !folder.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || folder.contains("..")) {
            throw new IllegalArgumentException("'" + folder + "' is not a plain folder name");
        }
    }

    private List<String> removeDaysBefore(Path runs, LocalDate cutoff) {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> days = Files.list(runs)) {
            List<Path> expired = days.filter(Files::isDirectory)
                    .filter(day -> isDayBefore(day.getFileName().toString(), cutoff)).sorted().toList();
            for (Path day : expired) {
                deleteTree(day);
            }
            if (!expired.isEmpty()) {
                log.info("Retention removed {} dated export folder(s) before {}", expired.size(), cutoff);
            }
            return expired.stream().map(day -> day.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new ArchiveException("cannot apply retention under " + runs + ": " + e.getMessage(), e);
        }
    }

    private static boolean isDayBefore(String name, LocalDate cutoff) {
        try {
            return LocalDate.parse(name).isBefore(cutoff);
        } catch (java.time.format.DateTimeParseException notADay) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The history's current commit id, or {@code null} before the first commit. */
    public String headCommit() {
        try {
            return head(history());
        } catch (IOException e) {
            throw new ArchiveException("cannot read the history at " + historyDir + ": " + e.getMessage(), e);
        }
    }

    /** Writes a text file (a masked diff for people) into the run's export folder. */
    public Path writeRunText(RunFolder run, String name, String text) {
        Path target = root.resolve(run.relativePath()).resolve(name);
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /** Writes a JSON document into the run's export folder. */
    public Path writeRunDocument(RunFolder run, String name, Object document) {
        Path target = root.resolve(run.relativePath()).resolve(name);
        try {
            writeAtomically(target, json.writeValueAsBytes(document));
        } catch (IOException e) {
            throw new ArchiveException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /**
     * Where netsnap keeps what it knows about a run for itself, apart from the export folder that people and the
     * backup server read: {@code state/runs/<date>/<runId>/}. Device steps trust what is here, never a variable.
     */
    private Path stateDirectory(RunFolder run) {
        return root.resolve("state").resolve(run.relativePath());
    }

    /** Writes a JSON document into netsnap's own state folder ({@code state/}), outside any run. */
    public void writeState(String name, Object document) {
        Path target = root.resolve("state").resolve(name);
        try {
            writeAtomically(target, json.writeValueAsBytes(document));
        } catch (IOException e) {
            throw new ArchiveException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads a JSON document of netsnap's own state folder; empty when there is none. */
    public <T> Optional<T> readState(String name, Class<T> type) {
        return read(root.resolve("state").resolve(name), type);
    }

    /** Writes a JSON document into the run's state folder. */
    public void writeRunState(RunFolder run, String name, Object document) {
        Path target = stateDirectory(run).resolve(name);
        try {
            writeAtomically(target, json.writeValueAsBytes(document));
        } catch (IOException e) {
            throw new ArchiveException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a JSON document of the run's state folder.
     *
     * @return empty when the run has no such document
     * @throws ArchiveException when it exists but cannot be read
     */
    public <T> Optional<T> readRunState(RunFolder run, String name, Class<T> type) {
        return read(stateDirectory(run).resolve(name), type);
    }

    private <T> Optional<T> read(Path source, Class<T> type) {
        if (!Files.isRegularFile(source)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(source.toFile(), type));
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a JSON document of the run's export folder.
     *
     * @return empty when the run has no such document
     * @throws ArchiveException when it exists but cannot be read
     */
    public <T> Optional<T> readRunDocument(RunFolder run, String name, Class<T> type) {
        return read(root.resolve(run.relativePath()).resolve(name), type);
    }

    public Path runDirectory(RunFolder run) {
        return root.resolve(run.relativePath());
    }

    private static String head(Git repo) throws IOException {
        ObjectId head = repo.getRepository().resolve(Constants.HEAD);
        return head == null ? null : head.getName();
    }

    /**
     * A crash between writing files and committing leaves a stale index lock, modified or staged files and
     * temporary {@code *.part} files: undo all of them, so the run commits exactly what it stored.
     */
    private void recoverFromCrash(Git repo) throws IOException, GitAPIException {
        Path indexLock = historyDir.resolve(".git/index.lock");
        if (Files.deleteIfExists(indexLock)) {
            log.warn("Removed a stale {} left by an interrupted run", indexLock);
        }
        if (repo.getRepository().resolve(Constants.HEAD) != null) {
            repo.reset().setMode(ResetCommand.ResetType.HARD).call();
        } else {
            // nothing to reset to before the first commit: drop what a crashed first run staged
            Files.deleteIfExists(historyDir.resolve(".git/index"));
        }
        repo.clean().setCleanDirectories(true).call();
    }

    private synchronized Git history() throws IOException {
        if (git == null) {
            Files.createDirectories(historyDir);
            try {
                git = Files.isDirectory(historyDir.resolve(".git")) ? Git.open(historyDir.toFile())
                        : Git.init().setDirectory(historyDir.toFile()).setInitialBranch("main").call();
            } catch (GitAPIException e) {
                throw new IOException("cannot create a git repository: " + e.getMessage(), e);
            }
        }
        return git;
    }

    private static void writeAtomically(Path target, byte[] bytes) {
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new ArchiveException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void destroy() {
        if (git != null) {
            git.close();
        }
    }
}
