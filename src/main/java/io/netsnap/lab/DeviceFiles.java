package io.netsnap.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * One simulated device's file system ({@code flash:}, {@code bootflash:}) in a temporary directory, shared by its
 * CLI commands and its SCP server. A file is stored under its name as a client types it, file system included
 * ({@code flash:netsnap-r1-candidate.cfg}): that is where MINA's SCP server puts {@code scp … host:flash:name} in a
 * directory file system, so the shell and SCP see the same files. {@code flash:/name} means the same file.
 */
final class DeviceFiles {

    private final String system;
    private final Path root;

    /** @param system the file system's name with its colon, e.g. {@code flash:} */
    DeviceFiles(String system) {
        this.system = system;
        try {
            this.root = Files.createTempDirectory("netsnap-lab-" + system.replace(":", "")).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    /** The file a typed name stands for, or {@code null} when the name is not on this file system. */
    Path resolve(String typed) {
        if (!typed.startsWith(system)) {
            return null;
        }
        String name = typed.substring(system.length()).replaceFirst("^/+", "");
        if (name.isEmpty() || name.contains("/") || name.equals("..")) {
            return null;
        }
        return root.resolve(system + name);
    }

    /** The text of a file, or {@code null} when there is none. */
    String read(String typed) {
        Path file = resolve(typed);
        try {
            return file == null || !Files.isRegularFile(file) ? null : Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean exists(String typed) {
        Path file = resolve(typed);
        return file != null && Files.isRegularFile(file);
    }

    /** Writes a file; returns its size in bytes. */
    int write(String typed, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(resolve(typed), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.length;
    }

    /** The MD5 of a file's bytes, hex, or {@code null} when there is none. */
    String md5(String typed) {
        Path file = resolve(typed);
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /**
     * The running configuration a configuration file stands for: without the comment lines ({@code !…}) and blank
     * lines a device writes at the top of a saved configuration (and netsnap's normalized text keeps), which the
     * device's own {@code show running-config} header supplies again.
     */
    static String body(String file) {
        String[] lines = file.replace("\r\n", "\n").split("\n", -1);
        int start = 0;
        while (start < lines.length && (lines[start].isBlank() || lines[start].startsWith("!"))) {
            start++;
        }
        return String.join("\n", java.util.Arrays.copyOfRange(lines, start, lines.length)).stripTrailing();
    }

    void delete() {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the OS cleans up what is left
        }
    }
}
