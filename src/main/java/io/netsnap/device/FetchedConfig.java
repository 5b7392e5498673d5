package io.netsnap.device;

/**
 * A configuration as fetched from a device.
 *
 * @param raw        what the device sent for the fetch command, without echo and prompt, line endings as {@code \n}
 * @param normalized {@code raw} with volatile lines (timestamps, byte counts, drifting counters) removed; this is what
 *                   the history stores and what "changed" compares
 */
public record FetchedConfig(String raw, String normalized) {
}
