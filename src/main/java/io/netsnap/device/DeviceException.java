package io.netsnap.device;

/**
 * Everything that can go wrong while talking to a device. The family is sealed so that the one place translating
 * these to BPMN errors and job retries ({@code io.netsnap.workflow}) handles every case. Messages name the device and
 * what happened, never a secret.
 */
public sealed class DeviceException extends RuntimeException
        permits DeviceException.Authentication, DeviceException.HostKeyMismatch, DeviceException.Unreachable,
        DeviceException.Timeout, DeviceException.Protocol, DeviceException.UnsupportedCommand,
        DeviceException.ReplaceFailed, DeviceException.ReplaceInterrupted, DeviceException.RollbackFailed {

    private final String device;

    DeviceException(String device, String message, Throwable cause) {
        super(device + ": " + message, cause);
        this.device = device;
    }

    public String device() {
        return device;
    }

    /** The message without the device name it starts with, for a log line that names the device already. */
    public String detail() {
        return getMessage().substring(device.length() + 2);
    }

    /** Transient faults are retried with backoff; the others end the device's backup at once. */
    public boolean transientFault() {
        return this instanceof Unreachable || this instanceof Timeout;
    }

    /** Login or enable refused: retrying with the same credentials would only lock the account. */
    public static final class Authentication extends DeviceException {
        public Authentication(String device, String message) {
            super(device, message, null);
        }
    }

    /** The device presented a host key that differs from the one on record. Never retried. */
    public static final class HostKeyMismatch extends DeviceException {
        private final String expectedFingerprint;
        private final String actualFingerprint;

        public HostKeyMismatch(String device, String endpoint, String expectedFingerprint, String actualFingerprint,
                               String knownHostsFile) {
            super(device, "HOST KEY CHANGED for " + endpoint + ": known_hosts (" + knownHostsFile + ") has "
                    + expectedFingerprint + " but the device presented " + actualFingerprint
                    + ". Refusing to connect; if the change is expected, remove the old entry.", null);
            this.expectedFingerprint = expectedFingerprint;
            this.actualFingerprint = actualFingerprint;
        }

        public String expectedFingerprint() {
            return expectedFingerprint;
        }

        public String actualFingerprint() {
            return actualFingerprint;
        }
    }

    /** Connection refused, reset, DNS failure or a dropped session: worth a retry. */
    public static final class Unreachable extends DeviceException {
        public Unreachable(String device, String message, Throwable cause) {
            super(device, message, cause);
        }
    }

    /** The device stopped sending before the expected prompt came back. */
    public static final class Timeout extends DeviceException {
        public Timeout(String device, String message) {
            super(device, message, null);
        }
    }

    /** The device answered with something the driver cannot make sense of. */
    public static final class Protocol extends DeviceException {
        public Protocol(String device, String message) {
            super(device, message, null);
        }
    }

    /** The device rejected a command the driver relies on. */
    public static final class UnsupportedCommand extends DeviceException {
        private final String command;

        public UnsupportedCommand(String device, String command, String deviceMessage) {
            super(device, "the device rejected '" + command + "': " + deviceMessage, null);
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    /** What the running configuration is after a replace or rollback that did not succeed, as the device tells it. */
    public enum DeviceState {
        /** The device refused before changing anything (file missing or invalid, feature off). */
        UNCHANGED,
        /** The device changed the configuration, then restored the original itself. */
        REVERTED,
        /** The device applied part of the file and stopped: neither the original nor the candidate. */
        PARTIAL,
        /** The device's output does not say: re-fetch and compare before anything else. */
        UNKNOWN
    }

    /**
     * The device refused or failed a configuration replace ({@code configure replace}, {@code rollback running-config
     * file}). The message names the file on the device and the device's verdict, never a configuration line. Not
     * retried: the process verifies, rolls back if {@link #state()} asks for it, and gives a person a task.
     */
    public static final class ReplaceFailed extends DeviceException {
        private final String file;
        private final DeviceState state;

        public ReplaceFailed(String device, String file, String verdict, DeviceState state) {
            super(device, "replacing the running configuration with " + file + " failed: " + verdict
                    + " (device state: " + state.name().toLowerCase(java.util.Locale.ROOT) + ")", null);
            this.file = file;
            this.state = state;
        }

        public String file() {
            return file;
        }

        public DeviceState state() {
            return state;
        }
    }

    /**
     * The session ended (dropped or silent past the idle timeout) after the replace command was sent and before the
     * device's verdict: the device may hold the candidate, the original or anything between. A replace that removes
     * the management path does this. Never retried blindly: the caller re-fetches (from a new session) and rolls back.
     */
    public static final class ReplaceInterrupted extends DeviceException {
        private final String file;

        public ReplaceInterrupted(String device, String file, String detail) {
            super(device, "the session ended while the device replaced its configuration with " + file
                    + "; device state unknown: " + detail, null);
            this.file = file;
        }

        public String file() {
            return file;
        }
    }

    /** Rolling back to a checkpoint failed or was interrupted: the device needs a person now. */
    public static final class RollbackFailed extends DeviceException {
        private final String checkpoint;
        private final DeviceState state;

        public RollbackFailed(String device, String checkpoint, String verdict, DeviceState state) {
            super(device, "ROLLBACK to " + checkpoint + " FAILED: " + verdict + " (device state: "
                    + state.name().toLowerCase(java.util.Locale.ROOT) + ")", null);
            this.checkpoint = checkpoint;
            this.state = state;
        }

        public String checkpoint() {
            return checkpoint;
        }

        public DeviceState state() {
            return state;
        }
    }
}
