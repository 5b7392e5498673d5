package io.netsnap.workflow;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.netsnap.restore.PreparedRestore;
import io.netsnap.restore.RestoreRefusedException;
import io.netsnap.restore.RestoreService;

/**
 * Job workers of config-restore. Each step names the restore by its id and lets {@link RestoreService} decide from
 * netsnap's own records; the variables they return are for people (Operate, the forms). The approver is who
 * completed the approval task last, as netsnap recorded it ({@link TaskCompletions}), with the decision that person
 * set: no variable can name another approver or turn a rejection into an approval.
 */
@Component
public class RestoreWorkers {

    private static final long DEVICE_STEP_TIMEOUT = 20 * 60 * 1000L;

    private final RestoreService restores;
    private final Faults faults;
    private final DeployedProcesses deployed;
    private final TaskCompletions completions;

    RestoreWorkers(RestoreService restores, Faults faults, DeployedProcesses deployed,
                   TaskCompletions completions) {
        this.restores = restores;
        this.faults = faults;
        this.deployed = deployed;
        this.completions = completions;
    }

    @JobWorker(type = Processes.JOB_RESTORE_PREPARE, fetchVariables = "restoreId", timeout = DEVICE_STEP_TIMEOUT)
    public Map<String, Object> prepare(ActivatedJob job, @Variable(optional = true) String restoreId) {
        deployed.requireNetsnap(job);
        try {
            RestoreService.Prepared prepared = restores.prepare(restoreId);
            PreparedRestore diff = prepared.prepared();
            int max = restores.properties().maxDiffLines();
            List<String> lines = diff.maskedDiff();
            String shown = String.join("\n", lines.size() > max ? lines.subList(0, max) : lines);
            if (lines.size() > max) {
                shown += "\n... " + (lines.size() - max) + " more line(s): the whole masked diff is in "
                        + prepared.reportPath();
            }
            Map<String, Object> variables = new HashMap<>();
            variables.put("restoreId", restoreId);
            variables.put("deviceName", diff.device());
            variables.put("context", diff.context());
            variables.put("platform", diff.platform());
            variables.put("version", diff.version());
            variables.put("versionDate", prepared.versionAt() == null ? null : prepared.versionAt().toString());
            variables.put("requester", prepared.intake().requester());
            variables.put("requestedAt", prepared.intake().requestedAt());
            variables.put("ticket", prepared.intake().ticket());
            variables.put("reason", prepared.intake().reason());
            variables.put("emergency", prepared.intake().emergency());
            variables.put("candidateSha256", diff.candidateSha256());
            variables.put("liveSha256", diff.liveSha256());
            variables.put("linesAdded", diff.linesAdded());
            variables.put("linesRemoved", diff.linesRemoved());
            variables.put("maskedDiff", shown);
            variables.put("approvalTimeout", restores.properties().approvalTimeout().toString());
            variables.put("approvalProblem", null);
            return variables;
        } catch (RuntimeException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_RESTORE_REFUSED, e, true,
                    (code, message) -> restores.refused(restoreId, code, message));
        }
    }

    public record Decided(String approvalOutcome, String approvalProblem, String approver) {
    }

    @JobWorker(type = Processes.JOB_RESTORE_DECIDE, fetchVariables = "restoreId")
    public Decided decide(ActivatedJob job, @Variable(optional = true) String restoreId) {
        deployed.requireNetsnap(job);
        try {
            TaskCompletion completion = completions.latest(job.getProcessInstanceKey(),
                    Processes.USER_TASKS_RESTORE_APPROVAL).filter(c -> Processes.CONFIG_RESTORE.equals(c.processId()))
                    .orElseThrow(() -> new RestoreRefusedException(RestoreRefusedException.Reason.APPROVER_UNKNOWN,
                            "restore " + restoreId + ": netsnap has no record of who completed the approval task"
                                    + " (approvals are completed with netsnap tasks, which records who does it);"
                                    + " nothing pushed"));
            RestoreService.Decision decision = restores.decide(restoreId, completion.user(),
                    completion.values().get("decision"), completion.values().get("rejectReason"));
            return new Decided(decision.decision(), decision.problem(), decision.approver());
        } catch (RuntimeException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_RESTORE_REFUSED, e, true,
                    (code, message) -> restores.refused(restoreId, code, message));
        }
    }

    public record CheckpointTaken(String checkpointVersion, String checkpointOnDevice) {
    }

    @JobWorker(type = Processes.JOB_RESTORE_CHECKPOINT, fetchVariables = "restoreId", timeout = DEVICE_STEP_TIMEOUT)
    public CheckpointTaken checkpoint(ActivatedJob job, @Variable(optional = true) String restoreId) {
        deployed.requireNetsnap(job);
        try {
            RestoreService.CheckpointTaken checkpoint = restores.checkpoint(restoreId);
            return new CheckpointTaken(checkpoint.version(), checkpoint.point().name());
        } catch (RestoreRefusedException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_RESTORE_REFUSED, e, false,
                    (code, message) -> restores.refused(restoreId, code, message));
        } catch (RuntimeException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_CHECKPOINT_FAILED, e, true,
                    (code, message) -> restores.checkpointFailed(restoreId, code, message));
        }
    }

    public record Pushed(String pushedFile, String pushVerdict, String approvedBy) {
    }

    /** Never retried: the push uses up its approval, and a second replace is a new change. */
    @JobWorker(type = Processes.JOB_RESTORE_PUSH, fetchVariables = {"restoreId", "deviceName", "context", "version",
            "candidateSha256"}, timeout = DEVICE_STEP_TIMEOUT)
    public Pushed push(ActivatedJob job, @Variable(optional = true) String restoreId,
                       @Variable(optional = true) String deviceName, @Variable(optional = true) String context,
                       @Variable(optional = true) String version, @Variable(optional = true) String candidateSha256) {
        deployed.requireNetsnap(job);
        try {
            RestoreService.Pushed pushed = restores.push(restoreId, deviceName, context, version, candidateSha256);
            return new Pushed(pushed.file(), pushed.verdict(), pushed.approver());
        } catch (RestoreRefusedException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_RESTORE_REFUSED, e, false,
                    (code, message) -> restores.refused(restoreId, code, message));
        } catch (RuntimeException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_PUSH_FAILED, e, false, (code, message) -> {
            });
        }
    }

    public record Verified(String sha256After) {
    }

    @JobWorker(type = Processes.JOB_RESTORE_VERIFY, fetchVariables = "restoreId", timeout = DEVICE_STEP_TIMEOUT)
    public Verified verify(ActivatedJob job, @Variable(optional = true) String restoreId) {
        deployed.requireNetsnap(job);
        try {
            return new Verified(restores.verify(restoreId).sha256After());
        } catch (RuntimeException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_VERIFY_FAILED, e, true,
                    (code, message) -> restores.verifyFailed(restoreId, code, message));
        }
    }

    @JobWorker(type = Processes.JOB_RESTORE_ROLLBACK, fetchVariables = "restoreId", timeout = DEVICE_STEP_TIMEOUT)
    public void rollback(ActivatedJob job, @Variable(optional = true) String restoreId) {
        deployed.requireNetsnap(job);
        try {
            restores.rollback(restoreId);
        } catch (RuntimeException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_ROLLBACK_FAILED, e, true,
                    (code, message) -> restores.rollbackFailed(restoreId, code, message));
        }
    }

    @JobWorker(type = Processes.JOB_RESTORE_VERIFY_ROLLBACK, fetchVariables = "restoreId",
            timeout = DEVICE_STEP_TIMEOUT)
    public Verified verifyRollback(ActivatedJob job, @Variable(optional = true) String restoreId) {
        deployed.requireNetsnap(job);
        try {
            return new Verified(restores.verifyRollback(restoreId).sha256After());
        } catch (RuntimeException e) {
            throw faults.forRestore(job, restoreId, Processes.ERROR_ROLLBACK_FAILED, e, true,
                    (code, message) -> restores.rollbackFailed(restoreId, code, message));
        }
    }

    public record Concluded(String outcome, String outcomeDetail, String historyCommit) {
    }

    /** The outcome comes from what the steps recorded; the element only says whether the approval's timer ran out. */
    @JobWorker(type = Processes.JOB_RESTORE_CONCLUDE, fetchVariables = "restoreId")
    public Concluded conclude(ActivatedJob job, @Variable(optional = true) String restoreId) {
        deployed.requireNetsnap(job);
        RestoreService.RestoreReport report = restores.conclude(restoreId,
                Processes.TASK_CONCLUDE_TIMED_OUT.equals(job.getElementId()));
        return new Concluded(report.outcome(), report.detail(), report.historyCommit());
    }
}
