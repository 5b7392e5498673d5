package io.netsnap.upload;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where runs are copied offsite ({@code netsnap.upload.*}).
 *
 * @param target      Commons VFS URI of the backup server folder, e.g. {@code sftp://backup@host:22/netbackups};
 *                    empty: runs are not uploaded
 * @param credentials Vault path of the login ({@code username}, and {@code password} or {@code ssh_private_key});
 *                    the user in {@code target}, when given, takes precedence over {@code username}
 * @param knownHosts  OpenSSH known_hosts file that must hold the server's host key; an unknown or changed key is
 *                    refused, there is no trust-on-first-use for the backup server
 * @param timeout     connect and read timeout of the SFTP session
 * @param sessions    SFTP sessions one upload uses at once, each sending the next file when done with one (a large run
 *                    waits on the server's round trips, not on bytes); at least 1
 */
@ConfigurationProperties("netsnap.upload")
public record UploadProperties(String target, String credentials, Path knownHosts,
                               @DefaultValue("PT30S") Duration timeout, @DefaultValue("4") int sessions) {

    public UploadProperties {
        if (sessions < 1) {
            throw new IllegalArgumentException("netsnap.upload.sessions must be at least 1, not " + sessions);
        }
    }

    /** Whether a target is configured at all. */
    public boolean enabled() {
        return target != null && !target.isBlank();
    }
}
