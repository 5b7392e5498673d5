package io.netsnap.workflow;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.BackupService;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.PreflightException;
import io.netsnap.backup.RunPlan;
import io.netsnap.backup.RunReport;
import io.netsnap.backup.RunService;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.InventoryException;
import io.netsnap.upload.UploadException;
import io.netsnap.upload.UploadResult;

/** Job workers of network-backup and device-backup: each reads its variables, calls one service, returns figures. */
@Component
public class BackupWorkers {

    private final RunService runs;
    private final BackupService backups;
    private final Faults faults;

    BackupWorkers(RunService runs, BackupService backups, Faults faults) {
        this.runs = runs;
        this.backups = backups;
        this.faults = faults;
    }

    public record Scope(String runId, String runDate, String startedAt, List<DeviceVariable> devices, int deviceCount) {
    }

    /**
     * Scope as the start form or the CLI gives it ({@code scope}: all, group or devices); all variables are absent
     * on the nightly timer start.
     */
    @JobWorker(type = Processes.JOB_RESOLVE_SCOPE, fetchVariables = {"scope", "group", "deviceNames", "inventory"})
    public Scope resolveScope(@Variable(optional = true) String scope, @Variable(optional = true) String group,
                       @Variable(optional = true) String deviceNames, @Variable(optional = true) String inventory) {
        RunPlan.Start start = runs.start();
        try {
            List<Device> devices = runs.scope(inventory == null || inventory.isBlank() ? null : Path.of(inventory),
                    "group".equals(scope) ? group.trim() : null,
                    "devices".equals(scope) ? names(deviceNames) : List.of());
            return new Scope(start.folder().runId(), start.folder().runDate().toString(),
                    start.startedAt().toString(), devices.stream().map(DeviceVariable::of).toList(), devices.size());
        } catch (InventoryException e) {
            throw faults.abort(Processes.ERROR_INVENTORY_INVALID, e, Map.of("runId", start.folder().runId(),
                    "runDate", start.folder().runDate().toString(), "startedAt", start.startedAt().toString()));
        }
    }

    public record PreflightInput(List<DeviceVariable> devices) {
    }

    @JobWorker(type = Processes.JOB_PREFLIGHT, fetchVariables = "devices")
    public void preflight(@VariablesAsType PreflightInput input) {
        try {
            runs.preflight(input.devices().stream().map(DeviceVariable::toDevice).toList());
        } catch (PreflightException e) {
            // The list goes to the person task and the CLI, one line per problem; the messages hold no secret.
            throw faults.abort(Processes.ERROR_PREFLIGHT_FAILED, e, Map.of("preflightProblems", e.problems()));
        }
    }

    public record Backup(DeviceResult result) {
    }

    @JobWorker(type = Processes.JOB_BACKUP_DEVICE, fetchVariables = {"runId", "runDate", "device"},
            timeout = 20 * 60 * 1000L)
    public Backup backupDevice(ActivatedJob job, @Variable String runId, @Variable String runDate,
                        @Variable DeviceVariable device) {
        try {
            return new Backup(backups.backup(new RunFolder(runId, LocalDate.parse(runDate)), device.toDevice()));
        } catch (RuntimeException e) {
            throw faults.forDevice(job, device, null, e, failed -> backups.reportFailure(runId, failed));
        }
    }

    /** {@code contexts} is empty for a single-context device, which the model then backs up whole. */
    public record Discovery(List<String> contexts, boolean multipleContexts) {
    }

    @JobWorker(type = Processes.JOB_DISCOVER_CONTEXTS, fetchVariables = {"runId", "device"},
            timeout = 20 * 60 * 1000L)
    public Discovery discoverContexts(ActivatedJob job, @Variable String runId, @Variable DeviceVariable device) {
        try {
            List<String> contexts = backups.discoverContexts(device.toDevice());
            return new Discovery(contexts, !contexts.isEmpty());
        } catch (RuntimeException e) {
            throw faults.forDevice(job, device, null, e, failed -> backups.reportFailure(runId, failed));
        }
    }

