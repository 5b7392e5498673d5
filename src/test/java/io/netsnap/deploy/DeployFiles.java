package io.netsnap.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the recipes under {@code deploy/} as YAML documents (SnakeYAML, safe types only). */
final class DeployFiles {

    static final Path DEPLOY = Path.of("deploy");

    private DeployFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document in {@code file}, each a map. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static Map<String, Object> document(Path file) {
        List<Map<String, Object>> documents = documents(file);
        if (documents.size() != 1) {
            throw new AssertionError(file + " holds " + documents.size() + " documents, expected one");
        }
        return documents.get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** The value at a path of map keys, or null. */
    static Object at(Map<String, Object> root, String... keys) {
        Object current = root;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** An environment variable that holds a secret by its name, not a reference to one (a file, a path). */
    static boolean namesASecret(String name) {
        String upper = name.toUpperCase();
        boolean secretish = upper.contains("PASSWORD") || upper.contains("SECRET") || upper.contains("TOKEN")
                || upper.contains("CREDENTIAL") || upper.contains("PRIVATEKEY");
        boolean reference = upper.endsWith("FILE") || upper.endsWith("PATH") || upper.endsWith("ENV")
                || upper.endsWith("URL");
        return secretish && !reference;
    }
}
