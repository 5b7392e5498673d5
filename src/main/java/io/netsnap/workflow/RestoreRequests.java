package io.netsnap.workflow;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import io.netsnap.restore.Approval;
import io.netsnap.restore.RestoreIntake;
import io.netsnap.restore.RestoreLedger;
import io.netsnap.restore.RestoreOutcome;
import io.netsnap.restore.RestoreRefusedException;
import io.netsnap.restore.RestoreService;

/**
 * Restores asked for over the task channel ({@code netsnap restore}): the requester is the caller's OS user as the
 * kernel named it, or in the lab the {@code --as} name, under the same rules as a task completion. The request is
 * recorded and its config-restore instance started by {@link RestoreLauncher}; where a restore stands is read from
 * netsnap's ledger, never from the instance.
 */
@Component
@ConditionalOnProperty(name = EngineModeEnvironment.ACTIVE, havingValue = "embedded")
class RestoreRequests {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RestoreRequests.class);

    private final RestoreLauncher launcher;
    private final RestoreService restores;
    private final RestoreLedger ledger;
    private final TasksProperties properties;

    RestoreRequests(RestoreLauncher launcher, RestoreService restores, TasksProperties properties) {
        this.launcher = launcher;
        this.restores = restores;
        this.ledger = restores.ledger();
        this.properties = properties;
    }

    /**
     * Records and starts a restore of {@code device} to {@code version}, or to its latest pre-restore checkpoint.
     *
     * @throws TaskException {@code REFUSED} (the refusals of {@link RestoreService#request}, {@code --as} outside the
     *                       lab), {@code BAD_REQUEST} (no device, not exactly one of version and checkpoint, no ticket
     *                       or reason)
     */
    RequestedRestore request(String osUser, String as, String device, String version, boolean toCheckpoint,
                             String ticket, String reason) {
        String requester = TaskService.actingUser(osUser, as, properties,
                "the restore is requested as the OS user running netsnap restore");
        if (device == null || device.isBlank()) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "a restore needs a device (--device)");
        }
        if ((version != null) == toCheckpoint) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "a restore needs either a version (--version) or"
                    + " --to-checkpoint, not both");
        }
        try {
            RestoreLauncher.Started started = launcher.request(requester, device, version, toCheckpoint, ticket,
                    reason);
            RestoreIntake intake = started.intake();
            return new RequestedRestore(intake.restoreId(), intake.device(), intake.version(), intake.emergency(),
                    started.processInstanceKey(), intake.requester());
        } catch (RestoreRefusedException e) {
            throw new TaskException(TaskException.Code.REFUSED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * Where the restore stands.
     *
     * @throws TaskException {@code NOT_FOUND} when netsnap recorded no such restore
     */
    RestoreStatus status(String restoreId) {
        RestoreIntake intake = ledger.intakeIfValid(restoreId).orElseThrow(() -> new TaskException(
                TaskException.Code.NOT_FOUND, "no restore '" + printable(restoreId) + "' on record (netsnap history"
                + " DEVICE lists a device's restores)"));
        String approver = ledger.approval(intake.restoreId()).map(Approval::approver).orElse(null);
        RestoreOutcome outcome = ledger.outcome(intake.restoreId()).orElse(null);
        return new RestoreStatus(intake.restoreId(), intake.device(), intake.version(), intake.requester(), approver,
                outcome == null ? null : outcome.outcome(), outcome == null ? null : outcome.detail());
    }

    /**
     * Ends the restores that a previous netsnap serving this archive left unfinished. The embedded engine keeps its
     * state in memory, so their instances are gone, and each would hold its device for good. Each ends with the
     * outcome its recorded steps give (nothing pushed, or, when a push was not verified, device state unknown), so
     * that the device can be restored again and people read what happened.
     *
     * @return how many were ended
     */
    int endOrphans() {
        int ended = 0;
        for (String restoreId : ledger.restoreIds()) {
            if (ledger.intakeIfValid(restoreId).isPresent() && ledger.outcome(restoreId).isEmpty()) {
                RestoreService.RestoreReport report = restores.conclude(restoreId, false,
                        "netsnap was restarted before the restore ended (the embedded engine keeps no state)");
                log.warn("Restore {} of {} was left unfinished by a previous netsnap: ended as {}: {}", restoreId,
                        report.device(), report.outcome(), report.detail());
                ended++;
            }
        }
        return ended;
    }

    private static String printable(String value) {
        String text = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
