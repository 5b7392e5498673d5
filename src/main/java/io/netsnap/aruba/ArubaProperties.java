package io.netsnap.aruba;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How netsnap talks to Aruba Mobility Conductors over their REST API ({@code netsnap.aruba.*}).
 *
 * @param caBundle       PEM file with the CA certificate(s) the conductors' TLS certificates must chain to; unset for
 *                       the JVM's trust store. Verification is always on, except for an inventory device that says
 *                       {@code insecure: true}
 * @param connectTimeout TCP and TLS connection to a conductor
 * @param readTimeout    one API call; {@code flash_backup} and {@code copy_flash_scp} take long on a big flash
 * @param sessionTtl     how long a logged-in session stays in the worker's registry between two steps; then it is
 *                       forgotten and the conductor's lease released, and a later step with its handle fails clearly
 * @param scp            where conductors push their flash backups
 */
@Validated
@ConfigurationProperties("netsnap.aruba")
public record ArubaProperties(Path caBundle,
                              @DefaultValue("PT10S") Duration connectTimeout,
                              @DefaultValue("PT5M") Duration readTimeout,
                              @DefaultValue("PT30M") Duration sessionTtl,
                              @DefaultValue Scp scp) {

    public ArubaProperties {
        Objects.requireNonNull(connectTimeout, "netsnap.aruba.connect-timeout");
        Objects.requireNonNull(readTimeout, "netsnap.aruba.read-timeout");
        Objects.requireNonNull(sessionTtl, "netsnap.aruba.session-ttl");
        scp = scp == null ? new Scp(null, null, 22, "/") : scp;
    }

    /**
     * The SCP server conductors copy their backups to ({@code netsnap.aruba.scp.*}).
     *
     * @param credentials Vault path of the SCP account ({@code username}, {@code password}); the password goes to the
     *                    conductor in the {@code copy_flash_scp} body and nowhere else
     * @param host        address of the server as the conductor reaches it (ArubaOS wants an IP address)
     * @param port        its SSH port, used by netsnap to verify what arrived over SFTP
     * @param directory   directory on the server the files are copied to
     */
    public record Scp(String credentials, String host, @DefaultValue("22") int port,
                      @DefaultValue("/") String directory) {

        public Scp {
            directory = directory == null || directory.isBlank() ? "/" : directory.strip();
        }

        boolean configured() {
            return credentials != null && !credentials.isBlank() && host != null && !host.isBlank();
        }
    }
}
