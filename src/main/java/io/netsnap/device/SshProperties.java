package io.netsnap.device;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SSH client settings ({@code netsnap.ssh.*}).
 *
 * @param knownHosts     OpenSSH known_hosts file that device host keys are checked against; default
 *                       {@code <netsnap.archive.root>/known_hosts}
 * @param hostKeyPolicy  {@code tofu}: record a device's key on first contact and refuse any later change;
 *                       {@code strict}: refuse devices whose key is not already in known_hosts
 * @param connectTimeout TCP connect plus key exchange limit
 * @param authTimeout    limit for the SSH authentication exchange
 * @param deviceCeiling  hard limit for one device's whole session, whatever the per-command idle timeout
 */
@ConfigurationProperties("netsnap.ssh")
public record SshProperties(Path knownHosts,
                            @DefaultValue("tofu") HostKeyPolicy hostKeyPolicy,
                            @DefaultValue("PT10S") Duration connectTimeout,
                            @DefaultValue("PT15S") Duration authTimeout,
                            @DefaultValue("PT10M") Duration deviceCeiling) {

    /** How keys of devices not yet in known_hosts are treated. Changed keys are always refused. */
    public enum HostKeyPolicy { TOFU, STRICT }
}
