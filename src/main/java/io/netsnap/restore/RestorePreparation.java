package io.netsnap.restore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.stereotype.Component;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveException;
import io.netsnap.archive.MaskedDiff;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.Device;
import io.netsnap.restore.RestoreRefusedException.Reason;

/**
 * The first step of a restore, before anyone is asked to approve it: the device from netsnap's own inventory, the
 * candidate from the history, the live configuration from the device, and what an approver must see, the diff with
 * secrets masked by the platform's rules. Whatever cannot be restored is refused here: a device netsnap does not
 * know, a platform whose driver cannot restore, a version the history does not have, a version stored masked.
 */
@Component
public class RestorePreparation {

    private final DeviceDirectory directory;
    private final DeviceDrivers drivers;
    private final CredentialsProvider credentials;
    private final Archive archive;

    public RestorePreparation(DeviceDirectory directory, DeviceDrivers drivers, CredentialsProvider credentials,
                              Archive archive) {
        this.directory = directory;
        this.drivers = drivers;
        this.credentials = credentials;
        this.archive = archive;
    }

    /**
     * What a restore of {@code device} (and {@code context}, or {@code null}) to {@code version} would push.
     *
     * @throws RestoreRefusedException {@code DEVICE_UNKNOWN}, {@code UNSUPPORTED_PLATFORM}, {@code VERSION_UNKNOWN},
     *                                 {@code VERSION_MASKED}, each before the device is contacted
     * @throws io.netsnap.device.DeviceException when the live configuration cannot be fetched
     */
    public PreparedRestore prepare(String device, String context, String version) {
        Device entry = directory.inventory(null).device(device).orElseThrow(() -> new RestoreRefusedException(
                Reason.DEVICE_UNKNOWN, "'" + printable(device) + "' is not a device of netsnap's inventory"));
        DeviceDriver driver = drivers.restoreDriver(entry.platform())
                .orElseThrow(() -> new RestoreRefusedException(Reason.UNSUPPORTED_PLATFORM, device + ": netsnap"
                        + " cannot restore platform " + entry.platform() + " (restore is supported where the"
                        + " driver declares it)"));
        if (context != null && !entry.contexts().contains(context)) {
            throw new RestoreRefusedException(Reason.DEVICE_UNKNOWN, device + " has no context '"
                    + printable(context) + "' in netsnap's inventory");
        }
        String historyPath = Archive.historyPath(device, context);
        String candidate;
        try {
            candidate = archive.textAt(version, historyPath).orElseThrow(() -> new RestoreRefusedException(
                    Reason.VERSION_UNKNOWN, "version " + printable(version) + " holds no " + historyPath));
        } catch (ArchiveException e) {
            throw new RestoreRefusedException(Reason.VERSION_UNKNOWN, "no version '" + printable(version)
                    + "' of " + historyPath + " in the history");
        }
        if (archive.secretsMaskedAt(version, device).orElse(false)) {
            throw new RestoreRefusedException(Reason.VERSION_MASKED, "version " + version + " of " + historyPath
                    + " was stored with its secrets masked (netsnap.archive.mask-secrets); pushing it would replace"
                    + " the device's secrets with the mask");
        }
        String live = driver.fetch(entry, credentials.forPath(entry.credentials())).normalized();
        String label = device + (context == null ? "" : "/" + context);
        MaskedDiff diff = MaskedDiff.between(label + "@running", live, label + "@" + abbreviate(version), candidate,
                driver::mask);
        long added = diff.lines().stream().filter(l -> l.startsWith("+") && !l.startsWith("+++")).count();
        long removed = diff.lines().stream().filter(l -> l.startsWith("-") && !l.startsWith("---")).count();
        return new PreparedRestore(device, context, entry.platform(), version, sha256(candidate), sha256(live),
                diff.lines(), (int) added, (int) removed);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String abbreviate(String version) {
        return version.length() > 12 ? version.substring(0, 12) : version;
    }

    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
