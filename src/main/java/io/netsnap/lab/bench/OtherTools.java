package io.netsnap.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.netsnap.lab.Lab;

/**
 * {@code netsnap bench --serve}: the fleet described for netsnap and for the tools it is measured against, so that
 * each of them backs up the very same simulators ({@code bench/compare/} runs them). Every tool checks host keys
 * against the simulators' pinned keys in {@code known_hosts}. The files that carry the lab's password are written
 * readable by their owner only; the password is a lab-only secret, fresh at every start.
 */
final class OtherTools {

    static final String INVENTORY = "inventory.yaml";
    static final String KNOWN_HOSTS = "known_hosts";
    static final String NETSNAP = "netsnap.properties";
    static final String ROUTER_DB = "router.db";
    static final String SSH_CONFIG = "ssh_config";
    static final String CLOGINRC = ".cloginrc";
    static final String ANSIBLE = "ansible-inventory.ini";
    static final String NETMIKO = "netmiko-devices.json";
    static final String EXPECTED = "expected-configs.json";

    /** The files that hold the password, mode 0600. */
    static final List<String> PRIVATE = List.of(CLOGINRC, ANSIBLE, NETMIKO);

    /**
     * The completeness check looks for lines of a configuration at most this many lines apart: a copy that lacks more
     * lines in a row than this, a pager's page of 24 for one, misses one of them.
     */
    static final int SAMPLE_GAP = 20;

    /**
     * Lines a tool may rewrite or leave out: RANCID filters secrets and drops the drifting clock period. (It also
     * strips prefix lists of their sequence numbers: bench/compare/check.py compares them without.)
     */
    static final Pattern VOLATILE = Pattern.compile("(?i)secret|password|key|community|clock-period");

    private OtherTools() {
    }

    /**
     * Writes every file into {@code out}; returns them in the order written.
     *
     * @param settings netsnap's settings for the served lab (Vault address and token file, host keys)
     */
    static List<Path> write(Lab lab, List<Lab.LabDevice> devices, Map<String, Object> settings, Path out)
            throws IOException {
        Files.createDirectories(out);
        Path dir = out.toAbsolutePath().normalize();
        String password = lab.password(Fleet.GROUP);
        Path knownHosts = dir.resolve(KNOWN_HOSTS);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Lab.LabDevice device : devices) {
            ports.put(device.name(), lab.simulator(device.name()).port());
        }
        List<Path> written = new ArrayList<>();
        Path inventory = copy(lab.inventory(), dir.resolve(INVENTORY));
        written.add(inventory);
        written.add(copy(lab.knownHosts(), knownHosts));

        // netsnap backup --spring.config.additional-location=file:<this file>: the served fleet, no upload
        StringBuilder netsnap = new StringBuilder("""
                # netsnap bench --serve: netsnap's settings for the served fleet (no upload target: no upload).
                # netsnap backup --wait --spring.config.additional-location=file:<this file>
                """);
        netsnap.append("netsnap.inventory=").append(inventory).append('\n');
        for (String key : List.of("netsnap.vault.address", "netsnap.vault.token-file", "netsnap.ssh.known-hosts",
                "netsnap.ssh.host-key-policy")) {
            Object value = key.equals("netsnap.ssh.known-hosts") ? knownHosts : settings.get(key);
            netsnap.append(key).append('=').append(value).append('\n');
        }
        written.add(write(dir.resolve(NETSNAP), netsnap.toString(), false));

        // RANCID reaches a device by its name: router.db names them; clogin runs OpenSSH with ssh_config, which maps
        // each name to loopback and checks its key against known_hosts (no /etc/hosts, no ~/.ssh); .cloginrc gives
        // each its port and the login. Users land privileged, hence autoenable.
        StringBuilder routerDb = new StringBuilder();
        StringBuilder sshConfig = new StringBuilder("# netsnap bench --serve: the bench fleet for OpenSSH (ssh -F "
                + "<this file> NAME), as RANCID's clogin reaches it\n");
        StringBuilder cloginrc = new StringBuilder("""
                # netsnap bench --serve: the bench fleet for RANCID's clogin. The password is a lab-only secret,
                # fresh at every start. Host keys: ssh_config next to this file checks them against known_hosts.
                """);
        ports.forEach((name, port) -> {
            String host = rancidName(name);
            routerDb.append(host).append(";cisco;up\n");
            sshConfig.append("Host ").append(host).append("\n  Port ").append(port).append('\n');
            cloginrc.append("add method ").append(host).append(" {ssh:").append(port).append("}\n");
        });
        sshConfig.append("Host bench-rtr-*\n")
                .append("  HostName 127.0.0.1\n")
                .append("  UserKnownHostsFile ").append(quoted(knownHosts)).append('\n')
                .append("  GlobalKnownHostsFile /dev/null\n")
                .append("  StrictHostKeyChecking yes\n")
                .append("  CheckHostIP no\n");
        cloginrc.append("add sshcmd bench-rtr-* {ssh\\ -F\\ ").append(dir.resolve(SSH_CONFIG)).append("}\n")
                .append("add user bench-rtr-* {").append(Lab.USERNAME).append("}\n")
                .append("add password bench-rtr-* {").append(password).append("}\n")
                .append("add autoenable bench-rtr-* {1}\n");
        written.add(write(dir.resolve(ROUTER_DB), routerDb.toString(), false));
        written.add(write(dir.resolve(SSH_CONFIG), sshConfig.toString(), false));
        written.add(write(dir.resolve(CLOGINRC), cloginrc.toString(), true));

