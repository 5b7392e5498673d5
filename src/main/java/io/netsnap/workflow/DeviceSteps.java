package io.netsnap.workflow;

import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import io.camunda.client.api.response.ActivatedJob;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.BackupService;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.backup.DeviceStepStarted;
import io.netsnap.inventory.Device;

/**
 * How every device step runs: the run reference is checked, the device is looked up by name in the run's recorded
 * scope and inventory (never taken from a variable), the step is done, and any failure becomes a retry or a BPMN
 * error with the device's failed result. Nothing is read from Vault and nothing is contacted before the lookup
 * succeeded.
 */
@Component
class DeviceSteps {

    /** One device step. */
    @FunctionalInterface
    interface Step<T> {
        T apply(RunFolder run, Device device);
    }

    private final DeviceDirectory directory;
    private final BackupService backups;
    private final Faults faults;
    private final DeployedProcesses deployed;
    private final ApplicationEventPublisher events;

    DeviceSteps(DeviceDirectory directory, BackupService backups, Faults faults, DeployedProcesses deployed,
                ApplicationEventPublisher events) {
        this.directory = directory;
        this.backups = backups;
        this.faults = faults;
        this.deployed = deployed;
        this.events = events;
    }

    /**
     * @param platforms the platforms this step is for, or empty for any
     */
    <T> T run(ActivatedJob job, DeviceJob input, List<String> platforms, Step<T> step) {
        deployed.requireNetsnap(job);
        Device device = null;
        RunFolder run = null;
        try {
            // without a device name there is nothing to look up, whatever the run reference says
            run = input.deviceName() == null || input.deviceName().isBlank() ? null : input.run();
            device = directory.device(run, input.deviceName(), platforms);
            events.publishEvent(new DeviceStepStarted(input.runId(), device.name()));
            return step.apply(run, device);
        } catch (RuntimeException e) {
            // a final failure is recorded for the run only under a name of its recorded scope
            RunFolder recordIn = device != null || inScope(run, input.deviceName()) ? run : null;
            throw faults.forDevice(job, input.deviceName(), device == null ? null : device.platform(),
                    input.context(), e, failed -> backups.reportFailure(input.runId(), recordIn, failed));
        }
    }

    /**
     * The name of the device at a place (1 for the first) of the run's recorded scope, for the first step of a
     * device-backup, which network-backup starts with an index rather than a name.
     */
    String nameAt(ActivatedJob job, DeviceJob input, Integer index) {
        deployed.requireNetsnap(job);
        try {
            // without an index there is nothing to look up, whatever the run reference says
            return directory.nameAt(index == null ? null : input.run(), index);
        } catch (RuntimeException e) {
            throw faults.forDevice(job, null, null, null, e, failed -> backups.reportFailure(input.runId(), null,
                    failed));
        }
    }

    private boolean inScope(RunFolder run, String name) {
        try {
            return run != null && directory.findScope(run).map(scope -> scope.devices().contains(name)).orElse(false);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** The inventory's device for a step that must never fail (logout): {@code null} when there is none. */
    Device lookupQuietly(ActivatedJob job, DeviceJob input, List<String> platforms) {
        try {
            deployed.requireNetsnap(job);
            return directory.device(input.run(), input.deviceName(), platforms);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
