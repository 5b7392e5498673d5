package io.netsnap.workflow;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ProcessInstanceEvent;
import io.camunda.client.api.response.ProcessInstanceResult;
import io.netsnap.backup.DeviceResult;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.RunReport;
import io.netsnap.backup.RunReports;

/** Starts network-backup instances for the CLI, and waits for their end when asked to. */
@Component
public class RunLauncher {

    private final CamundaClient client;
    private final RunReports reports;

    RunLauncher(CamundaClient client, RunReports reports) {
        this.client = client;
        this.reports = reports;
    }

    /**
     * What to back up.
     *
     * @param group     a group, or {@code null}
     * @param devices   device names; with no group and no names, every device
     * @param inventory inventory file as the workers see it, or {@code null} for their {@code netsnap.inventory}
     * @param reason    why the run was started
     */
    public record Request(String group, List<String> devices, Path inventory, String reason) {
    }

    /**
     * How a run ended, read from the instance's variables and, for the devices, from the run's report.
     *
     * @param processInstanceKey the network-backup instance
     * @param results            one per device, as {@code report.json} lists them; empty when the run was aborted
     *                           (or its report is not in this process's archive)
     * @param preflightProblems  one line per problem when the preflight failed, else empty
     */
    public record Result(long processInstanceKey, String runId, String outcome, RunReport.Counts counts,
                         String exportDir, String historyCommit, String abortReason, List<DeviceResult> results,
                         List<String> preflightProblems) {
    }

    /**
     * Starts a run and returns at once. A failed preflight then waits for a person (the {@code preflight-failed}
     * user task: retry or abort), as for a run started from Tasklist or the timer.
     */
    public long start(Request request) {
        ProcessInstanceEvent event = client.newCreateInstanceCommand().bpmnProcessId(Processes.NETWORK_BACKUP)
                .latestVersion().variables(variables(request)).send().join();
        return event.getProcessInstanceKey();
    }

    /**
     * Starts a run and waits for its end. Nobody is there to answer a person task, so the run is started with
     * {@code interactive=false}: a failed preflight aborts it at once with the problems in the result.
     */
    public Result startAndWait(Request request, Duration timeout) {
        Map<String, Object> variables = variables(request);
        variables.put("interactive", false);
        ProcessInstanceResult result;
        try {
            result = client.newCreateInstanceCommand().bpmnProcessId(Processes.NETWORK_BACKUP)
                    .latestVersion().variables(variables).withResult()
                    .fetchVariables("runId", "runDate", "outcome", "counts", "exportDir", "historyCommit",
                            "abortReason", "preflightProblems")
                    .requestTimeout(timeout).send().join();
        } catch (io.camunda.client.api.command.ClientStatusException e) {
            if (e.getStatusCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
                throw new IllegalStateException("the run did not end within " + timeout + " (the wait's limit);"
                        + " the engine may still be running it", e);
            }
            throw e;
        }
        Map<String, Object> ended = result.getVariablesAsMap();
        Result view = result.getVariablesAsType(Result.class);
        return new Result(result.getProcessInstanceKey(), view.runId(), view.outcome(), view.counts(),
                view.exportDir(), view.historyCommit(), view.abortReason(),
                devices(view.runId(), ended.get("runDate")),
                view.preflightProblems() == null ? List.of() : view.preflightProblems());
    }

    /** The devices of the run's report: the results never travel in the instance's variables. */
    private List<DeviceResult> devices(String runId, Object runDate) {
        if (runId == null || runDate == null) {
            return List.of();
        }
        return reports.find(new RunFolder(runId, LocalDate.parse(runDate.toString())))
                .map(RunReport::devices).orElse(List.of());
    }

    private static Map<String, Object> variables(Request request) {
        Map<String, Object> variables = new HashMap<>();
        boolean named = request.devices() != null && !request.devices().isEmpty();
        variables.put("scope", request.group() != null ? "group" : named ? "devices" : "all");
        if (request.group() != null) {
            variables.put("group", request.group());
        }
        if (named) {
            variables.put("deviceNames", String.join(",", request.devices()));
        }
        if (request.inventory() != null) {
            variables.put("inventory", request.inventory().toAbsolutePath().toString());
        }
        variables.put("reason", request.reason() == null ? "started from the command line" : request.reason());
        // as stated: the engine tells workers nothing about who started an instance
        variables.put("requestedBy", "cli:" + System.getProperty("user.name", "unknown"));
        return variables;
    }
}
