package io.netsnap.notify;

import java.net.URI;
import java.util.List;

/**
 * One message, before a channel gives it its format: plain text lines built from a report's figures, codes and
 * one-line messages only, never a configuration line, a diff or a secret.
 *
 * @param level    how it reads at a glance
 * @param title    one line: the subject of a mail, the header of a Slack or Teams message
 * @param facts    short lines under the title (run, outcome, counts)
 * @param sections the lists (new failures, recovered, still failing, changed)
 * @param link     Operate's list of runs, or {@code null}
 */
record Notice(Level level, String title, List<String> facts, List<Section> sections, URI link) {

    enum Level { FAILURE, WARNING, OK }

    /** A heading and its lines, the lines already cut to the configured maximum. */
    record Section(String heading, List<String> lines) {
    }

    /** The whole notice as plain text (the e-mail body). */
    String plainText() {
        StringBuilder text = new StringBuilder(title).append("\n\n");
        facts.forEach(fact -> text.append(fact).append('\n'));
        if (link != null) {
            text.append("Operate: ").append(link).append('\n');
        }
        for (Section section : sections) {
            text.append('\n').append(section.heading()).append('\n');
            section.lines().forEach(line -> text.append("  - ").append(line).append('\n'));
        }
        return text.append("\n-- \nnetsnap\n").toString();
    }
}
