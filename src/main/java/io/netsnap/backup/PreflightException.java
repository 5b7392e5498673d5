package io.netsnap.backup;

import java.util.List;

/** Something that would make the run fail was found before any device was touched. */
public class PreflightException extends RuntimeException {

    private final List<String> problems;

    public PreflightException(List<String> problems) {
        super("preflight failed: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
