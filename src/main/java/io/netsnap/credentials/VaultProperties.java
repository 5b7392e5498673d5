package io.netsnap.credentials;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how netsnap reads device credentials from HashiCorp Vault ({@code netsnap.vault.*}). The token itself is
 * never a property: it comes from {@code token-file} or the {@code VAULT_TOKEN} environment variable.
 *
 * @param address      base URL of Vault, e.g. {@code https://vault.example.net:8200}
 * @param mount        path of the KV version 2 secrets engine holding the credentials (may contain {@code /})
 * @param namespace    Vault Enterprise/HCP namespace sent as {@code X-Vault-Namespace}; unset for none
 * @param tokenFile    file holding the Vault token (e.g. a Vault Agent sink), re-read on every request; unset to use
 *                     the {@code VAULT_TOKEN} environment variable
 * @param openTimeout  how long to wait for the TCP/TLS connection to Vault
 * @param readTimeout  how long to wait for Vault's answer to one request
 * @param caBundle     PEM file with the CA certificate(s) Vault's TLS certificate must chain to; unset for the JVM's
 *                     trust store (verification is always on)
 */
@Validated
@ConfigurationProperties("netsnap.vault")
public record VaultProperties(
        @DefaultValue("http://127.0.0.1:8200") @NotNull URI address,
        @DefaultValue("secret") @NotBlank String mount,
        String namespace,
        Path tokenFile,
        @DefaultValue("PT5S") @NotNull Duration openTimeout,
        @DefaultValue("PT30S") @NotNull Duration readTimeout,
        Path caBundle) {

    public VaultProperties {
        Objects.requireNonNull(address, "netsnap.vault.address");
        Objects.requireNonNull(mount, "netsnap.vault.mount");
        Objects.requireNonNull(openTimeout, "netsnap.vault.open-timeout");
        Objects.requireNonNull(readTimeout, "netsnap.vault.read-timeout");
        if (!"http".equals(address.getScheme()) && !"https".equals(address.getScheme())) {
            throw new IllegalArgumentException("netsnap.vault.address must be an http:// or https:// URL");
        }
        mount = strip(mount);
        if (mount.isEmpty()) {
            throw new IllegalArgumentException("netsnap.vault.mount must not be empty");
        }
        if (openTimeout.isNegative() || openTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("netsnap.vault.open-timeout and read-timeout must be positive");
        }
        namespace = namespace == null || namespace.isBlank() ? null : namespace.strip();
    }

    /** {@code path} without surrounding blanks and slashes. */
    static String strip(String path) {
        String result = path.strip();
        while (result.startsWith("/")) {
            result = result.substring(1);
        }
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
