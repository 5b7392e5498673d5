package io.netsnap.lab;

import java.util.ArrayList;
import java.util.List;

/** The command lines a simulated device received, over all its sessions, in order; sessions write concurrently. */
final class CommandLog {

    private final List<String> lines = new ArrayList<>();

    synchronized void record(String line) {
        lines.add(line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
