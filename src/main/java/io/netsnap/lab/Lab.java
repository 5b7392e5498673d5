package io.netsnap.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The lab: simulated devices and a Vault double on loopback, seeded with fresh random secrets at every start, plus
 * the inventory, token file and pinned known_hosts that point netsnap at them. The application runs against it with
 * its production drivers, workers and models; only the endpoints are simulated.
 */
public final class Lab implements AutoCloseable {

    /** How a lab device behaves towards netsnap. */
    public enum Kind {
        /** A healthy simulated device. */
        SIMULATED,
        /** A simulated device whose Vault secret holds an outdated password. */
        STALE_PASSWORD,
        /** An inventory entry on a loopback port where nothing listens. */
        UNREACHABLE
    }

    /**
     * One device of the lab.
     *
     * @param name          inventory name and hostname
     * @param group         inventory group ({@code core} needs enable, {@code edge} logs in privileged)
     * @param kind          behaviour
     * @param configBody    running configuration body the simulator serves
     */
    public record LabDevice(String name, String group, Kind kind, String configBody) {
    }

    public static final String USERNAME = "netsnap";

    private final Path directory;
    private final VaultDouble vault;
    private final Map<String, IosSimulator> simulators = new LinkedHashMap<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Path inventory;
    private final Path tokenFile;
    private final Path knownHosts;

    private Lab(Path directory, List<LabDevice> devices) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
        SecureRandom random = new SecureRandom();
        String token = "hvs." + secret(random, 24);
        String edgePassword = secret(random, 16);
        String corePassword = secret(random, 16);
        String coreEnable = secret(random, 16);
        String stalePassword = secret(random, 16);
        secrets.addAll(List.of(token, edgePassword, corePassword, coreEnable, stalePassword));

        vault = VaultDouble.start(token);
        vault.putSecret("secret", "network/lab-edge", Map.of("username", USERNAME, "password", edgePassword));
        vault.putSecret("secret", "network/lab-core", Map.of("username", USERNAME, "password", corePassword,
                "enable", coreEnable));
        vault.putSecret("secret", "network/lab-stale", Map.of("username", USERNAME, "password", stalePassword));

        tokenFile = directory.resolve("vault-token");
        writePrivate(tokenFile, token);

        StringBuilder yaml = new StringBuilder("""
                # Written by netsnap lab: simulated devices on loopback. Regenerated at every start.
                defaults:
                  credentials: network/lab-edge
                  timeout: PT30S
                groups:
                  edge: { credentials: network/lab-edge }
                  core: { credentials: network/lab-core }
                devices:
                """);
        StringBuilder pinned = new StringBuilder("# Written by netsnap lab: the simulators' host keys, pinned.\n");
        for (LabDevice device : devices) {
            int port;
            String credentials = null;
            if (device.kind() == Kind.UNREACHABLE) {
                port = closedPort();
            } else {
                boolean core = "core".equals(device.group());
                String password = core ? corePassword : edgePassword;
                IosDeviceSpec spec = IosDeviceSpec.of(device.name(), USERNAME, password, core ? coreEnable : null,
                        device.configBody());
                IosSimulator simulator = IosSimulator.start(spec,
                        LabHostKeys.loadOrCreate(directory.resolve("hostkeys").resolve(device.name() + ".key")));
                simulators.put(device.name(), simulator);
                port = simulator.port();
                pinned.append('[').append(simulator.host()).append("]:").append(port).append(' ')
                        .append(PublicKeyEntry.toString(simulator.hostPublicKey())).append('\n');
                if (device.kind() == Kind.STALE_PASSWORD) {
                    credentials = "network/lab-stale";
                }
            }
            yaml.append("  - { name: ").append(device.name()).append(", host: 127.0.0.1, port: ").append(port)
                    .append(", platform: ios, group: ").append(device.group());
            if (credentials != null) {
                yaml.append(", credentials: ").append(credentials);
            }
            yaml.append(" }\n");
        }
        inventory = directory.resolve("inventory.yaml");
        Files.writeString(inventory, yaml);
        knownHosts = directory.resolve("known_hosts");
        Files.writeString(knownHosts, pinned);
    }

    /** Starts the lab in {@code directory} with the given devices. */
    public static Lab start(Path directory, List<LabDevice> devices) {
        try {
            return new Lab(directory, devices);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The devices of {@code netsnap lab}: three IOS routers and switches, two of them needing enable. */
    public static List<LabDevice> standardDevices() {
        return List.of(
                new LabDevice("EDGE-RTR-01", "edge", Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
                new LabDevice("CORE-SW-01", "core", Kind.SIMULATED, LabConfigs.aggregationSwitch("CORE-SW-01", 2)),
                new LabDevice("CORE-SW-02", "core", Kind.SIMULATED, LabConfigs.aggregationSwitch("CORE-SW-02", 3)),
                new LabDevice("BRANCH-RTR-07", "edge", Kind.SIMULATED, LabConfigs.router("BRANCH-RTR-07", 7)));
    }

    /** Settings that point netsnap at this lab. */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("netsnap.inventory", inventory.toAbsolutePath().toString());
        properties.put("netsnap.vault.address", vault.address());
        properties.put("netsnap.vault.token-file", tokenFile.toAbsolutePath().toString());
        properties.put("netsnap.ssh.known-hosts", knownHosts.toAbsolutePath().toString());
        // the lab pins every simulator's key, so an unknown key is a fault, not a first contact
        properties.put("netsnap.ssh.host-key-policy", "strict");
        return properties;
    }

    /** Every secret the lab seeded: passwords, enable secrets, the Vault token. Nothing may ever show them. */
    public Set<String> secrets() {
        return Set.copyOf(secrets);
    }

    public IosSimulator simulator(String name) {
        return simulators.get(name);
    }

    public Path inventory() {
        return inventory;
    }

    public Path directory() {
        return directory;
    }

    public VaultDouble vault() {
        return vault;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (IosSimulator simulator : simulators.values()) {
            try {
                simulator.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        vault.close();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static String secret(SecureRandom random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, content);
    }

    /** A loopback port that refuses connections: bound once to reserve a number, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
