package io.netsnap.device;

/**
 * Everything that can go wrong while talking to a device. The family is sealed so that the one place translating
 * these to BPMN errors and job retries ({@code io.netsnap.workflow}) handles every case. Messages name the device and
 * what happened, never a secret.
 */
public sealed class DeviceException extends RuntimeException
        permits DeviceException.Authentication, DeviceException.HostKeyMismatch, DeviceException.Unreachable,
        DeviceException.Timeout, DeviceException.Protocol, DeviceException.UnsupportedCommand {

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
}
