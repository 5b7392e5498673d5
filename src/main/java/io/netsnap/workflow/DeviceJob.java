package io.netsnap.workflow;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import io.netsnap.archive.RunFolder;
import io.netsnap.backup.UnknownReferenceException;

/**
 * The variables every device step reads: names and references only, each checked before use. {@code device}, the
 * descriptive copy, is deliberately not among them.
 *
 * @param runId      the run, a safe folder name
 * @param runDate    the run's date, ISO
 * @param deviceName the device, looked up in the run's recorded scope and inventory
 * @param context    the ASA context of a context step, else absent
 */
public record DeviceJob(String runId, String runDate, String deviceName, String context) {

    /** The run's export folder. */
    RunFolder run() {
        try {
            return new RunFolder(runId, LocalDate.parse(String.valueOf(runDate)));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
            throw new UnknownReferenceException(UnknownReferenceException.Kind.RUN, "not part of a netsnap run (runId "
                    + quoted(runId) + ", runDate " + quoted(runDate) + "); runs are started by network-backup");
        }
    }

    private static String quoted(String value) {
        return value == null ? "missing" : "'" + io.netsnap.backup.DeviceDirectory.printable(value) + "'";
    }
}
