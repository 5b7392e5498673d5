package io.netsnap.notify;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What netsnap remembers between runs to alert once per failure ({@code state/alerts.json} under the archive root):
 * the devices that are failing, since when, and whether people were told.
 *
 * @param lastDigest the run date of the last message that listed still-failing devices, or {@code null}
 * @param handled    the runs (and overdue warnings) already notified, newest last, so that a retried job does not
 *                   count a run twice or send its message again
 * @param failing    by device label ({@code DEVICE} or {@code DEVICE/CONTEXT}), the failures netsnap knows of
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AlertState(LocalDate lastDigest, List<String> handled, Map<String, Failing> failing) {

    /** How many handled runs are remembered: more than any retry needs. */
    static final int HANDLED_KEPT = 200;

    AlertState {
        handled = handled == null ? List.of() : List.copyOf(handled);
        failing = failing == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(failing));
    }

    static AlertState empty() {
        return new AlertState(null, List.of(), Map.of());
    }

    /**
     * One device (or context) that is failing.
     *
     * @param code      its error code; another code is another failure, alerted again
     * @param since     the run date of the first run it failed in with this code
     * @param sinceRun  that run's id
     * @param runs      how many runs it failed in since then
     * @param lastSeen  the run date of the last run it failed in
     * @param alertedOn the run date its alert was delivered, or {@code null} while no channel has taken it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Failing(String code, LocalDate since, String sinceRun, int runs, LocalDate lastSeen, LocalDate alertedOn) {

        boolean alerted() {
            return alertedOn != null;
        }
    }
}
