package io.netsnap.archive;

/**
 * A configuration written to a run's export folder, compared with the history.
 *
 * @param historyPath  path of the device's file in the history, e.g. {@code EDGE-RTR-01.cfg}
 * @param exportFile   path of the export file relative to the archive root
 * @param sha256       SHA-256 of the file's bytes, hex
 * @param bytes        file size
 * @param changed      whether the normalized text differs from the history's last commit (true for a new device)
 * @param linesAdded   lines added since the last commit
 * @param linesRemoved lines removed since the last commit
 */
public record StoredConfig(String historyPath, String exportFile, String sha256, long bytes, boolean changed,
                           int linesAdded, int linesRemoved) {
}
