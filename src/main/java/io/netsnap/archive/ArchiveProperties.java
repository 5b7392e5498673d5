package io.netsnap.archive;

import java.nio.file.Path;
import java.time.Period;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where backups are kept ({@code netsnap.archive.*}).
 *
 * @param root        archive root: {@code history/} (git), {@code runs/<date>/<runId>/} (dated exports)
 * @param maskSecrets {@code true}: store configurations with secrets masked by the platform's rules, for archives
 *                    that people browse; such versions cannot be restored
 * @param retention   dated export folders older than this are removed, locally and on the backup server; the
 *                    history keeps every version
 */
@ConfigurationProperties("netsnap.archive")
public record ArchiveProperties(@DefaultValue("./netsnap-data") Path root,
                                @DefaultValue("false") boolean maskSecrets,
                                @DefaultValue("P30D") Period retention) {
}
