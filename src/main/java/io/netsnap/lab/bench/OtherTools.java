package io.netsnap.lab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.netsnap.lab.Lab;

/**
 * {@code netsnap bench --serve}: the fleet described for netsnap and for the tools it is measured against, so that
 * each of them backs up the very same simulators. The files that carry the lab's password are written readable by
 * their owner only; the password is a lab-only secret, fresh at every start.
 */
final class OtherTools {

    static final String INVENTORY = "inventory.yaml";
    static final String KNOWN_HOSTS = "known_hosts";
    static final String ROUTER_DB = "router.db";
    static final String HOSTS = "hosts";
    static final String CLOGINRC = ".cloginrc";
    static final String ANSIBLE = "ansible-inventory.ini";
    static final String NETMIKO = "netmiko-devices.json";

    /** The files that hold the password, mode 0600. */
    static final List<String> PRIVATE = List.of(CLOGINRC, ANSIBLE, NETMIKO);

    private OtherTools() {
    }

    /** Writes every file into {@code out}; returns them in the order written. */
    static List<Path> write(Lab lab, Fleet fleet, Path out) throws IOException {
        Files.createDirectories(out);
        String password = lab.password(Fleet.GROUP);
        Path knownHosts = out.resolve(KNOWN_HOSTS).toAbsolutePath();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 1; i <= fleet.devices(); i++) {
            String name = Fleet.name(i);
            ports.put(name, lab.simulator(name).port());
        }
        List<Path> written = new ArrayList<>();
        written.add(copy(lab.inventory(), out.resolve(INVENTORY)));
        written.add(copy(lab.knownHosts(), knownHosts));

        // RANCID reaches a device by its name: router.db names them, the hosts lines make them resolve to loopback,
        // .cloginrc gives each its port and the login. Users land privileged, hence autoenable.
        StringBuilder routerDb = new StringBuilder();
        StringBuilder hosts = new StringBuilder("# netsnap bench --serve: append to /etc/hosts for RANCID\n");
        StringBuilder cloginrc = new StringBuilder("""
                # netsnap bench --serve: the bench fleet. The password is a lab-only secret, fresh at every start.
                # Host keys: known_hosts next to this file.
                """);
        ports.forEach((name, port) -> {
            String host = rancidName(name);
            routerDb.append(host).append(";cisco;up\n");
            hosts.append("127.0.0.1 ").append(host).append('\n');
            cloginrc.append("add method ").append(host).append(" {ssh:").append(port).append("}\n");
        });
        cloginrc.append("add user bench-rtr-* {").append(Lab.USERNAME).append("}\n")
                .append("add password bench-rtr-* {").append(password).append("}\n")
                .append("add autoenable bench-rtr-* {1}\n");
        written.add(write(out.resolve(ROUTER_DB), routerDb.toString(), false));
        written.add(write(out.resolve(HOSTS), hosts.toString(), false));
        written.add(write(out.resolve(CLOGINRC), cloginrc.toString(), true));

        StringBuilder ansible = new StringBuilder("""
                # netsnap bench --serve: the bench fleet for Ansible (cisco.ios). The password is a lab-only secret,
                # fresh at every start. Host keys: known_hosts next to this file.
                [bench]
                """);
        ports.forEach((name, port) -> ansible.append(name).append(" ansible_host=127.0.0.1 ansible_port=")
                .append(port).append('\n'));
        ansible.append("\n[bench:vars]\n")
                .append("ansible_connection=ansible.netcommon.network_cli\n")
                .append("ansible_network_os=cisco.ios.ios\n")
                .append("ansible_user=").append(Lab.USERNAME).append('\n')
                .append("ansible_password=").append(password).append('\n');
        written.add(write(out.resolve(ANSIBLE), ansible.toString(), true));

        // ConnectHandler(**device) for each entry; strict host keys from known_hosts, as netsnap checks them
        List<Map<String, Object>> netmiko = new ArrayList<>();
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
            netmiko.add(device);
        });
        written.add(write(out.resolve(NETMIKO), json(netmiko), true));
        return written;
    }

    /** RANCID's convention: device names in lower case. */
    static String rancidName(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String json(Object document) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the netmiko device list", e);
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
