package io.netsnap.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inventories netsnap may read, and only those: the configured one ({@code netsnap.inventory}) and files under
 * the configured folders ({@code netsnap.inventory-folders}). A run names its inventory in a process variable, which
 * anyone with Operate, Tasklist or engine access can edit; the reference is checked here before the file is opened,
 * so that a variable can neither make netsnap read an arbitrary file nor trust an inventory someone planted.
 *
 * <p>Loaded inventories are kept while the file is unchanged (same size and modification time): every device job
 * resolves its device here, and a fleet of thousands must not parse the YAML thousands of times.
 */
public final class InventoryCatalog {

    private final Path configured;
    private final List<Path> folders;
    private final InventoryLoader loader;
    private final Map<Path, Loaded> loaded = new ConcurrentHashMap<>();

    /**
     * @param configured the configured inventory file
     * @param folders    folders whose files (at any depth) may be named as a run's inventory; may be empty
     */
    public InventoryCatalog(Path configured, List<Path> folders, InventoryLoader loader) {
        this.configured = Objects.requireNonNull(configured, "configured").toAbsolutePath().normalize();
        this.folders = folders.stream().map(folder -> folder.toAbsolutePath().normalize()).toList();
        this.loader = loader;
    }

    /**
     * The inventory file a reference names, once it is known to be one netsnap may read.
     *
     * @param reference a path as a process variable gives it; {@code null} or blank for the configured inventory
     * @throws InventoryException when the reference names anything else; the file is not opened
     */
    public Path resolve(String reference) {
        if (reference == null || reference.isBlank()) {
            return configured;
        }
        Path named;
        try {
            named = Path.of(reference.trim()).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw refused(configured, "the inventory variable '" + oneLine(reference) + "' is not a path");
        }
        if (named.equals(configured)) {
            return configured;
        }
        // Compared after resolving links: a link inside a folder must not lead outside it.
        Path real;
        try {
            real = named.toRealPath();
        } catch (IOException e) {
            throw refused(named, "no such file under a configured inventory folder (netsnap.inventory-folders)");
        }
        for (Path folder : folders) {
            try {
                if (real.startsWith(folder.toRealPath()) && Files.isRegularFile(real)) {
                    return real;
                }
            } catch (IOException e) {
                // a configured folder that does not exist allows nothing
            }
        }
        throw refused(named, "neither netsnap's configured inventory (" + configured + ") nor a file under a folder"
                + " listed in netsnap.inventory-folders" + (folders.isEmpty() ? " (none configured)"
                : " (" + String.join(", ", folders.stream().map(Path::toString).toList()) + ")"));
    }

    /**
     * The validated inventory a reference names.
     *
     * @throws InventoryException when the reference is refused or the inventory is invalid
     */
    public Inventory load(String reference) {
        Path file = resolve(reference);
        FileTime modified;
        long size;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            modified = attributes.lastModifiedTime();
            size = attributes.size();
        } catch (IOException e) {
            // the loader reports a missing or unreadable file in its own words
            return loader.load(file);
        }
        Loaded cached = loaded.get(file);
        if (cached != null && cached.modified.equals(modified) && cached.size == size) {
            return cached.inventory;
        }
        Inventory inventory = loader.load(file);
        loaded.put(file, new Loaded(modified, size, inventory));
        return inventory;
    }

    private static InventoryException refused(Path file, String why) {
        return new InventoryException(file, List.of(new InventoryException.Problem(file, 0, "not read: " + why)));
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    private record Loaded(FileTime modified, long size, Inventory inventory) {
    }
}
