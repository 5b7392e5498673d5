package io.netsnap.credentials;

/**
 * The secret store could not deliver credentials. {@link #transientFault()} tells whether a retry may help (Vault
 * unreachable or sealed) or not (permission denied, no secret at the path, secret lacks a field).
 */
public class CredentialsUnavailableException extends RuntimeException {

    private final boolean transientFault;

    public CredentialsUnavailableException(String message, boolean transientFault) {
        super(message);
        this.transientFault = transientFault;
    }

    public boolean transientFault() {
        return transientFault;
    }
}
