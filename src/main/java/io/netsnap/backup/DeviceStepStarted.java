package io.netsnap.backup;

/**
 * Published in-process when a step of a device's backup starts (each attempt of each step); with
 * {@link DeviceBackedUp} at the end it lets metrics time a device's backup, retries included.
 *
 * @param runId  the run (or restore) the step belongs to
 * @param device the device's name, as the inventory has it
 */
public record DeviceStepStarted(String runId, String device) {
}
