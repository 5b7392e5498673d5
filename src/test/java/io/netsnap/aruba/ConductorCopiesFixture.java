package io.netsnap.aruba;

import java.time.Duration;

import io.netsnap.archive.Archive;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.device.SshConnector;

/** {@link ConductorCopies} for tests outside this package, which cannot reach its package-private parts. */
public final class ConductorCopiesFixture {

    private ConductorCopiesFixture() {
    }

    /** Conductor copies over a real SFTP connection to the SCP server {@code scp} names. */
    public static ConductorCopies of(Archive archive, SshConnector ssh, CredentialsProvider credentials,
                                     ArubaProperties.Scp scp) {
        ArubaProperties properties = new ArubaProperties(null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(5), scp);
        return new ConductorCopies(archive, new ScpTarget(ssh, properties), credentials, properties);
    }

    /** For runs without conductors: no SCP server configured, nothing recorded to remove. */
    public static ConductorCopies none(Archive archive) {
        return of(archive, null, null, null);
    }
}
