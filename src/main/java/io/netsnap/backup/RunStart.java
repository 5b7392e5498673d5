package io.netsnap.backup;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.Inventory;
import io.netsnap.inventory.InventoryLoader;

/** The start of a run: its id and export folder, its devices from the inventory, and that scope on record. */
@Service
public class RunStart {

    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final BackupProperties properties;
    private final DeviceDrivers drivers;
    private final Archive archive;

    public RunStart(BackupProperties properties, DeviceDrivers drivers, Archive archive) {
        this.properties = properties;
        this.drivers = drivers;
        this.archive = archive;
    }

    /** Loads and validates the inventory; every problem is reported at once, before any connection. */
    public Inventory loadInventory(Path file) {
        return new InventoryLoader(drivers.traits()).load(file != null ? file : properties.inventory());
    }

    /** Gives a new run its id, start time and export folder. */
    public RunPlan.Start start() {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
        String runId = RUN_STAMP.format(now) + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        return new RunPlan.Start(new RunFolder(runId, now.toLocalDate()), now.toInstant());
    }

    /**
     * Resolves the run's scope from the inventory.
     *
     * @param inventory the run's inventory
     * @param group     a group to back up, or {@code null}
     * @param names     device names to back up; all devices when empty and no group is given
     * @throws io.netsnap.inventory.InventoryException naming the unknown group and every unknown device
     */
    public List<Device> scope(Inventory inventory, String group, Collection<String> names) {
        return inventory.select(group, names);
    }

    /**
     * Records the run's scope in its folder, before anything is checked or contacted: device steps accept only a run
     * that has one, and only its devices.
     */
    public void recordScope(RunFolder run, RunScope scope) {
        archive.writeRunState(run, RunScope.FILE, scope);
    }
}
