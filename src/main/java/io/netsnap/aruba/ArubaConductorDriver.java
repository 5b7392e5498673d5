package io.netsnap.aruba;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.device.CliProfile;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceException;
import io.netsnap.device.DeviceSessions;
import io.netsnap.device.FetchedConfig;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.PlatformTraits;
import io.netsnap.lease.DeviceLeases;

/**
 * Aruba Mobility Conductors (ArubaOS 8, {@code aruba-conductor}) over the REST API on port 4343. The workflow runs
 * the backup sequence step by step through {@link ArubaService}; {@link #fetch} is the whole-device path (login, show
 * running-config, logout) for callers that need only the configuration.
 *
 * <p>{@code GET /v1/configuration/showcommand?command=show+running-config} answers the CLI's text as lines:
 * <pre>
 * {"_data": ["Building Configuration...", " ", "version 8.10", "hostname \"MC-01\" ",
 *            "controller config 1234", "!", "snmp-server community \"s3cr3t\" ",
 *            "mgmt-user admin root 3f0a...", "!", "end"]}
 * </pre>
 * {@code Building Configuration...} and {@code controller config N} (a revision counter that moves on every commit,
 * also the conductor's own) are volatile; lines keep the trailing spaces ArubaOS puts after quoted strings.
 */
@Component
final class ArubaConductorDriver implements DeviceDriver {

    static final String PLATFORM = "aruba-conductor";
    /** REST over HTTPS on 4343, run step by step by the process; the only platform with a certificate to verify. */
    static final PlatformTraits TRAITS =
            new PlatformTraits(PLATFORM, PlatformTraits.Transport.REST_STEPS, 4343, true, null, false);
    static final String SHOW_RUNNING_CONFIG = "show running-config";

    /** Only the text rules of a profile apply here: the transport is HTTPS, so prompt and pager never match. */
    static final CliProfile PROFILE = CliProfile.builder()
            .prompt("(?!)")
            .pager("(?!)", "", "(?!)")
            .fetch(SHOW_RUNNING_CONFIG)
            .volatileLines("\\s*Building Configuration\\.\\.\\.\\s*", "controller config \\d+\\s*")
            // mgmt-user admin root <hash>; snmp-server community "X"; wpa-passphrase X; ipsec X; key X;
            // secret X / enable secret X; vrrp-passphrase X; mobility-manager IP user U <password>
            .secrets("^mgmt-user \\S+ \\S+ (?<secret>\\S+)",
                    "(?:community|wpa-passphrase|vrrp-passphrase|ipsec|PRE-SHARE|secret|key|bkup-passwords"
                            + "|ap-console-password|virtual-controller-key) \"?(?<secret>[^\"\\s]+)",
                    "mobility-manager \\S+ user \\S+ (?<secret>\\S+)")
            .build();

    private static final Logger log = LoggerFactory.getLogger(ArubaConductorDriver.class);

    private final ConductorApi api;
    private final DeviceSessions sessions;
    private final DeviceLeases leases;

    ArubaConductorDriver(ConductorApi api, DeviceSessions sessions, DeviceLeases leases) {
        this.api = api;
        this.sessions = sessions;
        this.leases = leases;
    }

    @Override
    public PlatformTraits traits() {
        return TRAITS;
    }

    @Override
    public FetchedConfig fetch(Device device, Credentials credentials) {
        try (DeviceSessions.Lease turn = sessions.acquire(device); DeviceLeases.Lease lease = lease(device)) {
            ConductorApi.Login login = api.login(device, credentials);
            try {
                return runningConfig(api.show(device, login, SHOW_RUNNING_CONFIG));
            } finally {
                try {
                    api.logout(device, login);
                } catch (RuntimeException e) {
                    log.warn("{}: logout failed: {}", device.name(), e instanceof DeviceException d ? d.detail()
                            : e.getMessage());
                }
            }
        }
    }

    /** Preflight: a login and a logout, nothing fetched and nothing left logged in. */
    @Override
    public void verifyLogin(Device device, Credentials credentials) {
        try (DeviceSessions.Lease turn = sessions.acquire(device); DeviceLeases.Lease lease = lease(device)) {
            api.logout(device, api.login(device, credentials));
        }
    }

    /** The conductor's lease among the replicas, as a backup's session takes it: never two sessions at once. */
    private DeviceLeases.Lease lease(Device device) {
        return ArubaService.lease(device, () -> leases.acquire(ArubaService.endpoint(device), device.name(),
                leases.waitDeadline()));
    }

    @Override
    public String mask(String config) {
        return PROFILE.mask(config);
    }

    static FetchedConfig runningConfig(List<String> lines) {
        String raw = String.join("\n", lines.stream().map(line -> line.replace("\r", "")).toList()) + "\n";
        return new FetchedConfig(raw, PROFILE.normalize(raw));
    }
}
