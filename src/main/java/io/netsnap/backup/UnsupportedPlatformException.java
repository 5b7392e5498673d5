package io.netsnap.backup;

/** The inventory names a platform that no driver in this build handles. */
public class UnsupportedPlatformException extends RuntimeException {
    public UnsupportedPlatformException(String device, String platform) {
        super(device + ": no driver for platform '" + platform + "'");
    }
}
