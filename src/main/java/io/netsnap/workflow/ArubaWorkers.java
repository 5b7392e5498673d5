package io.netsnap.workflow;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import io.camunda.client.api.response.ActivatedJob;
import io.netsnap.archive.RunFolder;
import io.netsnap.aruba.ArubaService;
import io.netsnap.backup.BackupService;
import io.netsnap.backup.DeviceResult;

/**
 * Job workers of device-backup's Aruba conductor branch, one per REST step. The process carries only the session's
 * opaque handle ({@code arubaSession}); the conductor's session id stays in this process.
 */
@Component
public class ArubaWorkers {

    private static final long STEP_TIMEOUT = 20 * 60 * 1000L;

    private final ArubaService aruba;
    private final BackupService backups;
    private final Faults faults;

    ArubaWorkers(ArubaService aruba, BackupService backups, Faults faults) {
        this.aruba = aruba;
        this.backups = backups;
        this.faults = faults;
    }

    public record Session(String arubaSession) {
    }

    @JobWorker(type = Processes.JOB_ARUBA_LOGIN, fetchVariables = {"runId", "device"}, timeout = STEP_TIMEOUT)
    public Session login(ActivatedJob job, @Variable String runId, @Variable DeviceVariable device) {
        return step(job, runId, device, () -> new Session(aruba.login(device.toDevice())));
    }

    @JobWorker(type = Processes.JOB_ARUBA_COPY_RUNNING_FLASH, fetchVariables = {"runId", "device", "arubaSession"},
            timeout = STEP_TIMEOUT)
    public void copyRunningFlash(ActivatedJob job, @Variable String runId, @Variable DeviceVariable device,
                                 @Variable String arubaSession) {
        perform(job, runId, device, arubaSession, aruba::copyRunningFlash);
    }

    @JobWorker(type = Processes.JOB_ARUBA_FLASH_BACKUP, fetchVariables = {"runId", "device", "arubaSession"},
            timeout = STEP_TIMEOUT)
    public void flashBackup(ActivatedJob job, @Variable String runId, @Variable DeviceVariable device,
                            @Variable String arubaSession) {
        perform(job, runId, device, arubaSession, aruba::flashBackup);
    }

    /** Where the conductor's copies landed, checked: path, size, sha256. */
    public record Pushed(List<ArubaService.PushedFile> arubaFiles) {
    }

    @JobWorker(type = Processes.JOB_ARUBA_COPY_FLASH_SCP, fetchVariables = {"runId", "device", "arubaSession"},
            timeout = STEP_TIMEOUT)
    public Pushed copyFlashScp(ActivatedJob job, @Variable String runId, @Variable DeviceVariable device,
                               @Variable String arubaSession) {
        return step(job, runId, device, () -> new Pushed(aruba.copyFlashScp(arubaSession, device.toDevice(), runId)));
    }

    @JobWorker(type = Processes.JOB_ARUBA_TAR_FLASH_CLEAN, fetchVariables = {"runId", "device", "arubaSession"},
            timeout = STEP_TIMEOUT)
    public void tarFlashClean(ActivatedJob job, @Variable String runId, @Variable DeviceVariable device,
                              @Variable String arubaSession) {
        perform(job, runId, device, arubaSession, aruba::tarFlashClean);
    }

    public record Stored(DeviceResult result) {
    }

    @JobWorker(type = Processes.JOB_ARUBA_FETCH_CONFIG, fetchVariables = {"runId", "runDate", "device",
            "arubaSession"}, timeout = STEP_TIMEOUT)
    public Stored fetchConfig(ActivatedJob job, @Variable String runId, @Variable String runDate,
                              @Variable DeviceVariable device, @Variable String arubaSession) {
        return step(job, runId, device, () -> new Stored(backups.store(new RunFolder(runId, LocalDate.parse(runDate)),
                device.toDevice(), aruba.runningConfig(arubaSession, device.toDevice()))));
    }

    /** After a failed step: clean the flash, and say so in the failed result when that failed too. Never fails. */
    @JobWorker(type = Processes.JOB_ARUBA_CLEAN_AFTER_FAILURE, fetchVariables = {"device", "arubaSession", "result"},
            timeout = STEP_TIMEOUT)
    public Stored cleanAfterFailure(@Variable DeviceVariable device, @Variable String arubaSession,
                                    @Variable DeviceResult result) {
        String problem = aruba.cleanAfterFailure(arubaSession, device.toDevice());
        if (problem == null) {
            return new Stored(result);
        }
        return new Stored(new DeviceResult(result.device(), result.context(), result.platform(), result.status(),
                result.changed(), result.linesAdded(), result.linesRemoved(), result.file(), result.historyPath(),
                result.sha256(), result.bytes(), result.error(), result.message()
                        + "; the flash may still hold the backup archive, cleaning failed: " + problem,
                result.contexts()));
    }

    /** Always reached, on success and after any failed step; a failed logout is logged, never thrown. */
    @JobWorker(type = Processes.JOB_ARUBA_LOGOUT, fetchVariables = {"device", "arubaSession"})
    public Session logout(@Variable DeviceVariable device, @Variable(optional = true) String arubaSession) {
        aruba.logout(arubaSession, device.toDevice());
        return new Session(null);
    }

    private void perform(ActivatedJob job, String runId, DeviceVariable device, String arubaSession,
                         java.util.function.BiConsumer<String, io.netsnap.inventory.Device> call) {
        step(job, runId, device, () -> {
            call.accept(arubaSession, device.toDevice());
            return null;
        });
    }

    private <T> T step(ActivatedJob job, String runId, DeviceVariable device, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            throw faults.forDevice(job, device, null, e, failed -> backups.reportFailure(runId, failed));
        }
    }
}
