package io.netsnap.workflow;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.client.api.response.Process;
import io.camunda.client.exception.CamundaError;
import io.netsnap.backup.DeviceDirectory;

/**
 * The process definitions netsnap deployed itself. Anyone who reaches the engine can deploy a process whose tasks use
 * netsnap's job types; its jobs are refused before any variable is read. Zeebe gives byte-identical resources the
 * same definition key, so every replica that deploys the same models learns the same keys. A netsnap process that
 * did not deploy (a CLI command against a remote engine) has no keys to compare with and accepts every definition;
 * the inventory lookups of the device steps still hold there.
 */
@Component
class DeployedProcesses {

    private final Set<Long> keys = ConcurrentHashMap.newKeySet();

    void record(DeploymentEvent event) {
        event.getProcesses().stream().map(Process::getProcessDefinitionKey).forEach(keys::add);
    }

    /** Whether this process deployed the models and so can tell netsnap's definitions from others. */
    boolean known() {
        return !keys.isEmpty();
    }

    /**
     * @throws io.camunda.client.exception.BpmnError {@code PROCESS_UNKNOWN} when the job comes from a definition
     *         netsnap did not deploy
     */
    void requireNetsnap(ActivatedJob job) {
        if (known() && !keys.contains(job.getProcessDefinitionKey())) {
            Object device = job.getVariablesAsMap().get("deviceName");
            throw CamundaError.bpmnError(Processes.ERROR_PROCESS_UNKNOWN, (device == null ? ""
                    : DeviceDirectory.printable(device.toString()) + ": ") + "job " + job.getType() + " of process '"
                    + job.getBpmnProcessId() + "' version " + job.getProcessDefinitionVersion() + " (definition "
                    + job.getProcessDefinitionKey() + ") refused: netsnap did not deploy that process definition;"
                    + " nothing was read from Vault and nothing was contacted");
        }
    }
}
