package io.netsnap.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveException;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;
import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.device.DeviceException;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.Inventory;
import io.netsnap.inventory.InventoryLoader;
import io.netsnap.preflight.PreflightCheck;
import io.netsnap.upload.RunUploader;
import io.netsnap.upload.UploadException;
import io.netsnap.upload.UploadResult;

/** The steps of a run around the device backups: scope, preflight, history commit, report. */
@Service
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);
    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BackupProperties properties;
    private final DeviceDrivers drivers;
    private final CredentialsProvider credentials;
    private final Archive archive;
    private final RunUploader uploader;
    private final List<PreflightCheck> checks;

    public RunService(BackupProperties properties, DeviceDrivers drivers, CredentialsProvider credentials,
                      Archive archive, RunUploader uploader, List<PreflightCheck> checks) {
        this.properties = properties;
        this.drivers = drivers;
        this.credentials = credentials;
        this.archive = archive;
        this.uploader = uploader;
        this.checks = List.copyOf(checks);
    }

    /** Loads and validates the inventory; every problem is reported at once, before any connection. */
    public Inventory loadInventory(Path file) {
        return new InventoryLoader(drivers.defaultPorts()).load(file != null ? file : properties.inventory());
    }

    /** Gives a new run its id, start time and export folder. */
    public RunPlan.Start start() {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
        String runId = RUN_STAMP.format(now) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        return new RunPlan.Start(new RunFolder(runId, now.toLocalDate()), now.toInstant());
    }

    /**
     * Resolves the run's scope from the inventory.
     *
     * @param inventory the run's inventory
     * @param group     a group to back up, or {@code null}
     * @param names     device names to back up; all devices when empty and no group is given
     * @throws io.netsnap.inventory.InventoryException naming the unknown group and every unknown device
     */
    public List<Device> scope(Inventory inventory, String group, Collection<String> names) {
        return inventory.select(group, names);
    }

    /**
     * Records the run's scope in its folder, before anything is checked or contacted: device steps accept only a run
     * that has one, and only its devices.
     */
    public void recordScope(RunFolder run, RunScope scope) {
        archive.writeRunState(run, RunScope.FILE, scope);
    }

    /**
     * Checks what would otherwise fail halfway, before any device is touched, and reports every problem at once: a
     * driver for every platform; Vault reachable, unsealed and the token valid; every distinct credentials path
     * readable and complete; one login per credentials path, on the first device in scope that uses it; then every
     * {@link PreflightCheck} bean (the archive, and whatever other targets are plugged in).
     *
     * @param devices the devices in scope, as the inventory has them
     * @param known     problems found before, e.g. devices in scope that the inventory does not have
     * @throws PreflightException listing every problem, each naming the path, device or target
     */
    public void preflight(List<Device> devices, List<String> known) {
        List<String> problems = new ArrayList<>(known);
        for (Device device : devices) {
            if (drivers.forPlatform(device.platform()).isEmpty()) {
                problems.add(device.name() + ": no driver for platform '" + device.platform() + "'");
            }
        }
        problems.addAll(credentialProblems(devices));
        for (PreflightCheck check : checks) {
            problems.addAll(check.problems(devices));
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> log.info("Preflight: {}", problem));
            throw new PreflightException(problems);
        }
        log.info("Preflight passed for {} device(s)", devices.size());
    }

    private List<String> credentialProblems(List<Device> devices) {
        try {
            credentials.check();
        } catch (CredentialsUnavailableException e) {
            // Without Vault every path would fail the same way: one line says it all.
            return List.of(e.getMessage());
        }
        Map<String, List<Device>> users = new LinkedHashMap<>();
        devices.forEach(device -> users.computeIfAbsent(device.credentials(), path -> new ArrayList<>()).add(device));
        List<String> problems = new ArrayList<>();
        users.forEach((path, pathDevices) -> {
            Credentials login;
            try {
                login = credentials.forPath(path);
            } catch (CredentialsUnavailableException e) {
                problems.add(e.getMessage());
                return;
            }
            // One login per path. A device that cannot be reached says nothing about the credentials: try the next
            // one, and leave that device to its own backup, where it fails alone and is retried.
            for (Device device : pathDevices) {
                Optional<DeviceDriver> driver = drivers.forPlatform(device.platform());
                if (driver.isEmpty()) {
                    continue;
                }
                try {
                    driver.get().verifyLogin(device, login);
                    log.info("Preflight: credentials {} log in to {}", path, device.name());
                    return;
                } catch (DeviceException.Authentication e) {
                    problems.add("credentials " + path + " tried on " + e.getMessage());
                    return;
                } catch (DeviceException e) {
                    log.warn("Preflight: credentials {} not tried on {}: {}", path, device.name(), e.detail());
                }
            }
            log.warn("Preflight: no device using credentials {} could be reached; their backups will tell", path);
        });
        return problems;
    }

    /**
     * Commits what the run stored to the history; returns the commit the run ends on. The files come from the run's
     * own record of what it stored, not from {@code results}, which only names the failed devices for the manifest.
     * A run is committed once: asked again (a retry, or a start at the commit task of an old run) it answers with
     * the commit it made then, so an old run can never be committed over a newer one.
     */
    public String commit(RunFolder run, List<DeviceResult> results, RunPlan.Request request) {
        Optional<Committed> earlier = archive.readRunState(run, COMMITTED, Committed.class);
        if (earlier.isPresent()) {
            log.info("Run {} was committed before, at {}; not again", run.runId(), earlier.get().commit());
            return earlier.get().commit();
        }
        List<StoredConfig> stored = archive.storedInRun(run);
        List<String> changed = stored.stream().filter(StoredConfig::changed)
                .map(config -> config.historyPath().replaceFirst("\\.cfg$", "")).toList();
        String message = "netsnap run " + run.runId() + ": " + changed.size() + " changed\n\nReason: "
                + request.reason() + "\nRequested by: " + requestedBy(request)
                + (changed.isEmpty() ? "" : "\nChanged: " + String.join(", ", changed));
        String commit = archive.commitRun(run, stored, message).orElseGet(archive::headCommit);
        archive.writeRunState(run, COMMITTED, new Committed(commit));
        // written now so that the upload, which comes next, carries it
        archive.writeRunDocument(run, "manifest.json", manifest(run, results, archive.secretsMasked(), request));
        return commit;
    }

    private static final String COMMITTED = "committed.json";

    /** The run's commit, as recorded in its state. */
    public record Committed(String commit) {
    }

    /**
     * Uploads the run's export folder to {@code netsnap.upload.target}; {@link UploadResult#skipped()} when none
     * is configured.
     *
     * @throws UploadException when the upload fails
     */
    public UploadResult upload(RunFolder run) {
        return uploader.upload(archive.runDirectory(run), remotePath(run));
    }

    /**
     * Removes dated exports older than {@code netsnap.archive.retention}, locally and on the backup server. A
     * failure on the server is reported, not thrown: the next run tries again.
     */
    public Retention applyRetention(java.time.LocalDate today) {
        java.time.LocalDate cutoff = archive.retentionCutoff(today);
        List<String> local = archive.removeExportsBefore(cutoff);
        try {
            return new Retention(cutoff.toString(), local, uploader.removeFoldersBefore(cutoff), null);
        } catch (UploadException e) {
            log.warn("Retention on the backup server failed: {}: {}", e.code(), e.getMessage());
            return new Retention(cutoff.toString(), local, List.of(), e.code() + ": " + e.getMessage());
        }
    }

    /**
     * What retention removed.
     *
     * @param cutoff dated folders before this day were removed
     * @param local  dates removed from the archive
     * @param remote dates removed from the backup server
     * @param error  {@code CODE: message} when the server could not be cleaned, otherwise {@code null}
     */
    public record Retention(String cutoff, List<String> local, List<String> remote, String error) {
    }

    private static String remotePath(RunFolder run) {
        return run.runDate() + "/" + run.runId();
    }

    /** Writes {@code manifest.json} and {@code report.json} into the run's export folder. */
    public RunReport report(RunFolder run, Instant startedAt, List<DeviceResult> results, String historyCommit,
                            String abortReason, UploadResult upload, RunPlan.Request request) {
        Optional<RunReport> earlier = archive.readRunDocument(run, "report.json", RunReport.class);
        if (earlier.isPresent()) {
            // A run is reported once: a retry, or a start at the report task of an earlier run, gets that report.
            log.info("Run {} was reported before; its report stands", run.runId());
            return earlier.get();
        }
        RunReport.Counts counts = RunReport.Counts.of(results);
        String outcome = abortReason != null ? RunReport.ABORTED
                : counts.failed() > 0 ? RunReport.PARTIAL : RunReport.OK;
        Path exportDir = archive.root().relativize(archive.runDirectory(run));
        RunReport report = new RunReport(run.runId(), outcome, startedAt, Instant.now(), request.reason(),
                request.requestedBy(), counts, historyCommit, exportDir.toString(), abortReason, results, upload);
        try {
            archive.writeRunDocument(run, "manifest.json", manifest(run, results, archive.secretsMasked(), request));
            archive.writeRunDocument(run, "report.json", report);
        } catch (ArchiveException e) {
            if (abortReason == null) {
                throw e;
            }
            // An unwritable archive may be why the run was aborted: the run still ends, with its reason in the
            // process variables and the log, rather than as an incident.
            log.warn("Run {} aborted and its report could not be written: {}", run.runId(), e.getMessage());
        }
        if (upload != null && upload.uploaded()) {
            // the report is written after the upload: send it too (only what differs from the server is sent)
            try {
                uploader.upload(archive.runDirectory(run), remotePath(run));
            } catch (UploadException e) {
                log.warn("Run {}: report.json not uploaded: {}: {}", run.runId(), e.code(), e.getMessage());
            }
        }
        log.info("Run {} {}: {} ok, {} failed, {} changed", run.runId(), outcome, counts.ok(), counts.failed(),
                counts.changed());
        return report;
    }

    /** As the history commit states it: what the starter said, or that nobody said. */
    private static String requestedBy(RunPlan.Request request) {
        return request.requestedBy() == null ? "not stated (the engine does not tell workers who started a run)"
                : request.requestedBy() + " (as stated at the start)";
    }

    private static Map<String, Object> manifest(RunFolder run, List<DeviceResult> results, boolean secretsMasked,
                                                RunPlan.Request request) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (DeviceResult result : results.stream().flatMap(r -> r.files().stream()).toList()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("device", result.device());
            entry.put("context", result.context());
            entry.put("status", result.status());
            entry.put("file", result.file() == null ? null : Path.of(result.file()).getFileName().toString());
            entry.put("sha256", result.sha256());
            entry.put("bytes", result.ok() ? result.bytes() : null);
            entry.put("error", result.error());
            files.add(entry);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("runId", run.runId());
        manifest.put("runDate", run.runDate().toString());
        manifest.put("reason", request.reason());
        manifest.put("requestedBy", request.requestedBy());
        // A restore must refuse files whose secrets were masked: they would push "<removed>" to a device.
        manifest.put("secretsMasked", secretsMasked);
        manifest.put("files", files);
        return manifest;
    }
}
