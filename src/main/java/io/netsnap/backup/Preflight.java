package io.netsnap.backup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.device.DeviceException;
import io.netsnap.inventory.Device;
import io.netsnap.preflight.PreflightCheck;

/** Checks what would otherwise fail halfway through a run, before any device's configuration is asked for. */
@Service
public class Preflight {

    private static final Logger log = LoggerFactory.getLogger(Preflight.class);

    private final DeviceDrivers drivers;
    private final CredentialsProvider credentials;
    private final List<PreflightCheck> checks;

    public Preflight(DeviceDrivers drivers, CredentialsProvider credentials, List<PreflightCheck> checks) {
        this.drivers = drivers;
        this.credentials = credentials;
        this.checks = List.copyOf(checks);
    }

    /**
     * Reports every problem at once: a driver for every platform; Vault reachable, unsealed and the token valid;
     * every distinct credentials path readable and complete; one login per credentials path, on the first device in
     * scope that uses it; then every {@link PreflightCheck} bean (the archive, and whatever other targets are plugged
     * in).
     *
     * @param devices the devices in scope, as the inventory has them
     * @param known   problems found before, e.g. devices in scope that the inventory does not have
     * @throws PreflightException listing every problem, each naming the path, device or target
     */
    public void check(List<Device> devices, List<String> known) {
        List<String> problems = new ArrayList<>(known);
        for (Device device : devices) {
            if (drivers.forPlatform(device.platform()).isEmpty()) {
                problems.add(device.name() + ": no driver for platform '" + device.platform() + "'");
            }
        }
        problems.addAll(credentialProblems(devices));
        for (PreflightCheck check : checks) {
            problems.addAll(check.problems(devices));
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> log.info("Preflight: {}", problem));
            throw new PreflightException(problems);
        }
        log.info("Preflight passed for {} device(s)", devices.size());
    }

    private List<String> credentialProblems(List<Device> devices) {
        try {
            credentials.check();
        } catch (CredentialsUnavailableException e) {
            // Without Vault every path would fail the same way: one line says it all.
            return List.of(e.getMessage());
        }
        Map<String, List<Device>> users = new LinkedHashMap<>();
        devices.forEach(device -> users.computeIfAbsent(device.credentials(), path -> new ArrayList<>()).add(device));
        List<String> problems = new ArrayList<>();
        users.forEach((path, pathDevices) -> {
            Credentials login;
            try {
                login = credentials.forPath(path);
            } catch (CredentialsUnavailableException e) {
                problems.add(e.getMessage());
                return;
            }
            // One login per path. A device that cannot be reached says nothing about the credentials: try the next
            // one, and leave that device to its own backup, where it fails alone and is retried.
            for (Device device : pathDevices) {
                Optional<DeviceDriver> driver = drivers.forPlatform(device.platform());
                if (driver.isEmpty()) {
                    continue;
                }
                try {
                    driver.get().verifyLogin(device, login);
                    log.info("Preflight: credentials {} log in to {}", path, device.name());
                    return;
                } catch (DeviceException.Authentication e) {
                    problems.add("credentials " + path + " tried on " + e.getMessage());
                    return;
                } catch (DeviceException e) {
                    log.warn("Preflight: credentials {} not tried on {}: {}", path, device.name(), e.detail());
                }
            }
            log.warn("Preflight: no device using credentials {} could be reached; their backups will tell", path);
        });
        return problems;
    }
}
