package io.netsnap.aruba;

import java.util.List;

import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.inventory.Device;
import io.netsnap.preflight.PreflightCheck;

/**
 * Preflight for runs with conductors: the SCP target they push to is configured and its account readable with a
 * password. Otherwise every conductor would log in, write its flash backup and only then fail at
 * {@code copy_flash_scp}, with a tar file left to clean on each.
 */
@Component
class ConductorTargetCheck implements PreflightCheck {

    private final ArubaProperties properties;
    private final CredentialsProvider credentials;

    ConductorTargetCheck(ArubaProperties properties, CredentialsProvider credentials) {
        this.properties = properties;
        this.credentials = credentials;
    }

    @Override
    public List<String> problems(List<Device> devices) {
        if (devices.stream().noneMatch(d -> ArubaConductorDriver.PLATFORM.equals(d.platform()))) {
            return List.of();
        }
        ArubaProperties.Scp scp = properties.scp();
        if (!scp.configured()) {
            return List.of("conductors: no SCP target for their flash backups; set netsnap.aruba.scp.host and"
                    + " netsnap.aruba.scp.credentials");
        }
        try {
            Credentials account = credentials.forPath(scp.credentials());
            return account.password() == null ? List.of("conductors: the SCP account at Vault path "
                    + scp.credentials() + " has no 'password' field, which copy_flash_scp needs") : List.of();
        } catch (CredentialsUnavailableException e) {
            return List.of("conductors: SCP account: " + e.getMessage());
        }
    }
}
