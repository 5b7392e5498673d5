package io.netsnap.backup;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backup run settings ({@code netsnap.*}).
 *
 * @param inventory     the inventory YAML file
 * @param schedule      nightly run settings
 * @param retryBackoff  wait before the first retry of a device after a transient fault (timeout, refused or
 *                      reset connection); doubles with each further retry
 */
@ConfigurationProperties("netsnap")
public record BackupProperties(@DefaultValue("./inventory.yaml") Path inventory,
                               @DefaultValue Schedule schedule,
                               @DefaultValue("PT10S") Duration retryBackoff) {

    /**
     * @param cron Zeebe cron expression (seconds first) of the nightly run's timer start event, set at deployment
     */
    public record Schedule(@DefaultValue("0 0 2 * * ?") String cron) {
    }
}
