package io.netsnap.backup;

import java.util.List;

/**
 * What a run was started for, as netsnap itself resolved it: written to the run's folder ({@code scope.json}) before
 * any device is touched, and the only source device steps trust for which devices belong to the run and which
 * inventory describes them. Process variables name the run and the device; this file says whether that pair is
 * real.
 *
 * @param runId       the run
 * @param startedAt   when the run started, ISO
 * @param inventory   the inventory file the scope was resolved from (checked when it was named)
 * @param reason      why the run was started
 * @param requestedBy who started it, as stated at the start, or {@code null}
 * @param devices     the names of the devices in scope, in inventory order
 */
public record RunScope(String runId, String startedAt, String inventory, String reason, String requestedBy,
                       List<String> devices) {

    /** The file in the run's folder. */
    public static final String FILE = "scope.json";

    public RunScope {
        devices = devices == null ? List.of() : List.copyOf(devices);
    }
}
