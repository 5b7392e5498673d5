package io.netsnap.workflow;

import io.netsnap.inventory.Device;

/**
 * What Operate shows about a device in scope: a descriptive copy of its inventory entry. No worker reads it to decide
 * where to connect, which secret to read or whether to verify TLS (DESIGN §3): every device step takes the device's
 * name ({@code deviceName}) and looks the rest up in the inventory. The model routes on {@code platform} to pick the
 * platform's branch; each step checks the inventory's platform again before it acts.
 */
public record DeviceVariable(String name, String host, int port, String platform, String group) {

    static DeviceVariable of(Device device) {
        return new DeviceVariable(device.name(), device.host(), device.port(), device.platform(), device.group());
    }
}
