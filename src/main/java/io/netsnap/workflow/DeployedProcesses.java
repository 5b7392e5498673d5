package io.netsnap.workflow;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.client.api.response.Process;
import io.camunda.client.exception.CamundaError;
import io.netsnap.archive.Archive;
import io.netsnap.backup.DeviceDirectory;

/**
 * The process definitions netsnap deployed itself. Anyone who reaches the engine can deploy a process whose tasks use
 * netsnap's job types; its jobs are refused before any variable is read. Zeebe gives byte-identical resources the
 * same definition key, so every replica that deploys the same models learns the same keys. The models are deployed
 * before the job workers open, and a process that has not deployed them (a remote engine with
 * {@code netsnap.deploy.enabled=false}) refuses every job: it cannot tell netsnap's definitions from others.
 *
 * <p>The keys are kept in the archive's state ({@code state/deployed-processes.json}), shared by the replicas, and
 * every deployment adds to them: instances started on an earlier version of the models (a run waiting for a person
 * while netsnap is upgraded) keep their workers. A refused job fails with one retry fewer and the retry backoff; a
 * forged process ends in an incident saying why.
 */
@Component
class DeployedProcesses {

    private static final String STATE = "deployed-processes.json";

    private final Set<Long> keys = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> latest = new ConcurrentHashMap<>();
    private final java.time.Duration backoff;
    private final Archive archive;

    DeployedProcesses(RetryProperties retry, Archive archive) {
        this.backoff = retry.after(1);
        this.archive = archive;
    }

    /** The process definition keys netsnap's deployments have had, over time and replicas. */
    record Known(Set<Long> keys) {
    }

    synchronized void record(DeploymentEvent event) {
        archive.readState(STATE, Known.class).ifPresent(known -> keys.addAll(known.keys()));
        for (Process process : event.getProcesses()) {
            keys.add(process.getProcessDefinitionKey());
            latest.put(process.getBpmnProcessId(), process.getProcessDefinitionKey());
        }
        archive.writeState(STATE, new Known(new java.util.TreeSet<>(keys)));
    }

    /** The definition key of the named process as this netsnap process last deployed it, if it did. */
    java.util.Optional<Long> keyOf(String processId) {
        return java.util.Optional.ofNullable(latest.get(processId));
    }

    /** Whether a netsnap deployment, this one or an earlier one, made this process definition. */
    boolean deployedByNetsnap(long processDefinitionKey) {
        return keys.contains(processDefinitionKey);
    }

    /** Whether this process deployed the models and so can tell netsnap's definitions from others. */
    boolean known() {
        return !keys.isEmpty();
    }

    /**
     * @throws io.camunda.client.exception.JobError when the job comes from a definition netsnap did not deploy, or
     *         this process deployed nothing
     */
    void requireNetsnap(ActivatedJob job) {
        if (deployedByNetsnap(job.getProcessDefinitionKey())) {
            return;
        }
        Object device = job.getVariablesAsMap().get("deviceName");
        String why = known() ? "netsnap did not deploy that process definition"
                : "this netsnap process deployed no models (netsnap.deploy.enabled=false), so it takes no job";
        throw CamundaError.jobError((device == null ? "" : DeviceDirectory.printable(device.toString()) + ": ")
                + "job " + job.getType() + " of process '" + DeviceDirectory.printable(job.getBpmnProcessId())
                + "' version " + job.getProcessDefinitionVersion() + " (definition " + job.getProcessDefinitionKey()
                + ") refused: " + why + "; nothing was read from Vault and nothing was contacted", Map.of(),
                Math.max(0, job.getRetries() - 1), backoff);
    }
}
