package io.netsnap.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Every command line a simulated device received, in order, across all its sessions (which run on their own
 * threads). Password answers and pager keys are not commands and are never recorded here.
 */
final class CommandLog {

    private final List<String> lines = new ArrayList<>();

    synchronized void record(String line) {
        lines.add(line);
    }

    synchronized List<String> all() {
        return List.copyOf(lines);
    }
}
