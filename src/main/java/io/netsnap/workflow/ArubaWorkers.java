package io.netsnap.workflow;

import java.util.List;

import org.springframework.stereotype.Component;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.netsnap.aruba.ArubaService;
import io.netsnap.backup.BackupService;
import io.netsnap.backup.DeviceResult;
import io.netsnap.inventory.Device;

/**
 * Job workers of device-backup's Aruba conductor branch, one per REST step. The process carries only the session's
 * opaque handle ({@code arubaSession}); the conductor's session id stays in this process, bound to the device it was
 * opened for. Every step looks the conductor up by name in the run's inventory: its address, port, credentials path
 * and whether its certificate is verified never come from a variable.
 */
@Component
public class ArubaWorkers {

    private static final long STEP_TIMEOUT = 20 * 60 * 1000L;
    private static final List<String> CONDUCTOR = List.of(ArubaService.PLATFORM);

    private final ArubaService aruba;
    private final BackupService backups;
    private final DeviceSteps steps;

    ArubaWorkers(ArubaService aruba, BackupService backups, DeviceSteps steps) {
        this.aruba = aruba;
        this.backups = backups;
        this.steps = steps;
    }

    public record Session(String arubaSession) {
    }

    @JobWorker(type = Processes.JOB_ARUBA_LOGIN, fetchVariables = {"runId", "runDate", "deviceName"},
            timeout = STEP_TIMEOUT)
    public Session login(ActivatedJob job, @VariablesAsType DeviceJob input) {
        return steps.run(job, input, CONDUCTOR, (run, device) -> new Session(aruba.login(device)));
    }

    @JobWorker(type = Processes.JOB_ARUBA_COPY_RUNNING_FLASH,
            fetchVariables = {"runId", "runDate", "deviceName", "arubaSession"}, timeout = STEP_TIMEOUT)
    public void copyRunningFlash(ActivatedJob job, @VariablesAsType DeviceJob input,
                                 @Variable(optional = true) String arubaSession) {
        perform(job, input, arubaSession, aruba::copyRunningFlash);
    }

    @JobWorker(type = Processes.JOB_ARUBA_FLASH_BACKUP,
            fetchVariables = {"runId", "runDate", "deviceName", "arubaSession"}, timeout = STEP_TIMEOUT)
    public void flashBackup(ActivatedJob job, @VariablesAsType DeviceJob input,
                            @Variable(optional = true) String arubaSession) {
        perform(job, input, arubaSession, aruba::flashBackup);
    }

    /** Where the conductor's copies landed, checked: path, size, sha256. */
    public record Pushed(List<ArubaService.PushedFile> arubaFiles) {
    }

    @JobWorker(type = Processes.JOB_ARUBA_COPY_FLASH_SCP,
            fetchVariables = {"runId", "runDate", "deviceName", "arubaSession"}, timeout = STEP_TIMEOUT)
    public Pushed copyFlashScp(ActivatedJob job, @VariablesAsType DeviceJob input,
                               @Variable(optional = true) String arubaSession) {
        // the run id is part of the file names on the backup server: it is the checked one of the run folder, and
        // what was verified is recorded in that run's state, never taken back from this variable
        return steps.run(job, input, CONDUCTOR,
                (run, device) -> new Pushed(aruba.copyFlashScp(arubaSession, device, run)));
    }

    @JobWorker(type = Processes.JOB_ARUBA_TAR_FLASH_CLEAN,
            fetchVariables = {"runId", "runDate", "deviceName", "arubaSession"}, timeout = STEP_TIMEOUT)
    public void tarFlashClean(ActivatedJob job, @VariablesAsType DeviceJob input,
                              @Variable(optional = true) String arubaSession) {
        perform(job, input, arubaSession, aruba::tarFlashClean);
    }

    /** A REST step that returns nothing but may fail. */
    private void perform(ActivatedJob job, DeviceJob input, String arubaSession,
                         java.util.function.BiConsumer<String, Device> step) {
        steps.run(job, input, CONDUCTOR, (run, device) -> {
            step.accept(arubaSession, device);
            return null;
        });
    }

    public record Stored(DeviceResult result) {
    }

    @JobWorker(type = Processes.JOB_ARUBA_FETCH_CONFIG,
            fetchVariables = {"runId", "runDate", "deviceName", "arubaSession"}, timeout = STEP_TIMEOUT)
    public Stored fetchConfig(ActivatedJob job, @VariablesAsType DeviceJob input,
                              @Variable(optional = true) String arubaSession) {
        return steps.run(job, input, CONDUCTOR,
                (run, device) -> new Stored(backups.store(run, device, aruba.runningConfig(arubaSession, device))));
    }

    /**
     * After a failed step: clean the flash, and say so in the failed result when that failed too: in the one the run
     * recorded, which the report reads, and in the one the model routes on. Never fails.
     */
    @JobWorker(type = Processes.JOB_ARUBA_CLEAN_AFTER_FAILURE,
            fetchVariables = {"runId", "runDate", "deviceName", "arubaSession", "result"},
            timeout = STEP_TIMEOUT)
    public Stored cleanAfterFailure(ActivatedJob job, @VariablesAsType DeviceJob input,
                                    @Variable(optional = true) String arubaSession,
                                    @Variable(optional = true) DeviceResult result) {
        Device device = steps.lookupQuietly(job, input, CONDUCTOR);
        String problem = device == null ? null : aruba.cleanAfterFailure(arubaSession, device);
        if (problem == null) {
            return new Stored(result);
        }
        String note = "; the flash may still hold the backup archive, cleaning failed: " + problem;
        return new Stored(backups.amendFailure(input.run(), device, note)
                .orElseGet(() -> result == null ? null : result.withMessage(result.message() + note)));
    }

    /** Always reached, on success and after any failed step; a failed logout is logged, never thrown. */
    @JobWorker(type = Processes.JOB_ARUBA_LOGOUT,
            fetchVariables = {"runId", "runDate", "deviceName", "arubaSession"})
    public Session logout(ActivatedJob job, @VariablesAsType DeviceJob input,
                          @Variable(optional = true) String arubaSession) {
        Device device = steps.lookupQuietly(job, input, CONDUCTOR);
        if (device != null) {
            aruba.logout(arubaSession, device);
        }
        return new Session(null);
    }
}
