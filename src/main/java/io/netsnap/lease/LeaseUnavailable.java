package io.netsnap.lease;

/** A device's lease stayed with another holder until the wait's deadline. The message names the holder. */
public class LeaseUnavailable extends RuntimeException {

    public LeaseUnavailable(String message) {
        super(message);
    }
}
