package io.netsnap.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.netsnap.inventory.Device;
import io.netsnap.lab.LabHostKeys;
import io.netsnap.lab.SimulatedDevice;

/**
 * What a driver test needs around a simulator: a host key for it, a real {@link SshConnector} that checks that key
 * (trust on first use into a temporary known_hosts), the {@link Device} pointing at it, and cleanup of all of it.
 * Register with {@code @RegisterExtension}.
 */
final class DriverFixture implements AfterEachCallback {

    static final String USER = "netsnap";
    static final String VAULT_PATH = "network/lab";

    private final Path directory;
    private final List<SimulatedDevice> simulators = new ArrayList<>();
    private final List<SshConnector> connectors = new ArrayList<>();

    DriverFixture() {
        try {
            directory = Files.createTempDirectory("netsnap-driver-test");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    KeyPair hostKey() {
        return LabHostKeys.loadOrCreate(directory.resolve("host-key"));
    }

    /** Registers a simulator for cleanup and returns it. */
    <T extends SimulatedDevice> T started(T simulator) {
        simulators.add(simulator);
        return simulator;
    }

    /** A connector with short connect/auth timeouts and the given per-device ceiling. */
    SshConnector connector(Duration deviceCeiling) {
        try {
            SshConnector connector = new SshConnector(new SshProperties(directory.resolve("known_hosts"),
                    SshProperties.HostKeyPolicy.TOFU, Duration.ofSeconds(5), Duration.ofSeconds(5), deviceCeiling));
            connectors.add(connector);
            return connector;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Registers a connector built elsewhere for cleanup and returns it. */
    SshConnector register(SshConnector connector) {
        connectors.add(connector);
        return connector;
    }

    static Device device(SimulatedDevice simulator, String name, String platform, Duration idleTimeout,
                         List<String> contexts) {
        return new Device(name, simulator.host(), simulator.port(), platform, "lab", VAULT_PATH, idleTimeout,
                contexts);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (SshConnector connector : connectors) {
            connector.destroy();
        }
        connectors.clear();
        simulators.forEach(SimulatedDevice::close);
        simulators.clear();
    }
}
