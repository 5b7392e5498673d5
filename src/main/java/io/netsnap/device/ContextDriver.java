package io.netsnap.device;

import java.util.List;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;

/**
 * A platform whose configuration may come in separate contexts, each stored as its own file: the Cisco ASA in
 * multiple-context mode, where the system execution space and every security context have their own running
 * configuration. The workflow asks {@link #discover} first, then fetches each context in its own step.
 */
public interface ContextDriver extends DeviceDriver {

    /** The name under which the system execution space is fetched and stored. */
    String SYSTEM = "system";

    /**
     * The device's mode and, in multiple mode, the contexts to fetch: {@link #SYSTEM} first, then the inventory's
     * contexts when it lists any, else the contexts the device reports.
     *
     * @throws DeviceException when the device cannot say, or reports a context name that is not a plain name
     */
    Contexts discover(Device device, Credentials credentials);

    /** Fetches one context ({@link #SYSTEM} for the system execution space) in a session of its own. */
    FetchedConfig fetchContext(Device device, Credentials credentials, String context);

    /**
     * @param multiple {@code false} for a single-context device, which is fetched whole with
     *                 {@link #fetch(Device, Credentials)}
     * @param names    the contexts to fetch, {@link #SYSTEM} first; empty in single mode
     */
    record Contexts(boolean multiple, List<String> names) {

        public Contexts {
            names = List.copyOf(names);
        }
    }
}
