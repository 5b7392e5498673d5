package io.netsnap.workflow;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.netsnap.archive.ArchiveException;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.BackupService;
import io.netsnap.backup.DeviceDecision;
import io.netsnap.backup.DeviceDecisions;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.Preflight;
import io.netsnap.backup.PreflightException;
import io.netsnap.backup.RunDelivery;
import io.netsnap.backup.RunHistory;
import io.netsnap.backup.RunPlan;
import io.netsnap.backup.RunReport;
import io.netsnap.backup.RunReports;
import io.netsnap.backup.RunScope;
import io.netsnap.backup.RunStart;
import io.netsnap.backup.UnknownReferenceException;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.Inventory;
import io.netsnap.inventory.InventoryException;
import io.netsnap.notify.Notifications;
import io.netsnap.upload.UploadException;
import io.netsnap.upload.UploadResult;

/** Job workers of network-backup and device-backup: each reads its variables, calls one service, returns figures. */
@Component
public class BackupWorkers {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BackupWorkers.class);
    private static final List<String> ANY_PLATFORM = List.of();

    private final RunStart starts;
    private final Preflight preflight;
    private final RunHistory history;
    private final RunDelivery delivery;
    private final RunReports reports;
    private final BackupService backups;
    private final DeviceDirectory directory;
    private final DeviceSteps steps;
    private final Faults faults;
    private final DeployedProcesses deployed;
    private final DeviceDrivers drivers;
    private final DeviceDecisions decisions;
    private final TaskCompletions completions;
    private final io.netsnap.backup.RunProperties runSettings;
    private final Notifications notifications;

    BackupWorkers(RunStart starts, Preflight preflight, RunHistory history, RunDelivery delivery, RunReports reports,
                  BackupService backups, DeviceDirectory directory, DeviceSteps steps, Faults faults,
                  DeployedProcesses deployed, DeviceDrivers drivers, DeviceDecisions decisions,
                  TaskCompletions completions, io.netsnap.backup.RunProperties runSettings,
                  Notifications notifications) {
        this.runSettings = runSettings;
        this.notifications = notifications;
        this.decisions = decisions;
        this.completions = completions;
        this.starts = starts;
        this.preflight = preflight;
        this.history = history;
        this.delivery = delivery;
        this.reports = reports;
        this.backups = backups;
        this.directory = directory;
        this.steps = steps;
        this.faults = faults;
        this.deployed = deployed;
        this.drivers = drivers;
    }

    /**
     * @param inventory   the inventory file the scope was resolved from (device steps read it from scope.json)
     * @param reason      why the run was started
     * @param requestedBy who started it, as the starter stated it ({@code null} when unknown)
     */
    public record Scope(String runId, String runDate, String startedAt, String inventory, String reason,
                        String requestedBy, int deviceCount) {
    }

    /**
     * Scope as the start form or the CLI gives it ({@code scope}: all, group or devices); all variables are absent
     * on the nightly timer start. The {@code inventory} variable may name only the configured inventory or a file
     * under a configured folder.
     */
    @JobWorker(type = Processes.JOB_RESOLVE_SCOPE,
            fetchVariables = {"scope", "group", "deviceNames", "inventory", "reason", "requestedBy"})
    public Scope resolveScope(ActivatedJob job, @Variable(optional = true) String scope,
                              @Variable(optional = true) String group, @Variable(optional = true) String deviceNames,
                              @Variable(optional = true) String inventory, @Variable(optional = true) String reason,
                              @Variable(optional = true) String requestedBy) {
        deployed.requireNetsnap(job);
        RunPlan.Start start = starts.start();
        RunPlan.Request request = RunPlan.Request.of(scope, reason, requestedBy);
        try {
            Inventory source = directory.inventory(inventory);
            List<Device> devices = starts.scope(source, scopeGroup(scope, group, source),
                    scopeNames(scope, deviceNames, source));
            starts.recordScope(start.folder(), new RunScope(start.folder().runId(), start.startedAt().toString(),
                    source.source().toString(), request.reason(), request.requestedBy(),
                    devices.stream().map(Device::name).toList()));
            log.info("Run {}: {} device(s) in scope, inventory {}, reason: {}", start.folder().runId(),
                    devices.size(), source.source(), request.reason());
            return new Scope(start.folder().runId(), start.folder().runDate().toString(),
                    start.startedAt().toString(), source.source().toString(), request.reason(),
                    request.requestedBy(), devices.size());
        } catch (InventoryException | ArchiveException e) {
            // an unusable inventory, or an archive where not even the run's scope can be recorded
            String code = e instanceof InventoryException ? Processes.ERROR_INVENTORY_INVALID
                    : Processes.ERROR_ARCHIVE_FAILED;
            log.warn("Run {} aborted before any device, {}: {}", start.folder().runId(), code, e.getMessage());
            Map<String, Object> variables = new HashMap<>();
            variables.put("runId", start.folder().runId());
            variables.put("runDate", start.folder().runDate().toString());
            variables.put("startedAt", start.startedAt().toString());
            variables.put("reason", request.reason());
            variables.put("requestedBy", request.requestedBy());
            throw faults.abort(code, e, variables);
        }
    }

    public record PreflightInput(String runId, String runDate, Boolean interactive) {
    }

    /** Preflight of the devices in the run's recorded scope, each as its inventory has it. */
    @JobWorker(type = Processes.JOB_PREFLIGHT, fetchVariables = {"runId", "runDate", "interactive"})
    public void preflight(ActivatedJob job, @VariablesAsType PreflightInput input) {
        deployed.requireNetsnap(job);
        RunScope scope = runScope(input.runId(), input.runDate());
        RunFolder run = new RunFolder(scope.runId(), LocalDate.parse(input.runDate()));
        try {
            List<String> problems = new ArrayList<>();
            List<Device> devices = new ArrayList<>();
            for (String name : scope.devices()) {
                try {
                    devices.add(directory.device(scope.inventory(), name));
                } catch (UnknownReferenceException e) {
                    problems.add(name + ": " + e.getMessage());
                }
            }
            preflight.check(devices, problems);
        } catch (PreflightException | InventoryException e) {
            List<String> problems = e instanceof PreflightException p ? p.problems()
                    : List.of(Faults.oneLine(e.getMessage()));
            // Not an error yet: a person decides (or, started from the CLI, the run ends with these lines).
            log.warn("Run {}: preflight found {} problem(s); {}", run.runId(), problems.size(),
                    Boolean.FALSE.equals(input.interactive()) ? "the run is aborted (started non-interactively)"
                            : "the run waits for network-operators to retry or abort (task preflight-failed)");
            throw faults.abort(Processes.ERROR_PREFLIGHT_FAILED, e, Map.of("preflightProblems", problems));
        }
    }

    /** The place of a device in the run's recorded scope, 1 for the first: what network-backup starts it with. */
    public record DeviceAt(String runId, String runDate, Integer deviceIndex) {
    }

    /**
     * @param deviceName the device's name, which every later step looks up again
     * @param device     what Operate shows about it, and the branch the model takes ({@code device.kind})
     */
    public record Resolved(String deviceName, DeviceVariable device) {
    }

    /**
     * The first step of a device-backup: network-backup starts one per place in the run's scope, so that its own
     * instance carries no list of devices however large the fleet. The name is netsnap's record of the run's scope
     * at that place, the rest the run's inventory.
     */
    @JobWorker(type = Processes.JOB_RESOLVE_DEVICE, fetchVariables = {"runId", "runDate", "deviceIndex"})
    public Resolved resolveDevice(ActivatedJob job, @VariablesAsType DeviceAt input) {
        DeviceJob place = new DeviceJob(input.runId(), input.runDate(), null, null);
        String name = steps.nameAt(job, place, input.deviceIndex());
        return steps.run(job, new DeviceJob(input.runId(), input.runDate(), name, null), ANY_PLATFORM,
                (run, device) -> new Resolved(device.name(),
                        DeviceVariable.of(device, drivers.traits(device.platform()).orElse(null))));
    }

    public record Backup(DeviceResult result) {
    }

    @JobWorker(type = Processes.JOB_BACKUP_DEVICE,
            fetchVariables = {"runId", "runDate", "deviceName"}, timeout = 20 * 60 * 1000L)
    public Backup backupDevice(ActivatedJob job, @VariablesAsType DeviceJob input) {
        return steps.run(job, input, ANY_PLATFORM, (run, device) -> new Backup(backups.backup(run, device)));
    }

    /** {@code contexts} is empty for a single-context device, which the model then backs up whole. */
    public record Discovery(List<String> contexts, boolean multipleContexts) {
    }

    @JobWorker(type = Processes.JOB_DISCOVER_CONTEXTS,
            fetchVariables = {"runId", "runDate", "deviceName"}, timeout = 20 * 60 * 1000L)
    public Discovery discoverContexts(ActivatedJob job, @VariablesAsType DeviceJob input) {
        return steps.run(job, input, ANY_PLATFORM, (run, device) -> {
            List<String> contexts = backups.discoverContexts(run, device);
            return new Discovery(contexts, !contexts.isEmpty());
        });
    }

    public record ContextBackup(DeviceResult contextResult) {
    }

    @JobWorker(type = Processes.JOB_BACKUP_CONTEXT,
            fetchVariables = {"runId", "runDate", "deviceName", "context"}, timeout = 20 * 60 * 1000L)
    public ContextBackup backupContext(ActivatedJob job, @VariablesAsType DeviceJob input) {
        return steps.run(job, input, ANY_PLATFORM,
                (run, device) -> new ContextBackup(backups.backupContext(run, device, input.context())));
    }

    public record ContextsInput(String runId, String runDate, String deviceName, List<DeviceResult> contextResults) {
    }

    /**
     * @param blocked whether every failed context failed in a way no retry mends (blocked, or a forged context), so
     *                that the model asks nobody about the device
     */
    public record ContextsSummary(DeviceResult result, boolean blocked) {
    }

    @JobWorker(type = Processes.JOB_SUMMARIZE_CONTEXTS,
            fetchVariables = {"runId", "runDate", "deviceName", "contextResults"})
    public ContextsSummary summarizeContexts(ActivatedJob job, @VariablesAsType ContextsInput input) {
        DeviceJob device = new DeviceJob(input.runId(), input.runDate(), input.deviceName(), null);
        return steps.run(job, device, ANY_PLATFORM, (run, found) -> {
            DeviceResult result = backups.summarizeContexts(run, found,
                    input.contextResults() == null ? List.of() : input.contextResults());
            List<DeviceResult> failed = result.files().stream().filter(r -> !r.ok()).toList();
            return new ContextsSummary(result, !failed.isEmpty() && failed.stream()
                    .allMatch(r -> Faults.BLOCKING.contains(r.error()) || Faults.REFUSED.contains(r.error())));
        });
    }

    public record DecisionInput(String runId, String runDate, String deviceName, DeviceResult result,
                                Integer attempts, String deviceDecision, String deviceDecisionCompletion) {
    }

    public record Decided(String deviceDecision) {
    }

    /**
     * Records who decided what on {@code device-backup-failed}. The decision and the person are taken from netsnap's
     * record of the task's completion; only a task completed outside netsnap (Tasklist, the API) is taken from the
     * variable, and then recorded as decided by nobody netsnap knows. Anything but {@code retry} skips.
     */
    @JobWorker(type = Processes.JOB_RECORD_DEVICE_DECISION, fetchVariables = {"runId", "runDate", "deviceName",
            "result", "attempts", "deviceDecision", "deviceDecisionCompletion"})
    public Decided recordDeviceDecision(ActivatedJob job, @VariablesAsType DecisionInput input) {
        DeviceJob device = new DeviceJob(input.runId(), input.runDate(), input.deviceName(), null);
        return steps.run(job, device, ANY_PLATFORM, (run, found) -> {
            java.util.Optional<TaskCompletion> completion = input.deviceDecisionCompletion() == null
                    ? java.util.Optional.empty() : completions.byId(input.deviceDecisionCompletion())
                    .filter(c -> c.processInstanceKey() == job.getProcessInstanceKey()
                            && Processes.USER_TASK_DEVICE_FAILED.equals(c.elementId()));
            String asked = completion.map(c -> c.values().get("decision")).orElse(input.deviceDecision());
            String decision = DeviceDecision.RETRY.equals(asked) ? DeviceDecision.RETRY : DeviceDecision.SKIP;
            String by = completion.map(TaskCompletion::user).orElse(null);
            String error = input.result() == null ? null : input.result().error();
            DeviceDecision taken = new DeviceDecision(found.name(), error,
                    input.attempts() == null ? 1 : input.attempts(), decision, by, Instant.now().toString());
            decisions.record(run, taken);
            log.info("Run {}: {}", run.runId(), taken.line());
            return new Decided(decision);
        });
    }

    public record Escalated(String runWindow) {
    }

    /**
     * The run window passed: the escalation is logged and sent on every notification channel; the model then gives
     * network-operators a task. The run itself goes on. The window is netsnap's setting, never a variable.
     */
    @JobWorker(type = Processes.JOB_ESCALATE_RUN, fetchVariables = {"runId", "runDate", "startedAt"})
    public Escalated escalateRun(ActivatedJob job, @Variable(optional = true) String runId,
                                 @Variable(optional = true) String runDate,
                                 @Variable(optional = true) String startedAt) {
        deployed.requireNetsnap(job);
        java.time.Duration window = runSettings.window();
        if (runId == null || runDate == null) {
            log.warn("Network backup instance {} has not ended within {} and has not resolved its scope yet;"
                    + " network-operators have a task", job.getProcessInstanceKey(), window);
            return new Escalated(window.toString());
        }
        RunScope scope = runScope(runId, runDate); // only a run netsnap started
        RunFolder run = new RunFolder(scope.runId(), LocalDate.parse(runDate));
        log.warn("Run {} has not ended within {} (started {}); network-operators have a task; the run goes on",
                run.runId(), window, scope.startedAt());
        notifications.runOverdue(run, window, Instant.parse(scope.startedAt()));
        return new Escalated(window.toString());
    }

    /**
     * Run end: what is new in the run's report goes out on every configured channel. Reads {@code report.json},
     * which netsnap wrote; never fails the run.
     */
    @JobWorker(type = Processes.JOB_NOTIFY_RUN_END, fetchVariables = {"runId", "runDate"})
    public void notifyRunEnd(ActivatedJob job, @Variable(optional = true) String runId,
                             @Variable(optional = true) String runDate) {
        deployed.requireNetsnap(job);
        RunFolder run;
        try {
            run = new DeviceJob(runId, runDate, null, null).run();
        } catch (UnknownReferenceException e) {
            throw io.camunda.client.exception.CamundaError.jobError(e.getMessage(), Map.of(), 0);
        }
        notifications.runEnded(run);
    }

    record Commit(String historyCommit) {
    }

    public record CommitInput(String runId, String runDate, String reason, String requestedBy) {
    }

    /** The archive commits only files this run stored itself; the manifest lists the results the run recorded. */
    @JobWorker(type = Processes.JOB_COMMIT_HISTORY, fetchVariables = {"runId", "runDate", "reason", "requestedBy"})
    public Commit commitHistory(ActivatedJob job, @VariablesAsType CommitInput input) {
        deployed.requireNetsnap(job);
        runScope(input.runId(), input.runDate()); // only a run netsnap started
        RunFolder run = new RunFolder(input.runId(), LocalDate.parse(input.runDate()));
        return new Commit(history.commit(run, new RunPlan.Request(input.reason(), input.requestedBy())));
    }

    /** {@code upload.uploaded} is false, without error, when no upload target is configured. */
    public record Upload(UploadResult upload) {
    }

    @JobWorker(type = Processes.JOB_UPLOAD_RUN, fetchVariables = {"runId", "runDate"}, timeout = 60 * 60 * 1000L)
    public Upload uploadRun(ActivatedJob job, @Variable String runId, @Variable String runDate) {
        deployed.requireNetsnap(job);
        RunFolder run = new RunFolder(runId, LocalDate.parse(runDate));
        try {
            return new Upload(delivery.upload(run));
        } catch (UploadException e) {
            throw faults.forUpload(job, run.runDate() + "/" + run.runId(), e);
        }
    }

    public record RetentionApplied(RunDelivery.Retention retention) {
    }

    /** Counted from today, never from a variable: a forged date would make everything look expired. */
    @JobWorker(type = Processes.JOB_APPLY_RETENTION, fetchVariables = "runId")
    public RetentionApplied applyRetention(ActivatedJob job) {
        deployed.requireNetsnap(job);
        return new RetentionApplied(delivery.applyRetention(LocalDate.now()));
    }

    public record Outcome(String outcome, RunReport.Counts counts, String exportDir) {
    }

    /**
     * {@code historyCommit} is absent when the run was aborted before any device, {@code upload} too. The devices'
     * results are the run's record of them, never a variable.
     */
    public record ReportInput(String runId, String runDate, String startedAt, String historyCommit,
                              String abortReason, UploadResult upload, String reason, String requestedBy) {
    }

    @JobWorker(type = Processes.JOB_WRITE_REPORT, fetchVariables = {"runId", "runDate", "startedAt",
            "historyCommit", "abortReason", "upload", "reason", "requestedBy"})
    public Outcome writeReport(ActivatedJob job, @VariablesAsType ReportInput input) {
        deployed.requireNetsnap(job);
        RunReport report = reports.report(new RunFolder(input.runId(), LocalDate.parse(input.runDate())),
                Instant.parse(input.startedAt()), input.historyCommit(), input.abortReason(), input.upload(),
                new RunPlan.Request(input.reason(), input.requestedBy()));
        return new Outcome(report.outcome(), report.counts(), report.exportDir());
    }

    /**
     * A scope that names nothing must not turn into "every device": a blank group or an empty device list is an
     * error, as is a scope this version does not know.
     */
    private static String scopeGroup(String scope, String group, Inventory inventory) {
        if (scope != null && !scope.isBlank() && !List.of("all", "group", "devices").contains(scope)) {
            throw inventory.scopeProblem("unknown scope '" + scope + "' (all, group or devices)");
        }
        if (!"group".equals(scope)) {
            return null;
        }
        if (group == null || group.isBlank()) {
            throw inventory.scopeProblem("scope is 'group' but no group was given");
        }
        return group.trim();
    }

    private static List<String> scopeNames(String scope, String deviceNames, Inventory inventory) {
        if (!"devices".equals(scope)) {
            return List.of();
        }
        List<String> names = names(deviceNames);
        if (names.isEmpty()) {
            throw inventory.scopeProblem("scope is 'devices' but no device name was given");
        }
        return names;
    }

    /**
     * The recorded scope of a run that netsnap started; any other run reference (a start of network-backup inside
     * the model with a made-up or copied id) fails the job for good with one clear line: an incident, not a run.
     */
    private RunScope runScope(String runId, String runDate) {
        try {
            return directory.scope(new DeviceJob(runId, runDate, null, null).run());
        } catch (UnknownReferenceException e) {
            throw io.camunda.client.exception.CamundaError.jobError(e.getMessage(), Map.of(), 0);
        }
    }

    private static List<String> names(String deviceNames) {
        if (deviceNames == null || deviceNames.isBlank()) {
            return List.of();
        }
        return Arrays.stream(deviceNames.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }
}
