package io.netsnap.restore;

/**
 * How a restore ended, as recorded for the audit.
 *
 * @param restoreId   the restore
 * @param outcome     e.g. {@code RESTORED}, {@code REJECTED}, {@code ROLLED_BACK}, {@code ROLLBACK_FAILED}
 * @param sha256After the digest of the device's configuration after the restore, or {@code null} when unknown
 * @param detail      one line for people
 * @param concludedAt when, ISO-8601
 */
public record RestoreOutcome(String restoreId, String outcome, String sha256After, String detail,
                             String concludedAt) {
}
