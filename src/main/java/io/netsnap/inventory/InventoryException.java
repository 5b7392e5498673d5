package io.netsnap.inventory;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The inventory cannot be used. Carries every problem found, not just the first, so that one run of the loader tells
 * the operator everything to fix. No message ever contains the value of a secret-looking key.
 */
public class InventoryException extends RuntimeException {

    private final transient Path file;
    private final transient List<Problem> problems;

    InventoryException(Path file, List<Problem> problems) {
        super(message(file, sorted(problems)));
        this.file = file;
        this.problems = sorted(problems);
    }

    /** The inventory file the problems were found in. */
    public Path file() {
        return file;
    }

    /** Every problem, sorted by line (problems on the same line keep the order they were found in). */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * One thing wrong with the inventory.
     *
     * @param file    the inventory file
     * @param line    1-based line of the offending YAML node; 0 when the problem concerns the file as a whole
     * @param message one line, naming the device when there is one
     */
    public record Problem(Path file, int line, String message) {

        public Problem {
            Objects.requireNonNull(message, "message");
        }

        /** {@code file:line: message}, or {@code file: message} for a problem without a line. */
        @Override
        public String toString() {
            return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
        }
    }

    private static List<Problem> sorted(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InventoryException needs at least one problem");
        }
        return problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
    }

    private static String message(Path file, List<Problem> problems) {
        var text = new StringBuilder("inventory ").append(file).append(" has ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        problems.forEach(problem -> text.append("\n  ").append(problem));
        return text.toString();
    }
}
