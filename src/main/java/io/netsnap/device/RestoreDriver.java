package io.netsnap.device;

import java.util.List;
import java.util.regex.Pattern;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;

/**
 * Restores a configuration to a device, in NAPALM's vocabulary: take the device's own rollback point, replace the
 * running configuration with a candidate (the device reverting by itself where the platform can), roll back to the
 * rollback point. Implemented by the drivers of platforms whose {@code PlatformTraits.restore()} is true; found
 * through {@link DeviceDrivers#restoreDriver(String)}; verification re-fetches with the same driver
 * ({@link #fetch}) and compares without {@link #linesChangedByReplace()}.
 *
 * <p>Every method opens its own session(s) and closes them. Failures are {@link DeviceException}s whose messages
 * name the device and the file on it, never configuration text or a secret.
 */
public interface RestoreDriver extends DeviceDriver {

    /**
     * Saves the running configuration as the device's own rollback point, named after {@code restoreId}.
     *
     * @param restoreId letters, digits, {@code -} and {@code _}, at most 40: it becomes part of a file or
     *                  checkpoint name on the device
     * @throws DeviceException when the device does not confirm the rollback point
     */
    Checkpoint checkpoint(Device device, Credentials credentials, String restoreId);

    /**
     * Copies {@code candidate} to the device (SCP, host key verified as for a fetch; then checked by MD5 on the
     * device) and makes it the running configuration in one replace operation.
     *
     * @param candidate the complete configuration, as netsnap archived it (normalized); never a masked one
     * @throws DeviceException.ReplaceFailed      the device refused or failed the replace; {@code state()} says how
     *                                            it was left
     * @throws DeviceException.ReplaceInterrupted the session ended after the replace was sent: state unknown
     * @throws DeviceException                    any other failure (login, transfer, MD5 mismatch) before the
     *                                            replace was sent: the running configuration is untouched
     * @throws IllegalArgumentException           a bad {@code restoreId}, or a candidate that is blank or masked
     */
    PushResult replace(Device device, Credentials credentials, String restoreId, String candidate);

    /**
     * Makes the rollback point the running configuration again.
     *
     * @throws DeviceException.RollbackFailed when the device does not confirm it, or the session ends before it
     *                                        says
     * @throws IllegalArgumentException       when the checkpoint is another device's
     */
    void rollback(Device device, Credentials credentials, Checkpoint checkpoint);

    /**
     * Lines that differ between a candidate and the device's configuration after a correct replace, as regexes that
     * match a whole line: a verifier drops them from both texts before comparing. Lines the driver's normalization
     * drops already are included, so they also serve on raw text.
     */
    List<Pattern> linesChangedByReplace();

    /**
     * A device's own rollback point.
     *
     * @param device    the device's inventory name: a checkpoint is only ever applied to the device it came from
     * @param restoreId the restore it was taken for
     * @param name      the file ({@code flash:netsnap-R-rollback.cfg}) or checkpoint name on the device
     */
    record Checkpoint(String device, String restoreId, String name) {
    }

    /**
     * A replace the device confirmed.
     *
     * @param file    where the candidate is on the device
     * @param md5     the candidate's MD5 as netsnap sent it and the device computed it
     * @param verdict the device's success line(s), e.g. {@code Total number of passes: 1, Rollback Done}
     */
    record PushResult(String file, String md5, String verdict) {
    }
}
