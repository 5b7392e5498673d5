package io.netsnap.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.scp.client.ScpClientCreator;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;

/**
 * What the restore drivers share: checks of what they are given, and the SCP upload of a candidate. SCP runs on its
 * own SSH connection through the one {@link SshConnector}, a device session of its own within the caps, so the device's host key is checked against known_hosts
 * exactly as for a fetch; closing that connection is what makes IOS write the file (netmiko: "Must close the SCP
 * connection to get the file written").
 */
final class CandidateTransfer {

    private static final Pattern RESTORE_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final SshConnector connector;

    CandidateTransfer(SshConnector connector) {
        this.connector = connector;
    }

    /** A restore id fit to be part of a file or checkpoint name on a device. */
    static String checkedId(String restoreId) {
        if (restoreId == null || !RESTORE_ID.matcher(restoreId).matches()) {
            throw new IllegalArgumentException("a restore id is 1 to 40 letters, digits, '-' or '_'");
        }
        return restoreId;
    }

    /** Refuses a blank candidate and one whose secrets were masked: the device would take the mask literally. */
    static void checkCandidate(String candidate) {
        if (candidate == null || candidate.isBlank()) {
            throw new IllegalArgumentException("the candidate configuration is empty");
        }
        if (candidate.contains(CliProfile.MASK)) {
            throw new IllegalArgumentException("the candidate configuration has masked secrets ("
                    + CliProfile.MASK + "); only an unmasked version can be restored");
        }
    }

    static void checkOwner(Device device, RestoreDriver.Checkpoint checkpoint) {
        if (!checkpoint.device().equals(device.name())) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.name() + " was taken on "
                    + checkpoint.device() + ", not on " + device.name());
        }
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /**
     * Uploads {@code bytes} to {@code file} ({@code flash:name}) over SCP.
     *
     * @throws DeviceException.Authentication when the device denies SCP to this login (IOS: not privilege 15)
     * @throws DeviceException                for any other failure, never quoting the file's content
     */
    void upload(Device device, Credentials credentials, String file, byte[] bytes) {
        try (ClientSession session = connector.openDeviceSession(device, credentials)) {
            ScpClientCreator.instance().createScpClient(session).upload(bytes, file,
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), null);
        } catch (DeviceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String reason = String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", " ").strip();
            if (reason.contains("Privilege denied")) {
                throw new DeviceException.Authentication(device.name(), "SCP upload of " + file + " refused: "
                        + "Privilege denied; the login from Vault path " + device.credentials()
                        + " must land at privilege 15, SCP cannot enable");
            }
            throw new DeviceException.Protocol(device.name(), "SCP upload of " + file + " failed: "
                    + (reason.length() > 200 ? reason.substring(0, 200) + "..." : reason));
        }
    }

    static byte[] bytes(String candidate) {
        return candidate.getBytes(StandardCharsets.UTF_8);
    }
}
