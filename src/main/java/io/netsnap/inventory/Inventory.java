package io.netsnap.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated inventory: every device with group and default settings applied, in file order.
 *
 * @param source  the file it was loaded from
 * @param devices the devices, in the order the file lists them; names are unique
 */
public record Inventory(Path source, List<Device> devices) {

    public Inventory {
        Objects.requireNonNull(source, "source");
        devices = List.copyOf(devices);
    }

    /** The device with exactly this name. */
    public Optional<Device> device(String name) {
        return devices.stream().filter(device -> device.name().equals(name)).findFirst();
    }

    /**
     * Devices for a run scope: all when {@code group} is null or blank and {@code names} is empty; otherwise the
     * devices in the group together with the named ones, in inventory order and each once.
     *
     * @throws InventoryException naming the unknown group and every unknown device name
     */
    public List<Device> select(String group, Collection<String> names) {
        boolean byGroup = group != null && !group.isBlank();
        Collection<String> named = names == null ? List.of() : names;
        if (!byGroup && named.isEmpty()) {
            return devices;
        }
        var problems = new ArrayList<InventoryException.Problem>();
        if (byGroup && !groups().contains(group)) {
            problems.add(new InventoryException.Problem(source, 0, "unknown group '" + group + "'"
                    + Suggestions.didYouMean(group, groups()) + " (groups: " + String.join(", ", groups()) + ")"));
        }
        Set<String> wanted = new LinkedHashSet<>(named);
        List<String> known = devices.stream().map(Device::name).toList();
        for (String name : wanted) {
            if (device(name).isEmpty()) {
                problems.add(new InventoryException.Problem(source, 0,
                        "unknown device '" + name + "'" + Suggestions.didYouMean(name, known)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InventoryException(source, problems);
        }
        return devices.stream()
                .filter(device -> (byGroup && group.equals(device.group())) || wanted.contains(device.name()))
                .toList();
    }

    /** A run scope that this inventory cannot serve, as {@link #select} reports its own. */
    public InventoryException scopeProblem(String message) {
        return new InventoryException(source, List.of(new InventoryException.Problem(source, 0, message)));
    }

    /** Names of the groups that have at least one device, sorted. */
    public Set<String> groups() {
        var groups = new TreeSet<String>();
        devices.stream().map(Device::group).filter(Objects::nonNull).forEach(groups::add);
        return Collections.unmodifiableSortedSet(groups);
    }
}
