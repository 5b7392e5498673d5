package io.netsnap.inventory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads the YAML inventory (DESIGN §5) and rejects it as a whole when anything is wrong, listing every problem with
 * its file and line. The YAML is read as a node tree, never bound to objects, so that each problem can point at the
 * line that causes it and no tag in the file can make SnakeYAML instantiate a class.
 */
public final class InventoryLoader {

    private final Map<String, PlatformTraits> platforms;

    /**
     * @param platforms the platforms netsnap has drivers for, as the drivers declare them; any other platform in the
     *                  inventory is a problem
     */
    public InventoryLoader(Collection<PlatformTraits> platforms) {
        var byKey = new TreeMap<String, PlatformTraits>();
        for (PlatformTraits traits : platforms) {
            if (byKey.putIfAbsent(traits.platform(), traits) != null) {
                throw new IllegalArgumentException("platform " + traits.platform() + " is declared twice");
            }
        }
        this.platforms = Collections.unmodifiableMap(byKey);
    }

    /**
     * Reads and validates the inventory.
     *
     * @throws InventoryException listing every problem found, when the file is missing, unreadable, not YAML or not
     *                            a valid inventory
     */
    public Inventory load(Path file) {
        Objects.requireNonNull(file, "file");
        Node root = parse(file, read(file));
        var reader = new InventoryReader(file, platforms);
        List<Device> devices = reader.read(root);
        if (!reader.problems().isEmpty()) {
            throw new InventoryException(file, reader.problems());
        }
        return new Inventory(file, devices);
    }

    private static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw fileProblem(file, "is a directory, not an inventory file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fileProblem(file, "no such file");
        } catch (AccessDeniedException e) {
            throw fileProblem(file, "cannot read the file: permission denied");
        } catch (CharacterCodingException e) {
            throw fileProblem(file, "the file is not UTF-8 text");
        } catch (IOException e) {
            throw fileProblem(file, "cannot read the file: " + e);
        }
    }

    private static Node parse(Path file, String text) {
        try {
            // A fresh Yaml per load: instances are not thread-safe. compose() builds nodes only, never objects.
            return new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw new InventoryException(file, List.of(syntaxProblem(file, e)));
        } catch (YAMLException e) {
            throw fileProblem(file, "cannot parse the YAML: " + oneLine(e.getMessage()));
        }
    }

    /**
     * Built from SnakeYAML's problem and context phrases only: its full message quotes the offending source line,
     * which may hold a secret someone pasted into the file.
     */
    private static InventoryException.Problem syntaxProblem(Path file, MarkedYAMLException e) {
        Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        int line = at == null ? 0 : at.getLine() + 1;
        var text = new StringBuilder("YAML syntax error: ");
        if (e.getContext() != null) {
            text.append(e.getContext());
            Mark context = e.getContextMark();
            if (context != null && context.getLine() + 1 != line) {
                text.append(" (line ").append(context.getLine() + 1).append(')');
            }
            text.append(", ");
        }
        text.append(e.getProblem() == null ? "malformed YAML" : e.getProblem());
        return new InventoryException.Problem(file, line, oneLine(text.toString()));
    }

    private static InventoryException fileProblem(Path file, String message) {
        return new InventoryException(file, List.of(new InventoryException.Problem(file, 0, message)));
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s+", " ").trim();
    }
}
