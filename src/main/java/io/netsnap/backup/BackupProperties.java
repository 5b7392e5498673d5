package io.netsnap.backup;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backup run settings ({@code netsnap.*}).
 *
 * @param inventory     the inventory YAML file
 * @param schedule      nightly run settings
 * @param inventoryFolders folders whose YAML files a run may name as its inventory (the {@code inventory} variable,
 *                      {@code netsnap backup --inventory} in remote mode); empty: only {@code inventory}
 */
@ConfigurationProperties("netsnap")
public record BackupProperties(@DefaultValue("./inventory.yaml") Path inventory,
                               @DefaultValue Schedule schedule,
                               @DefaultValue List<Path> inventoryFolders) {

    @ConstructorBinding
    public BackupProperties {
        inventoryFolders = inventoryFolders == null ? List.of() : List.copyOf(inventoryFolders);
    }

    /** Settings with only the configured inventory readable. */
    public BackupProperties(Path inventory, Schedule schedule) {
        this(inventory, schedule, List.of());
    }

    /**
     * @param cron Zeebe cron expression (seconds first) of the nightly run's timer start event, set at deployment
     */
    public record Schedule(@DefaultValue("0 0 2 * * ?") String cron) {
    }
}
