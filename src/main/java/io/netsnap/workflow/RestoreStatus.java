package io.netsnap.workflow;

/**
 * Where a restore stands, as netsnap's ledger records it.
 *
 * @param restoreId the restore
 * @param device    its device
 * @param version   the history commit it restores
 * @param requester who asked
 * @param approver  who approved it, or {@code null} while nobody has (and for a rejected restore)
 * @param outcome   how it ended ({@code RESTORED}, {@code REJECTED}, ...), or {@code null} while it runs
 * @param detail    the outcome's one line, or {@code null} while it runs
 */
public record RestoreStatus(String restoreId, String device, String version, String requester, String approver,
                            String outcome, String detail) {

    /** Whether the restore has ended. */
    public boolean concluded() {
        return outcome != null;
    }
}
