package io.netsnap.device;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.PlatformTraits;

/**
 * Fetches a device's configuration. One Spring bean per platform, found by {@link #platform()}; adding a platform
 * means adding one driver bean (and its fixtures), never editing a central switch.
 */
public interface DeviceDriver {

    /**
     * What the inventory and the process may know about the platform: its key, transport, default port, TLS and
     * context rule. Declared here, by the driver, so that no other class names a platform.
     */
    PlatformTraits traits();

    /** The inventory key of the platform, e.g. {@code ios}. */
    default String platform() {
        return traits().platform();
    }

    /**
     * Logs in, fetches the running configuration and returns it normalized (volatile lines removed).
     *
     * @throws DeviceException for every failure, with a message naming the device and never a secret
     */
    FetchedConfig fetch(Device device, Credentials credentials);

    /**
     * Proves that {@code credentials} open a session on {@code device} (preflight): logs in and out. This default
     * fetches and discards the configuration; drivers that can log in without fetching override it.
     *
     * @throws DeviceException when the login fails, with a message naming the device and never a secret
     */
    default void verifyLogin(Device device, Credentials credentials) {
        fetch(device, credentials);
    }

    /**
     * {@code config} as it may be shown to people (forms, notifications, diffs in logs): every secret the platform's
     * rules know (password hashes, keys, communities) replaced by {@link CliProfile#MASK}.
     */
    String mask(String config);
}
