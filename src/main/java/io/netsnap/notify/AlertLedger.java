package io.netsnap.notify;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.RunReport;

/**
 * The de-duplication rules (Oxidized #932: one mail per failure, not one per night), as a pure function of the state
 * and a run's report. Units are devices, or the contexts of a multiple-context device, keyed by their label; a
 * failure is a unit and its error code.
 * <ul>
 *   <li>a unit that fails with a code it was not failing with is a <b>new failure</b>: alerted once, with its
 *       message;</li>
 *   <li>a unit that fails again with the same code is <b>still failing</b>: one line in the next message, and a
 *       message for such lines alone at most once per run date (the <b>daily digest</b>);</li>
 *   <li>a unit that was alerted and now succeeds has <b>recovered</b>: said once, then forgotten;</li>
 *   <li>a unit no run has reported for {@link #FORGET_AFTER_DAYS} days (taken out of the inventory) is forgotten
 *       without a word.</li>
 * </ul>
 * A unit absent from a run (a run scoped to a group) keeps its state.
 */
final class AlertLedger {

    static final int FORGET_AFTER_DAYS = 7;

    private AlertLedger() {
    }

    /** A new failure: the unit, the result that failed, and the code it failed with before, if another. */
    record NewFailure(String label, DeviceResult result, AlertState.Failing failing, String previousCode) {
    }

    /** A unit alerted before that now succeeds. */
    record Recovery(String label, AlertState.Failing failing) {
    }

    /** A unit alerted before that is still failing (or was not in this run). */
    record StillFailing(String label, AlertState.Failing failing) {
    }

    /**
     * What a run end changes.
     *
     * @param undelivered the state when no channel takes the message: failures counted, nothing marked as told
     * @param delivered   the state once a channel has taken it
     * @param digestDue   still-failing units alone call for a message (the first message of the run date)
     */
    record Step(List<NewFailure> newFailures, List<Recovery> recoveries, List<StillFailing> stillFailing,
                boolean digestDue, AlertState undelivered, AlertState delivered) {

        boolean news() {
            return !newFailures.isEmpty() || !recoveries.isEmpty() || digestDue;
        }
    }

    static Step apply(AlertState state, RunReport report, LocalDate runDate) {
        Map<String, AlertState.Failing> failing = new LinkedHashMap<>(state.failing());
        List<NewFailure> newFailures = new ArrayList<>();
        List<Recovery> recoveries = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Unit unit : units(report)) {
            seen.add(unit.label);
            AlertState.Failing known = failing.get(unit.label);
            if (unit.result == null) {
                // failed only through its contexts: the contexts carry the failure now
                failing.remove(unit.label);
            } else if (unit.result.ok()) {
                if (known != null) {
                    failing.remove(unit.label);
                    if (known.alerted()) {
                        recoveries.add(new Recovery(unit.label, known));
                    }
                }
            } else {
                String code = Text.code(unit.result.error());
                AlertState.Failing now;
                if (known != null && known.code().equals(code)) {
                    now = new AlertState.Failing(code, known.since(), known.sinceRun(), known.runs() + 1, runDate,
                            known.alertedOn());
                } else {
                    now = new AlertState.Failing(code, runDate, report.runId(), 1, runDate, null);
                }
                failing.put(unit.label, now);
                if (!now.alerted()) {
                    newFailures.add(new NewFailure(unit.label, unit.result, now,
                            known != null && !known.code().equals(code) ? known.code() : null));
                }
            }
        }
        failing.entrySet().removeIf(e -> !seen.contains(e.getKey())
                && e.getValue().lastSeen().plusDays(FORGET_AFTER_DAYS).isBefore(runDate));
        List<StillFailing> still = failing.entrySet().stream()
                .filter(e -> e.getValue().alerted())
                .map(e -> new StillFailing(e.getKey(), e.getValue())).toList();
        boolean digestDue = (state.lastDigest() == null || state.lastDigest().isBefore(runDate))
                && still.stream().anyMatch(s -> s.failing().alertedOn().isBefore(runDate));

        List<String> handled = handled(state, report.runId());
        AlertState undelivered = new AlertState(state.lastDigest(), handled, failing);
        Map<String, AlertState.Failing> told = new LinkedHashMap<>(failing);
        for (NewFailure failure : newFailures) {
            AlertState.Failing f = failure.failing();
            told.put(failure.label(), new AlertState.Failing(f.code(), f.since(), f.sinceRun(), f.runs(),
                    f.lastSeen(), runDate));
        }
        AlertState delivered = new AlertState(still.isEmpty() ? state.lastDigest() : runDate, handled, told);
        return new Step(newFailures, recoveries, still, digestDue, undelivered, delivered);
    }

    /** The state with {@code key} (a run id, or {@code overdue:<runId>}) recorded as handled. */
    static List<String> handled(AlertState state, String key) {
        List<String> handled = new ArrayList<>(state.handled());
        handled.remove(key);
        handled.add(key);
        return handled.size() > AlertState.HANDLED_KEPT
                ? handled.subList(handled.size() - AlertState.HANDLED_KEPT, handled.size()) : handled;
    }

    /** A device, or one context of a device; {@code result} is {@code null} for a device failed by its contexts. */
    private record Unit(String label, DeviceResult result) {
    }

    private static List<Unit> units(RunReport report) {
        List<Unit> units = new ArrayList<>();
        for (DeviceResult device : report.devices() == null ? List.<DeviceResult>of() : report.devices()) {
            if (device == null || device.device() == null) {
                continue;
            }
            List<DeviceResult> contexts = device.contexts() == null ? List.of() : device.contexts();
            boolean contextFailed = contexts.stream().anyMatch(c -> c != null && !c.ok());
            // labels come from the report, which people with engine access can edit: one short line each
            String name = Text.oneLine(device.device(), 80);
            units.add(new Unit(name, device.ok() || !contextFailed ? device : null));
            for (DeviceResult context : contexts) {
                if (context != null && context.context() != null) {
                    units.add(new Unit(name + "/" + Text.oneLine(context.context(), 40), context));
                }
            }
        }
        return units;
    }
}
