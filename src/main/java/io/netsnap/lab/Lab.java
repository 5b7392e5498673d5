package io.netsnap.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

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
        UNREACHABLE,
        /** An IOS device that stops answering in the middle of {@code show running-config}, for good. */
        HANGING,
        /** A simulated device whose key in known_hosts is not the key it presents: a changed host key. */
        CHANGED_HOST_KEY
    }

    /**
     * One device of the lab.
     *
     * @param name       inventory name and hostname
     * @param platform   {@code ios}, {@code nxos}, {@code asa} (multiple context mode) or {@code ise}
     * @param group      inventory group: {@code edge} (IOS, lands privileged), {@code core} (IOS, needs enable),
     *                   {@code dc} (NX-OS), {@code security} (ASA, needs enable), {@code aaa} (ISE, its own
     *                   credentials path)
     * @param kind       behaviour
     * @param configBody running configuration body the simulator serves (on a multiple-context {@code asa} the system
     *                   configuration), or {@code null} for the platform's generated lab configuration
     * @param tuning     what the lab sets on the device's {@link CliDeviceSpec} beyond its login and body (an
     *                   extension's settings, a silence mid-output)
     */
    public record LabDevice(String name, String platform, String group, Kind kind, String configBody,
            UnaryOperator<CliDeviceSpec> tuning) {

        public LabDevice(String name, String platform, String group, Kind kind, String configBody) {
            this(name, platform, group, kind, configBody, UnaryOperator.identity());
        }

        /** An IOS device. */
        public LabDevice(String name, String group, Kind kind, String configBody) {
            this(name, "ios", group, kind, configBody);
        }

        public static LabDevice nxos(String name, int seed) {
            return new LabDevice(name, "nxos", "dc", Kind.SIMULATED, LabConfigs.nexusSwitch(name, seed));
        }

        /** An ASA in multiple context mode; the first context is the admin context. */
        public static LabDevice asa(String name, List<String> contexts) {
            List<AsaContexts.Context> bodies = new ArrayList<>();
            for (int i = 0; i < contexts.size(); i++) {
                bodies.add(new AsaContexts.Context(contexts.get(i), LabConfigs.asaContext(contexts.get(i), i + 1)));
            }
            return new LabDevice(name, "asa", "security", Kind.SIMULATED, LabConfigs.asaSystem(name, contexts),
                    spec -> spec.withExtension(new AsaContexts(bodies)));
        }

        /** An ISE node that offers a session to resume and falls silent mid-output. */
        public static LabDevice ise(String name, int seed) {
            return new LabDevice(name, "ise", "aaa", Kind.SIMULATED, LabConfigs.iseNode(name, seed),
                    spec -> spec.withExtension(new IseResumeMenu(List.of("875.User-Friday_Jan_17_08:26:00_2026")))
                            .withMidOutputPause(ISE_SILENCE));
        }

        /** An Aruba Mobility Conductor (REST over HTTPS) that pushes its backups to the lab backup server. */
        public static LabDevice conductor(String name, int seed) {
            return new LabDevice(name, ARUBA, "wireless", Kind.SIMULATED, ConductorSimulator.labConfig(name, seed));
        }
    }

    public static final String USERNAME = "netsnap";
    static final String ARUBA = "aruba-conductor";
    /** The account conductors copy their backups with, on the lab backup server. */
    public static final String BACKUP_USER = "netbackup";
    /** Where on the backup server conductors put their files. */
    public static final String CONDUCTOR_DIRECTORY = "conductors";
    /** ISE's silence in the middle of {@code show running-config}: long enough to be seen, short for a demo. */
    private static final Duration ISE_SILENCE = Duration.ofSeconds(1);

    private final Path directory;
    private final VaultDouble vault;
    private final Map<String, SimulatedDevice> simulators = new LinkedHashMap<>();
    private final Map<String, ConductorSimulator> conductors = new LinkedHashMap<>();
    private final Map<String, Object> arubaProperties = new LinkedHashMap<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final SessionGauge shells = new SessionGauge();
    /** Each inventory group's login, for {@link #password}. */
    private final Map<String, Login> logins;
    private final Path inventory;
    private final Path tokenFile;
    private final Path knownHosts;
    /** Where runs are uploaded: the lab's backup server, with its own login and pinned host key. */
    private final LabBackupServer backupServer;
    private final Path backupKnownHosts;
    /** The Vault path of the backup server's login. */
    public static final String BACKUP_CREDENTIALS = "backup/lab-offsite";
    static final String BACKUP_FOLDER = "/netbackups";

    private Lab(Path directory, List<LabDevice> devices) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
        SecureRandom random = new SecureRandom();
        String token = "hvs." + secret(random, 24);
        String stalePassword = secret(random, 16);
        Login edge = new Login(secret(random, 16), null);
        Login core = new Login(secret(random, 16), secret(random, 16));
        Login dc = new Login(secret(random, 16), null);
        Login firewall = new Login(secret(random, 16), secret(random, 16));
        Login ise = new Login(secret(random, 16), null);
        Login conductor = new Login(secret(random, 16), null);
        Login backup = new Login(secret(random, 16), null);
        // the Vault path of each inventory group's login
        Map<String, String> groupPaths = new LinkedHashMap<>();
        groupPaths.put("edge", "network/lab-edge");
        groupPaths.put("core", "network/lab-core");
        groupPaths.put("dc", "network/lab-dc");
        groupPaths.put("security", "network/lab-fw");
        groupPaths.put("aaa", "network/lab-ise");
        groupPaths.put("wireless", "network/lab-aruba");
        logins = new LinkedHashMap<>(Map.of("edge", edge, "core", core, "dc", dc,
                "security", firewall, "aaa", ise, "wireless", conductor));
        // platforms that bring their own lab devices get a login per group, with an enable secret if they need one
        for (SimulatorProfile profile : SimulatorProfile.all()) {
            SimulatorProfile.LabSection lab = profile.lab();
            if (lab != null && !logins.containsKey(lab.group())) {
                logins.put(lab.group(), new Login(secret(random, 16), lab.enable() ? secret(random, 16) : null));
                groupPaths.put(lab.group(), "network/lab-" + lab.group());
            }
        }
        vault = VaultDouble.start(token);
        secrets.add(token);
        secrets.add(stalePassword);
        for (Map.Entry<String, String> group : groupPaths.entrySet()) {
            Login login = logins.get(group.getKey());
            Map<String, String> secret = new LinkedHashMap<>();
            secret.put("username", USERNAME);
            secret.put("password", login.password());
            if (login.enable() != null) {
                secret.put("enable", login.enable());
            }
            vault.putSecret("secret", group.getValue(), secret);
            secrets.addAll(secret.values().stream().filter(v -> !v.equals(USERNAME)).toList());
        }
        vault.putSecret("secret", "network/lab-stale", Map.of("username", USERNAME, "password", stalePassword));
        vault.putSecret("secret", BACKUP_CREDENTIALS, Map.of("username", BACKUP_USER, "password", backup.password()));
        secrets.add(backup.password());

        tokenFile = directory.resolve("vault-token");
        writePrivate(tokenFile, token);

        StringBuilder yaml = new StringBuilder("""
                # Written by netsnap lab: simulated devices on loopback. Regenerated at every start.
                defaults:
                  credentials: network/lab-edge
                  timeout: PT30S
                groups:
                """);
        groupPaths.forEach((group, path) -> yaml.append("  ").append(group).append(": { credentials: ").append(path)
                .append(" }\n"));
        yaml.append("devices:\n");
        StringBuilder known = new StringBuilder("# Written by netsnap lab: the simulators' host keys, pinned.\n");
        // One backup server: runs upload to it by SFTP, conductors push to it by SCP.
        backupServer = LabBackupServer.start(directory.resolve("backup-server"), BACKUP_USER, backup.password(),
                hostKey(directory.resolve("hostkeys"), "backup-server"));
        String backupKey = "[" + backupServer.host() + "]:" + backupServer.port() + " "
                + PublicKeyEntry.toString(backupServer.hostPublicKey()) + "\n";
        backupKnownHosts = directory.resolve("backup_known_hosts");
        Files.writeString(backupKnownHosts, backupKey);
        ConductorSimulator.ScpTarget scpTarget = null;
        LabTls tls = null;
        if (devices.stream().anyMatch(d -> d.platform().equals(ARUBA))) {
            tls = LabTls.loadOrCreate(directory.resolve("tls"));
            Files.createDirectories(backupServer.root().resolve(CONDUCTOR_DIRECTORY));
            scpTarget = new ConductorSimulator.ScpTarget(backupServer.host(), backupServer.port(),
                    backupServer.hostPublicKey());
            // netsnap reads back what conductors pushed, through its SSH client and its known_hosts
            known.append(backupKey);
            arubaProperties.put("netsnap.aruba.ca-bundle", tls.caBundle().toAbsolutePath().toString());
            arubaProperties.put("netsnap.aruba.scp.credentials", BACKUP_CREDENTIALS);
            arubaProperties.put("netsnap.aruba.scp.host", backupServer.host());
            arubaProperties.put("netsnap.aruba.scp.port", backupServer.port());
            arubaProperties.put("netsnap.aruba.scp.directory", CONDUCTOR_DIRECTORY);
        }
        for (LabDevice device : devices) {
            int port;
            String credentials = null;
            if (device.kind() == Kind.UNREACHABLE) {
                port = closedPort();
            } else if (device.platform().equals(ARUBA)) {
                ConductorSimulator simulator = ConductorSimulator.start(device.name(), USERNAME,
                        conductor.password(), device.configBody(), scpTarget, tls);
                conductors.put(device.name(), simulator);
                port = simulator.port();
                if (device.kind() == Kind.STALE_PASSWORD) {
                    credentials = "network/lab-stale";
                }
            } else {
                Path keys = directory.resolve("hostkeys");
                Login login = logins.get(device.group());
                if (login == null) {
                    throw new IllegalArgumentException("no lab login for group '" + device.group() + "'");
                }
                CliSimulator simulator = CliSimulator.start(device.tuning().apply(CliDeviceSpec.of(
                        device.platform(), device.name(), USERNAME, login.password(), login.enable(),
                        device.configBody()).withHangOnBuild(device.kind() == Kind.HANGING)),
                        hostKey(keys, device.name()));
                simulator.countShells(shells, device.kind() == Kind.STALE_PASSWORD ? "network/lab-stale"
                        : groupPaths.get(device.group()));
                simulators.put(device.name(), simulator);
                port = simulator.port();
                PublicKey pinned = device.kind() == Kind.CHANGED_HOST_KEY
                        ? hostKey(keys, device.name() + ".previous").getPublic() : simulator.hostPublicKey();
                known.append('[').append(simulator.host()).append("]:").append(port).append(' ')
                        .append(PublicKeyEntry.toString(pinned)).append('\n');
                if (device.kind() == Kind.STALE_PASSWORD) {
                    credentials = "network/lab-stale";
                }
            }
            yaml.append("  - { name: ").append(device.name()).append(", host: 127.0.0.1, port: ").append(port)
                    .append(", platform: ").append(device.platform()).append(", group: ").append(device.group());
            if (credentials != null) {
                yaml.append(", credentials: ").append(credentials);
            }
            yaml.append(" }\n");
        }
        inventory = directory.resolve("inventory.yaml");
        Files.writeString(inventory, yaml);
        knownHosts = directory.resolve("known_hosts");
        Files.writeString(knownHosts, known);

    }

    /** Starts the lab in {@code directory} with the given devices. */
    public static Lab start(Path directory, List<LabDevice> devices) {
        try {
            return new Lab(directory, devices);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The devices of {@code netsnap lab}: every Cisco platform. Two IOS routers (one landing privileged, one through
     * enable), an IOS aggregation switch, a Nexus, an ASA in multiple context mode with three contexts (discovered,
     * since the inventory lists none), an ISE node that offers a session to resume and falls silent mid-output, and two
     * Aruba Mobility Conductors that push their flash backups to the lab backup server; then the devices that the
     * other platforms' simulator profiles bring ({@code lab:} in {@code profiles/<platform>.yaml}).
     */
    public static List<LabDevice> standardDevices() {
        List<LabDevice> devices = new ArrayList<>(ciscoAndAruba());
        for (SimulatorProfile profile : SimulatorProfile.all()) {
            SimulatorProfile.LabSection lab = profile.lab();
            if (lab != null) {
                for (String name : lab.devices()) {
                    devices.add(new LabDevice(name, profile.platform(), lab.group(), Kind.SIMULATED,
                            lab.config().replace("{hostname}", name)));
                }
            }
        }
        return List.copyOf(devices);
    }

    private static List<LabDevice> ciscoAndAruba() {
        return List.of(
                new LabDevice("EDGE-RTR-01", "edge", Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
                new LabDevice("CORE-SW-01", "core", Kind.SIMULATED, LabConfigs.aggregationSwitch("CORE-SW-01", 2)),
                LabDevice.nxos("DC-NX-01", 3),
                LabDevice.asa("ASA-FW-01", List.of("admin", "DMZ", "BACKEND")),
                LabDevice.ise("ISE-PRIMARY", 5),
                new LabDevice("BRANCH-RTR-07", "edge", Kind.SIMULATED, LabConfigs.router("BRANCH-RTR-07", 7)),
                LabDevice.conductor("MC-01", 21),
                LabDevice.conductor("MC-02", 22));
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
        // one person plays requester and approver here: `netsnap tasks complete --as USER` is accepted
        properties.put("netsnap.tasks.allow-as", "true");
        properties.put("netsnap.upload.target", "sftp://" + BACKUP_USER + "@" + backupServer.host() + ":"
                + backupServer.port() + BACKUP_FOLDER);
        properties.put("netsnap.upload.credentials", BACKUP_CREDENTIALS);
        properties.put("netsnap.upload.known-hosts", backupKnownHosts.toAbsolutePath().toString());
        properties.putAll(arubaProperties);
        return properties;
    }

    /** Every secret the lab seeded: passwords, enable secrets, the Vault token. Nothing may ever show them. */
    public Set<String> secrets() {
        return Set.copyOf(secrets);
    }

    /**
     * The SSH password of an inventory group's devices (user {@value #USERNAME}), for files that let other tools log
     * in to the same simulators ({@code netsnap bench --serve}). A lab-only secret, fresh at every start: write it
     * only to files readable by their owner, never to the console or a log.
     */
    public String password(String group) {
        Login login = logins.get(group);
        if (login == null) {
            throw new IllegalArgumentException("no lab login for group '" + group + "'");
        }
        return login.password();
    }

    /** The pinned host keys of the simulators, in OpenSSH's known_hosts format. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The simulated conductor of that name. */
    public ConductorSimulator conductor(String name) {
        return conductors.get(name);
    }

    /** The lab's SFTP/SCP backup server: runs upload to it, conductors push to it. */
    public LabBackupServer backupServer() {
        return backupServer;
    }

    /** The shells the lab's CLI devices serve at once, in all and per Vault credentials path. */
    public SessionGauge shells() {
        return shells;
    }

    public SimulatedDevice simulator(String name) {
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

    /** The folder on the lab's backup server that runs are uploaded to. */
    public Path uploadFolder() {
        return backupServer.root().resolve(BACKUP_FOLDER.substring(1));
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (SimulatedDevice simulator : simulators.values()) {
            try {
                simulator.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (ConductorSimulator conductor : conductors.values()) {
            conductor.close();
        }
        backupServer.close();
        vault.close();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static KeyPair hostKey(Path keys, String name) {
        return LabHostKeys.loadOrCreate(keys.resolve(name + ".key"));
    }

    /** The password and optional enable secret stored at one Vault path. */
    private record Login(String password, String enable) {
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
