package io.netsnap.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Supplies the Vault token for each request, so a token rotated by a Vault Agent is picked up without a restart and
 * tests can hand in a token without environment variables.
 */
@FunctionalInterface
public interface VaultTokenSource {

    /**
     * The current token, or empty when none is configured.
     *
     * @throws CredentialsUnavailableException when a configured token file cannot be read
     */
    Optional<String> token();

    /**
     * Reads the token from {@code tokenFile} when it is set, else from the {@code VAULT_TOKEN} environment variable.
     * Surrounding white space (a trailing newline in the file) is ignored; an empty value counts as no token.
     */
    static VaultTokenSource fileOrEnvironment(Path tokenFile) {
        if (tokenFile == null) {
            return () -> nonBlank(System.getenv("VAULT_TOKEN"));
        }
        return () -> {
            try {
                return nonBlank(Files.readString(tokenFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                // Only the path and the kind of failure: the message of a decoding error could quote file content.
                throw new CredentialsUnavailableException("cannot read the Vault token file " + tokenFile + " ("
                        + e.getClass().getSimpleName() + ")", false);
            }
        };
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
