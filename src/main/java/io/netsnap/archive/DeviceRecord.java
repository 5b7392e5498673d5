package io.netsnap.archive;

/**
 * What the history keeps about a device besides its configuration ({@code .devices/DEVICE.json}).
 *
 * @param platform      the platform key the device was backed up with, e.g. {@code ios}: which driver masks its
 *                      secrets
 * @param secretsMasked whether the configuration was stored with its secrets masked ({@code mask-secrets}): such a
 *                      version must never be pushed back to a device; {@code null} in records written before netsnap
 *                      kept it
 */
record DeviceRecord(String platform, Boolean secretsMasked) {
}
