package io.netsnap.backup;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.Inventory;
import io.netsnap.inventory.InventoryCatalog;
import io.netsnap.inventory.InventoryLoader;

/**
 * Turns the names that process variables carry into what netsnap itself holds (DESIGN §3, trust boundary). A worker
 * gets a device's name and the run's inventory reference; host, port, platform, credentials path, contexts, timeout
 * and {@code insecure} come from the inventory, never from a variable.
 */
@Service
public class DeviceDirectory {

    private final InventoryCatalog catalog;

    public DeviceDirectory(BackupProperties properties, DeviceDrivers drivers) {
        this.catalog = new InventoryCatalog(properties.inventory(), properties.inventoryFolders(),
                new InventoryLoader(drivers.defaultPorts()));
    }

    /**
     * The inventory a run names: {@code null} or blank for {@code netsnap.inventory}.
     *
     * @throws io.netsnap.inventory.InventoryException when the reference is not an inventory netsnap may read, or
     *                                                 the inventory is invalid
     */
    public Inventory inventory(String reference) {
        return catalog.load(reference);
    }

    /**
     * The inventory's device of this name.
     *
     * @throws UnknownReferenceException when no name is given or the inventory has no such device
     * @throws io.netsnap.inventory.InventoryException when the inventory reference is refused or the inventory is
     *                                                 invalid
     */
    public Device device(String inventoryReference, String name) {
        if (name == null || name.isBlank()) {
            throw new UnknownReferenceException(UnknownReferenceException.Kind.DEVICE,
                    "no device name given: device-backup is started by network-backup, one instance per device in"
                            + " the inventory; start network-backup instead");
        }
        Inventory inventory = inventory(inventoryReference);
        return inventory.device(name).orElseThrow(() -> new UnknownReferenceException(
                UnknownReferenceException.Kind.DEVICE, printable(name) + ": no such device in the inventory "
                        + inventory.source() + "; nothing was read from Vault and nothing was contacted"));
    }

    /**
     * The inventory's device of this name, which must be one of the given platforms: a step of one platform's
     * sequence must not run against another platform's device, whatever the variable that routed it said.
     */
    public Device device(String inventoryReference, String name, List<String> platforms) {
        Device device = device(inventoryReference, name);
        if (!platforms.contains(device.platform())) {
            throw new UnknownReferenceException(UnknownReferenceException.Kind.DEVICE, device.name()
                    + ": the inventory lists it as " + device.platform() + ", not "
                    + platforms.stream().collect(Collectors.joining(" or ")) + "; this step does not apply to it");
        }
        return device;
    }

    /** A name from a variable, safe to print on one line. */
    static String printable(String name) {
        String flat = name.replaceAll("\\p{Cntrl}", "?");
        return "'" + (flat.length() > 80 ? flat.substring(0, 80) + "..." : flat) + "'";
    }
}
