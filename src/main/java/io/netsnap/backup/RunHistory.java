package io.netsnap.backup;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;

/** A run's one commit to the history, from the run's own record of what it stored. */
@Service
public class RunHistory {

    private static final Logger log = LoggerFactory.getLogger(RunHistory.class);
    private static final String COMMITTED = "committed.json";

    private final Archive archive;
    private final DeviceResults results;

    public RunHistory(Archive archive, DeviceResults results) {
        this.archive = archive;
        this.results = results;
    }

    /**
     * Commits what the run stored to the history; returns the commit the run ends on. The files come from the run's
     * own record of what it stored; the manifest lists every device of the run's scope with its recorded result.
     * A run is committed once: asked again (a retry, or a start at the commit task of an old run) it answers with
     * the commit it made then, so an old run can never be committed over a newer one.
     */
    public String commit(RunFolder run, RunPlan.Request request) {
        Optional<Committed> earlier = archive.readRunState(run, COMMITTED, Committed.class);
        if (earlier.isPresent()) {
            log.info("Run {} was committed before, at {}; not again", run.runId(), earlier.get().commit());
            return earlier.get().commit();
        }
        List<StoredConfig> stored = archive.storedInRun(run);
        List<String> changed = stored.stream().filter(StoredConfig::changed)
                .map(config -> config.historyPath().replaceFirst("\\.cfg$", "")).toList();
        String message = "netsnap run " + run.runId() + ": " + changed.size() + " changed\n\nReason: "
                + request.reason() + "\nRequested by: " + requestedBy(request)
                + (changed.isEmpty() ? "" : "\nChanged: " + String.join(", ", changed));
        String commit = archive.commitRun(run, stored, message).orElseGet(archive::headCommit);
        // written now so that the upload, which comes next, carries it; before the mark, so a retry writes it
        RunManifest.write(archive, run, results.inRun(run), request);
        archive.writeRunState(run, COMMITTED, new Committed(commit));
        return commit;
    }

    /** The run's commit, as recorded in its state. */
    public record Committed(String commit) {
    }

    /** As the history commit states it: what the starter said, or that nobody said. */
    private static String requestedBy(RunPlan.Request request) {
        return request.requestedBy() == null ? "not stated (the engine does not tell workers who started a run)"
                : request.requestedBy() + " (as stated at the start)";
    }
}
