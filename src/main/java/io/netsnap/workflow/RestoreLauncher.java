package io.netsnap.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.camunda.client.CamundaClient;
import io.netsnap.restore.RestoreIntake;
import io.netsnap.restore.RestoreOutcome;
import io.netsnap.restore.RestoreService;

/**
 * Starts config-restore for a restore netsnap recorded ({@link RestoreService#request}). The instance carries the
 * restore's id, which every step resolves in netsnap's ledger, and, for people reading Operate, what was asked.
 */
@Component
public class RestoreLauncher {

    private final CamundaClient client;
    private final RestoreService restores;

    RestoreLauncher(CamundaClient client, RestoreService restores) {
        this.client = client;
        this.restores = restores;
    }

    /** A restore recorded and started. */
    public record Started(RestoreIntake intake, long processInstanceKey) {
    }

    /**
     * Records the request as {@code requester} made it and starts its instance.
     *
     * @throws io.netsnap.restore.RestoreRefusedException a device netsnap does not know, an unknown version, a
     *                                                    restore in flight, no checkpoint to roll back to
     */
    public Started request(String requester, String device, String version, boolean toCheckpoint, String ticket,
                           String reason) {
        RestoreIntake intake = restores.request(requester, device, null, version, toCheckpoint, ticket, reason);
        Map<String, Object> variables = new HashMap<>();
        variables.put("restoreId", intake.restoreId());
        variables.put("deviceName", intake.device());
        variables.put("version", intake.version());
        variables.put("ticket", intake.ticket());
        variables.put("reason", intake.reason());
        variables.put("requester", intake.requester());
        variables.put("emergency", intake.emergency());
        try {
            long key = client.newCreateInstanceCommand().bpmnProcessId(Processes.CONFIG_RESTORE).latestVersion()
                    .variables(variables).send().join().getProcessInstanceKey();
            return new Started(intake, key);
        } catch (RuntimeException e) {
            // recorded but never started: end it, so that it does not hold the device
            restores.ledger().concludeUnopened(intake.restoreId(), RestoreService.REFUSED, "the engine did not start"
                    + " config-restore: " + Faults.oneLine(e.getMessage()));
            throw new IllegalStateException("restore " + intake.restoreId() + " of " + intake.device() + " was not"
                    + " started: the engine refused or did not answer (" + Faults.oneLine(e.getMessage()) + ")", e);
        }
    }

    /** How the restore ended, once it has, waiting at most {@code timeout}. */
    public Optional<RestoreOutcome> awaitOutcome(String restoreId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<RestoreOutcome> outcome = restores.ledger().outcome(restoreId);
            if (outcome.isPresent() || Instant.now().isAfter(deadline)) {
                return outcome;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
