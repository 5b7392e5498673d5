package io.netsnap.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;

/**
 * Each device's final result in a run, one document per device in the run's state
 * ({@code state/runs/<date>/<runId>/results/<device>.json}), written atomically by the worker that computed it: the
 * last step of a backed-up device, or the step whose failure the device gave up on. The commit and the report read
 * them here, matched against the run's recorded scope, so no result ever travels in a process variable and the run's
 * own instance carries counters and references only, however large the fleet.
 */
@Service
public class DeviceResults {

    /** The folder of a run's state that holds one document per device. */
    static final String FOLDER = "results";
    /** The code of a device in scope for which no result was recorded. */
    public static final String NO_RESULT = "NO_RESULT";

    private static final Logger log = LoggerFactory.getLogger(DeviceResults.class);

    private final Archive archive;

    public DeviceResults(Archive archive) {
        this.archive = archive;
    }

    /**
     * Records a device's result, replacing what the run recorded for it before (a person's retry that succeeded
     * replaces the failure). A failure never replaces a success: a device backed up in this run stays backed up,
     * whatever a second, forged device-backup of the same device makes of it. Context results are part of their
     * device's summary and not recorded on their own.
     *
     * @param result a result whose device name the caller took from the run's recorded scope
     */
    public void record(RunFolder run, DeviceResult result) {
        if (result.context() != null) {
            return;
        }
        if (!result.ok() && find(run, result.device()).filter(DeviceResult::ok).isPresent()) {
            log.warn("{}: backed up in run {} already; its failure in another device-backup is not recorded ({})",
                    result.device(), run.runId(), result.error());
            return;
        }
        archive.writeRunState(run, path(result.device()), result);
    }

    /** What the run recorded for a device, if anything. */
    public Optional<DeviceResult> find(RunFolder run, String device) {
        return archive.readRunState(run, path(device), DeviceResult.class);
    }

    /**
     * One result per device of the run's recorded scope, in scope order. A device without a recorded result is
     * failed with {@link #NO_RESULT}, never left out; a result of a device that is not in the scope is ignored. An
     * empty list when the run recorded no scope.
     */
    public List<DeviceResult> inRun(RunFolder run) {
        Optional<RunScope> scope = archive.readRunState(run, RunScope.FILE, RunScope.class);
        if (scope.isEmpty()) {
            return List.of();
        }
        Map<String, DeviceResult> recorded = archive.readRunStates(run, FOLDER, DeviceResult.class);
        List<DeviceResult> results = new ArrayList<>(scope.get().devices().size());
        for (String device : scope.get().devices()) {
            DeviceResult result = recorded.get(device + ".json");
            results.add(result != null && device.equals(result.device()) ? result
                    : DeviceResult.failed(device, null, null, NO_RESULT, "no result recorded: the device's backup"
                            + " did not end in this run (its device-backup instance was cancelled, or is still"
                            + " waiting)"));
        }
        return results;
    }

    /** Device names are inventory names ({@code [A-Za-z0-9][A-Za-z0-9._-]*}): safe as file names. */
    private static String path(String device) {
        return FOLDER + "/" + device + ".json";
    }
}
