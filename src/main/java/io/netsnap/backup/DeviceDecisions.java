package io.netsnap.backup;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;

/**
 * The decisions people took on failed devices during a run, kept in the run's state folder
 * ({@code decisions.json}) until the report lists them.
 */
@Service
public class DeviceDecisions {

    private static final String STATE = "decisions.json";

    private final Archive archive;

    public DeviceDecisions(Archive archive) {
        this.archive = archive;
    }

    record Recorded(List<DeviceDecision> decisions) {
    }

    /** Adds a decision; the devices of one run decide in parallel, so additions are serialized here. */
    public synchronized void record(RunFolder run, DeviceDecision decision) {
        List<DeviceDecision> all = new ArrayList<>(of(run));
        all.add(decision);
        archive.writeRunState(run, STATE, new Recorded(all));
    }

    /** The run's decisions, oldest first; empty when nobody was asked. */
    public synchronized List<DeviceDecision> of(RunFolder run) {
        return archive.readRunState(run, STATE, Recorded.class).map(Recorded::decisions)
                .map(List::copyOf).orElse(List.of());
    }
}
