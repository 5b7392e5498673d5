package io.netsnap.archive;

/**
 * What the history keeps about a device besides its configuration ({@code .devices/DEVICE.json}).
 *
 * @param platform the platform key the device was backed up with, e.g. {@code ios}: which driver masks its secrets
 */
record DeviceRecord(String platform) {
}
