package io.netsnap.device;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;

/**
 * The one shared base of the CLI drivers: a platform is its {@link CliProfile}, and the common flow of
 * {@link CliFetcher} does the rest. A platform class adds its key, its profile and the device output that explains
 * each rule of the profile.
 */
abstract class CliDriver implements DeviceDriver {

    protected final CliProfile profile;
    protected final CliFetcher fetcher;

    protected CliDriver(SshConnector connector, CliProfile profile) {
        this.profile = profile;
        this.fetcher = new CliFetcher(connector, profile);
    }

    @Override
    public FetchedConfig fetch(Device device, Credentials credentials) {
        return fetcher.fetch(device, credentials);
    }

    /** Logs in (privileged and prepared, as a backup would) and closes the session without fetching. */
    @Override
    public void verifyLogin(Device device, Credentials credentials) {
        fetcher.open(device, credentials).close();
    }

    @Override
    public String mask(String config) {
        return profile.mask(config);
    }
}
