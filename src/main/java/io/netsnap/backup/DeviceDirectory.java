package io.netsnap.backup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.Inventory;
import io.netsnap.inventory.InventoryCatalog;
import io.netsnap.inventory.InventoryLoader;

/**
 * Turns the names that process variables carry into what netsnap itself holds (DESIGN §3, trust boundary). A device
 * step gets a run reference and a device's name; the run's {@link RunScope}, written by netsnap when it resolved the
 * scope, says whether the device belongs to that run and which inventory describes it; host, port, platform,
 * credentials path, contexts, timeout and {@code insecure} come from that inventory, never from a variable.
 */
@Service
public class DeviceDirectory {

    /** Scopes of recent runs: every device job of a run asks, and a run has one scope. */
    private static final int SCOPES_KEPT = 32;

    private final InventoryCatalog catalog;
    private final Archive archive;
    private final Map<RunFolder, RunScope> scopes = new ConcurrentHashMap<>();

    public DeviceDirectory(BackupProperties properties, DeviceDrivers drivers, Archive archive) {
        this.catalog = new InventoryCatalog(properties.inventory(), properties.inventoryFolders(),
                new InventoryLoader(drivers.traits()));
        this.archive = archive;
    }

    /**
     * The scope netsnap recorded for a run.
     *
     * @throws UnknownReferenceException when netsnap did not start such a run here
     */
    public RunScope scope(RunFolder run) {
        return findScope(run).orElseThrow(() -> new UnknownReferenceException(UnknownReferenceException.Kind.RUN,
                "run " + run.runId() + " of " + run.runDate() + " was not started by netsnap here (no "
                        + RunScope.FILE + " in its state folder); nothing was read from Vault and nothing was"
                        + " contacted"));
    }

    /** The scope netsnap recorded for a run, if it recorded one. */
    public java.util.Optional<RunScope> findScope(RunFolder run) {
        RunScope cached = scopes.get(run);
        if (cached != null) {
            return java.util.Optional.of(cached);
        }
        java.util.Optional<RunScope> scope = archive.readRunState(run, RunScope.FILE, RunScope.class)
                .filter(read -> run.runId().equals(read.runId()));
        scope.ifPresent(found -> {
            if (scopes.size() >= SCOPES_KEPT) {
                scopes.clear();
            }
            scopes.put(run, found);
        });
        return scope;
    }

    /**
     * The inventory file a reference names: {@code null} or blank for {@code netsnap.inventory}.
     *
     * @throws io.netsnap.inventory.InventoryException when it is not one netsnap may read
     */
    public java.nio.file.Path inventoryFile(String reference) {
        return catalog.resolve(reference);
    }

    /**
     * The device of this name in a run: it must be in the run's recorded scope and in the inventory the run was
     * resolved from.
     *
     * @throws UnknownReferenceException when the run is not netsnap's, no name is given, or the device is not in the
     *                                   run or its inventory
     * @throws io.netsnap.inventory.InventoryException when the run's inventory has become invalid
     */
    public Device device(RunFolder run, String name, List<String> platforms) {
        if (name == null || name.isBlank()) {
            throw noName();
        }
        RunScope scope = scope(run);
        if (!scope.devices().contains(name)) {
            throw new UnknownReferenceException(UnknownReferenceException.Kind.DEVICE,
                    "not a device of run " + run.runId() + " (" + scope.devices().size() + " device(s) in its"
                    + " scope); nothing was read from Vault and nothing was contacted");
        }
        return platforms.isEmpty() ? device(scope.inventory(), name) : device(scope.inventory(), name, platforms);
    }

    /**
     * The name of the device at a place (1 for the first) of a run's recorded scope.
     *
     * @throws UnknownReferenceException when no place is given, the run is not netsnap's, or its scope has no
     *                                   device at that place
     */
    public String nameAt(RunFolder run, Integer index) {
        if (index == null) {
            throw noName();
        }
        RunScope scope = scope(run);
        if (index < 1 || index > scope.devices().size()) {
            throw new UnknownReferenceException(UnknownReferenceException.Kind.DEVICE, "run " + run.runId()
                    + " has no device #" + index + " (" + scope.devices().size() + " device(s) in its scope);"
                    + " nothing was read from Vault and nothing was contacted");
        }
        return scope.devices().get(index - 1);
    }

    private static UnknownReferenceException noName() {
        return new UnknownReferenceException(UnknownReferenceException.Kind.DEVICE,
                "no device name given: device-backup is started by network-backup, one instance per device in"
                        + " the inventory; start network-backup instead");
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
            throw noName();
        }
        Inventory inventory = inventory(inventoryReference);
        return inventory.device(name).orElseThrow(() -> new UnknownReferenceException(
                UnknownReferenceException.Kind.DEVICE, "no such device in the inventory "
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
    public static String printable(String name) {
        String flat = String.valueOf(name).replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 80 ? flat.substring(0, 80) + "..." : flat;
    }
}
