package io.netsnap.workflow;

import io.netsnap.inventory.Device;
import io.netsnap.inventory.PlatformTraits;

/**
 * What Operate shows about a device in scope: a descriptive copy of its inventory entry. No worker reads it to decide
 * where to connect, which secret to read or whether to verify TLS (DESIGN §3): every device step takes the device's
 * name ({@code deviceName}) and looks the rest up in the inventory. The model routes on {@code kind}, computed from
 * the traits its driver declares, to pick a branch; each step checks the inventory's platform again before it acts.
 *
 * @param kind {@link #CLI}, {@link #CLI_CONTEXTS} or {@link #REST_STEPS}; {@code null} for a platform without a
 *             driver, which takes the whole-device branch and fails there as unsupported
 */
public record DeviceVariable(String name, String host, int port, String platform, String kind, String group) {

    /** Fetched whole in one CLI session. */
    static final String CLI = "cli";
    /** A CLI platform whose configuration may come in contexts: discovered first, then fetched one by one. */
    static final String CLI_CONTEXTS = "cli-contexts";
    /** Backed up by a sequence of REST calls the model runs as steps of their own. */
    static final String REST_STEPS = "rest-steps";

    static DeviceVariable of(Device device, PlatformTraits traits) {
        return new DeviceVariable(device.name(), device.host(), device.port(), device.platform(),
                traits == null ? null : kind(traits), device.group());
    }

    /** The branch of device-backup for a platform; the gateway {@code Gateway_Platform} tests these values. */
    static String kind(PlatformTraits traits) {
        return switch (traits.transport()) {
            case REST_STEPS -> REST_STEPS;
            case CLI_SSH -> traits.contexts() == null ? CLI : CLI_CONTEXTS;
        };
    }
}
