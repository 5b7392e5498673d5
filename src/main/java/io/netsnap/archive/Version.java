package io.netsnap.archive;

import java.time.Instant;

/**
 * One version of a device's configuration in the history.
 *
 * @param commit    the commit id: what {@code netsnap diff} and a restore name
 * @param committed when the run committed it
 * @param message   the commit's first line, naming the run
 */
public record Version(String commit, Instant committed, String message) {
}