    public record ContextBackup(DeviceResult contextResult) {
    }

    @JobWorker(type = Processes.JOB_BACKUP_CONTEXT, fetchVariables = {"runId", "runDate", "device", "context"},
            timeout = 20 * 60 * 1000L)
    public ContextBackup backupContext(ActivatedJob job, @Variable String runId, @Variable String runDate,
                                       @Variable DeviceVariable device, @Variable String context) {
        try {
            return new ContextBackup(backups.backupContext(new RunFolder(runId, LocalDate.parse(runDate)),
                    device.toDevice(), context));
        } catch (RuntimeException e) {
            throw faults.forDevice(job, device, context, e, failed -> backups.reportFailure(runId, failed));
        }
    }

    public record ContextsInput(String runId, DeviceVariable device, List<DeviceResult> contextResults) {
    }

    @JobWorker(type = Processes.JOB_SUMMARIZE_CONTEXTS, fetchVariables = {"runId", "device", "contextResults"})
    public Backup summarizeContexts(@VariablesAsType ContextsInput input) {
        return new Backup(backups.summarizeContexts(input.runId(), input.device().toDevice(),
                input.contextResults()));
    }

    record Commit(String historyCommit) {
    }

    public record CommitInput(String runId, String runDate, List<DeviceResult> results) {
    }

    @JobWorker(type = Processes.JOB_COMMIT_HISTORY, fetchVariables = {"runId", "runDate", "results"})
    public Commit commitHistory(@VariablesAsType CommitInput input) {
        return new Commit(runs.commit(new RunFolder(input.runId(), LocalDate.parse(input.runDate())),
                input.results()));
    }

    /** {@code upload.uploaded} is false, without error, when no upload target is configured. */
    public record Upload(UploadResult upload) {
    }

    @JobWorker(type = Processes.JOB_UPLOAD_RUN, fetchVariables = {"runId", "runDate"}, timeout = 60 * 60 * 1000L)
    public Upload uploadRun(ActivatedJob job, @Variable String runId, @Variable String runDate) {
        RunFolder run = new RunFolder(runId, LocalDate.parse(runDate));
        try {
            return new Upload(runs.upload(run));
        } catch (UploadException e) {
            throw faults.forUpload(job, run.runDate() + "/" + run.runId(), e);
        }
    }

    public record RetentionApplied(RunService.Retention retention) {
    }

    @JobWorker(type = Processes.JOB_APPLY_RETENTION, fetchVariables = "runDate")
    public RetentionApplied applyRetention(@Variable String runDate) {
        return new RetentionApplied(runs.applyRetention(LocalDate.parse(runDate)));
    }

    public record Outcome(String outcome, RunReport.Counts counts, String exportDir) {
    }

    /**
     * {@code results} and {@code historyCommit} are absent when the run was aborted before any device, {@code upload}
     * too.
     */
    public record ReportInput(String runId, String runDate, String startedAt, List<DeviceResult> results,
                       String historyCommit, String abortReason, UploadResult upload) {
    }

    @JobWorker(type = Processes.JOB_WRITE_REPORT,
            fetchVariables = {"runId", "runDate", "startedAt", "results", "historyCommit", "abortReason", "upload"})
    public Outcome writeReport(@VariablesAsType ReportInput input) {
        RunReport report = runs.report(new RunFolder(input.runId(), LocalDate.parse(input.runDate())),
                Instant.parse(input.startedAt()), input.results() == null ? List.of() : input.results(),
                input.historyCommit(), input.abortReason(), input.upload());
        return new Outcome(report.outcome(), report.counts(), report.exportDir());
    }

    private static List<String> names(String deviceNames) {
        if (deviceNames == null || deviceNames.isBlank()) {
            return List.of();
        }
        return Arrays.stream(deviceNames.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }
}
