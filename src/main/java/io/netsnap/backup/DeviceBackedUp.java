package io.netsnap.backup;

/** Published in-process when a device's backup ends, so a local CLI can show progress as it happens. */
public record DeviceBackedUp(String runId, DeviceResult result) {
}
