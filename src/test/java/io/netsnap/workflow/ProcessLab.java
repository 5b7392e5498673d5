package io.netsnap.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.netsnap.backup.DeviceResult;
import io.netsnap.lab.Lab;

/**
 * What every process test class sets up around its own Spring context and engine: a temporary data folder, a lab
 * with that class's devices, the settings that point netsnap at both, and the lab's shutdown after the class.
 *
 * <p>A test class holds one in a static field registered as an extension, and hands the registry to it from its
 * own {@code @DynamicPropertySource}, where it adds what only it needs:
 * <pre>{@code
 * @RegisterExtension
 * static final ProcessLab SETUP = ProcessLab.start(new Lab.LabDevice(...), ...);
 *
 * @DynamicPropertySource
 * static void lab(DynamicPropertyRegistry registry) {
 *     SETUP.register(registry);
 * }
 * }</pre>
 * Composition rather than a base class: the devices differ per class and must be known when the class is loaded
 * (before Spring asks for its settings), and each class keeps its own {@code @SpringBootTest}, hence its own
 * context and engine (surefire runs every class in a JVM of its own).
 */
final class ProcessLab implements AfterAllCallback {

    /** Long enough for any run of the lab's devices, retries included. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    private final Path data;
    private final Lab lab;

    private ProcessLab(Path data, Lab lab) {
        this.data = data;
        this.lab = lab;
    }

    /** A fresh data folder (the archive root; the lab in its {@code lab} sub-folder) and a lab of these devices. */
    static ProcessLab start(Lab.LabDevice... devices) {
        Path data;
        try {
            data = Files.createTempDirectory("netsnap-process-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProcessLab(data, Lab.start(data.resolve("lab"), List.of(devices)));
    }

    /** The settings every process test shares; a class adds or overrides its own after this call. */
    void register(DynamicPropertyRegistry registry) {
        properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** {@link #register}'s settings, for a test that builds its Spring contexts itself. */
    java.util.Map<String, Object> properties() {
        java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>(lab.properties());
        properties.put("netsnap.archive.root", data.toString());
        // A real backoff, short, one wait per retry: retries come back in the embedded engine since
        // EngineScheduleGuard. The default schedule (30 s, 2 min, 10 min) is FaultsTests'.
        properties.put("netsnap.retry.backoff", "PT0.5S, PT1S, PT2S");
        // a rare cron: the engine's clock follows wall time and must not start a run mid-test
        properties.put("netsnap.schedule.cron", "0 0 3 1 1 ?");
        return properties;
    }

    Lab lab() {
        return lab;
    }

    /** The data folder, which is also the archive root. */
    Path data() {
        return data;
    }

    /** Where {@link #inventoryWith} writes; a class that uses it names it in {@code netsnap.inventory-folders}. */
    Path inventories() {
        return data.resolve("inventories");
    }

    /**
     * A copy of the lab inventory, in {@link #inventories()}, with {@code device} reading its credentials from
     * {@code path}.
     */
    Path inventoryWith(String device, String path) {
        try {
            String changed = Files.readAllLines(lab.inventory()).stream()
                    .map(line -> line.contains("name: " + device + ",")
                            ? line.replaceAll(",\\s*credentials:[^,}]+", "")
                                    .replaceAll("\\s*}\\s*$", ", credentials: " + path + " }")
                            : line)
                    .reduce("", (text, line) -> text + line + "\n");
            Path file = Files.createDirectories(inventories())
                    .resolve("inventory-" + device + "-" + path.replace('/', '-') + ".yaml");
            return Files.writeString(file, changed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the lab inventory, in {@link #inventories()}, with {@code device} reached through {@code outage}: the
     * same device on the outage's port, its host key pinned there too, as an operator would after a NAT change.
     */
    Path inventoryBehind(String device, Outage outage) {
        try {
            int port = lab.simulator(device).port();
            String inventory = Files.readString(lab.inventory()).replace("port: " + port + ",",
                    "port: " + outage.port() + ",");
            Path knownHosts = Path.of(String.valueOf(lab.properties().get("netsnap.ssh.known-hosts")));
            String pinned = Files.readAllLines(knownHosts).stream()
                    .filter(line -> line.startsWith("[127.0.0.1]:" + port + " "))
                    .findFirst().orElseThrow();
            Files.writeString(knownHosts, pinned.replaceFirst("]:\\d+ ", "]:" + outage.port() + " ") + "\n",
                    StandardOpenOption.APPEND);
            return Files.writeString(Files.createDirectories(inventories()).resolve(device + "-behind-outage.yaml"),
                    inventory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs network-backup for these devices (all of the inventory's when none) and waits for its end. */
    static RunLauncher.Result run(RunLauncher launcher, Path inventory, String... devices) {
        return launcher.startAndWait(new RunLauncher.Request(null, List.of(devices), inventory, "test"), RUN_TIMEOUT);
    }

    /** The result of one device in a run; fails when the run has none for it. */
    static DeviceResult resultOf(RunLauncher.Result result, String device) {
        return result.results().stream().filter(r -> r.device().equals(device)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + device + " in " + result));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        lab.close();
    }
}
