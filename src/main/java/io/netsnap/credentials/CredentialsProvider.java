package io.netsnap.credentials;

/** Resolves a credentials path (from the inventory) to login material. */
public interface CredentialsProvider {

    /**
     * Reads the secret at {@code path} under the configured KV v2 mount.
     *
     * @throws CredentialsUnavailableException when the secret store cannot be reached, refuses the token, or has
     *                                         no usable secret at that path; the message never contains a secret
     */
    Credentials forPath(String path);

    /**
     * Checks that the secret store is reachable and the token is valid (preflight).
     *
     * @throws CredentialsUnavailableException with a one-line reason when it is not
     */
    void check();
}