        // Ansible's paramiko reads host keys from ~/.ssh/known_hosts only: bench/compare/ansible runs it with a HOME
        // whose .ssh/known_hosts is this fleet's, and an unknown key fails the device
        StringBuilder ansible = new StringBuilder("""
                # netsnap bench --serve: the bench fleet for Ansible (cisco.ios). The password is a lab-only secret,
                # fresh at every start. Host keys: known_hosts next to this file, as ~/.ssh/known_hosts.
                [bench]
                """);
        ports.forEach((name, port) -> ansible.append(name).append(" ansible_host=127.0.0.1 ansible_port=")
                .append(port).append('\n'));
        ansible.append("\n[bench:vars]\n")
                .append("ansible_connection=ansible.netcommon.network_cli\n")
                .append("ansible_network_os=cisco.ios.ios\n")
                .append("ansible_host_key_checking=true\n")
                .append("ansible_user=").append(Lab.USERNAME).append('\n')
                .append("ansible_password=").append(password).append('\n');
        written.add(write(dir.resolve(ANSIBLE), ansible.toString(), true));

        // by name, ConnectHandler(**device) for each; strict host keys from known_hosts, as netsnap checks them
        Map<String, Map<String, Object>> netmiko = new LinkedHashMap<>();
        ports.forEach((name, port) -> {
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("device_type", "cisco_ios");
            device.put("host", "127.0.0.1");
            device.put("port", port);
            device.put("username", Lab.USERNAME);
            device.put("password", password);
            device.put("ssh_strict", true);
            device.put("system_host_keys", false);
            device.put("alt_host_keys", true);
            device.put("alt_key_file", knownHosts.toString());
            netmiko.put(name, device);
        });
        written.add(write(dir.resolve(NETMIKO), json(netmiko), true));

        Map<String, Object> expected = new LinkedHashMap<>();
        for (Lab.LabDevice device : devices) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rancid", rancidName(device.name()));
            entry.put("bytes", device.configBody().length());
            entry.put("lines", samples(device.configBody()));
            expected.put(device.name(), entry);
        }
        written.add(write(dir.resolve(EXPECTED), json(expected), false));
        return written;
    }

    /** RANCID's convention: device names in lower case. */
    static String rancidName(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Lines of a configuration body that a complete copy holds, in this order, then {@code end}: of the lines that
     * occur once and that no tool rewrites, the first, the last, and enough between them that no two are more than
     * {@value #SAMPLE_GAP} lines apart (where the body allows it).
     */
    static List<String> samples(String body) {
        List<String> lines = body.lines().toList();
        Map<String, Integer> counts = new HashMap<>();
        lines.forEach(line -> counts.merge(line, 1, Integer::sum));
        List<String> samples = new ArrayList<>();
        int last = -1;
        int candidate = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (counts.get(line) == 1 && !line.isBlank() && !line.startsWith("!") && !line.equals("end")
                    && !VOLATILE.matcher(line).find()) {
                if (last < 0) {
                    samples.add(line);
                    last = i;
                } else {
                    candidate = i;
                }
            }
            if (candidate > last && i + 1 - last > SAMPLE_GAP) {
                samples.add(lines.get(candidate));
                last = candidate;
            }
        }
        if (candidate > last) {
            samples.add(lines.get(candidate));
        }
        return samples;
    }

    /** ssh_config's quoting, for a path with spaces. */
    private static String quoted(Path path) {
        return "\"" + path + "\"";
    }

    private static String json(Object document) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + document.getClass().getSimpleName(), e);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path write(Path file, String text, boolean secret) throws IOException {
        Files.deleteIfExists(file);
        if (secret) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        }
        return Files.writeString(file, text);
    }
}
