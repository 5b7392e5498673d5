package io.netsnap.credentials;

/**
 * Login material for one device, read from Vault when a job needs it and never stored. {@link #toString()} redacts
 * every field but the user name, so a stray log line or exception message cannot carry a secret.
 *
 * @param username   login user
 * @param password   login password, or {@code null} when a key is used
 * @param enable     enable secret, or {@code null} when the login lands privileged
 * @param privateKey OpenSSH private key (PEM text), or {@code null}
 */
public record Credentials(String username, String password, String enable, String privateKey) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=" + mask(password) + ", enable=" + mask(enable)
                + ", privateKey=" + mask(privateKey) + "]";
    }

    private static String mask(String value) {
        return value == null ? "none" : "<redacted>";
    }
}
