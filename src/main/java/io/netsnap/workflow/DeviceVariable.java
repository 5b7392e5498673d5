package io.netsnap.workflow;

import java.time.Duration;
import java.util.List;

import io.netsnap.inventory.Device;

/**
 * The device descriptor carried in process variables (visible in Operate): where and how to reach the device, the
 * Vault path of its credentials, never a secret.
 */
public record DeviceVariable(String name, String host, int port, String platform, String group, String credentials,
                      String timeout, List<String> contexts, boolean insecure) {

    static DeviceVariable of(Device device) {
        return new DeviceVariable(device.name(), device.host(), device.port(), device.platform(), device.group(),
                device.credentials(), device.timeout().toString(), device.contexts(), device.insecure());
    }

    Device toDevice() {
        return new Device(name, host, port, platform, group, credentials, Duration.parse(timeout), contexts, insecure);
    }
}
