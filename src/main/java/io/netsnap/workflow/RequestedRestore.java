package io.netsnap.workflow;

/**
 * A restore netsnap recorded and started for a request over the task channel.
 *
 * @param restoreId          netsnap's id of the restore (it begins with its UTC time)
 * @param device             the device, as the inventory names it
 * @param version            the history commit to restore, in full
 * @param emergency          a rollback to the device's latest pre-restore checkpoint ({@code --to-checkpoint})
 * @param processInstanceKey the config-restore instance
 * @param requester          who asked: the OS user the kernel named for the caller, or with {@code --as} in the lab
 *                           the name given
 */
public record RequestedRestore(String restoreId, String device, String version, boolean emergency,
                               long processInstanceKey, String requester) {
}
