package io.netsnap.credentials;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how netsnap reads device credentials from HashiCorp Vault ({@code netsnap.vault.*}). No secret is ever a
 * property: the token comes from {@code token-file} or {@code VAULT_TOKEN}, the AppRole secret-id from a file or an
 * environment variable, the Kubernetes service-account JWT from its file.
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
 * @param auth         how netsnap gets its token: {@code token} (token-file / VAULT_TOKEN), {@code approle} or
 *                     {@code kubernetes}
 * @param authMount    path of the auth method under {@code auth/}; defaults to {@code approle} / {@code kubernetes}
 * @param approle      role-id and where the secret-id is read from, for {@code auth: approle}
 * @param kubernetes   Vault role and service-account token file, for {@code auth: kubernetes}
 * @param renewBelow   renew the token (renew-self) after two thirds of its lease, but at least this long before it
 *                     expires (at most half the lease); when Vault refuses or caps the renewal, log in again
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
        Path caBundle,
        @DefaultValue("token") @NotNull Auth auth,
        String authMount,
        @DefaultValue AppRole approle,
        @DefaultValue Kubernetes kubernetes,
        @DefaultValue("PT5M") @NotNull Duration renewBelow) {

    /** Where the token comes from. */
    public enum Auth {
        /** A token from {@code token-file} or {@code VAULT_TOKEN}, renewed when it is renewable. */
        TOKEN,
        /** AppRole login with role-id and secret-id. */
        APPROLE,
        /** Kubernetes login with the pod's service-account JWT. */
        KUBERNETES
    }

    /**
     * AppRole settings ({@code netsnap.vault.approle.*}).
     *
     * @param roleId       the role-id (not a secret on its own)
     * @param secretIdFile file holding the secret-id, re-read at every login; unset to use {@code secretIdEnv}
     * @param secretIdEnv  environment variable holding the secret-id when no file is set
     */
    public record AppRole(String roleId, Path secretIdFile, @DefaultValue("VAULT_SECRET_ID") String secretIdEnv) {
    }

    /**
     * Kubernetes settings ({@code netsnap.vault.kubernetes.*}).
     *
     * @param role    the Vault role bound to netsnap's service account
     * @param jwtFile the service-account token, re-read at every login (the kubelet rotates it)
     */
    public record Kubernetes(String role,
            @DefaultValue("/var/run/secrets/kubernetes.io/serviceaccount/token") Path jwtFile) {
    }

    /** Token auth with the default renewal threshold: the settings before AppRole and Kubernetes existed. */
    public VaultProperties(URI address, String mount, String namespace, Path tokenFile, Duration openTimeout,
                           Duration readTimeout, Path caBundle) {
        this(address, mount, namespace, tokenFile, openTimeout, readTimeout, caBundle, Auth.TOKEN, null, null, null,
                Duration.ofMinutes(5));
    }

    @ConstructorBinding
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
        auth = auth == null ? Auth.TOKEN : auth;
        approle = approle == null ? new AppRole(null, null, "VAULT_SECRET_ID") : approle;
        kubernetes = kubernetes == null
                ? new Kubernetes(null, Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")) : kubernetes;
        renewBelow = renewBelow == null ? Duration.ofMinutes(5) : renewBelow;
        if (renewBelow.isNegative() || renewBelow.isZero()) {
            throw new IllegalArgumentException("netsnap.vault.renew-below must be positive");
        }
        switch (auth) {
            case APPROLE -> {
                if (approle.roleId() == null || approle.roleId().isBlank()) {
                    throw new IllegalArgumentException("netsnap.vault.approle.role-id is required with auth: approle");
                }
                if (approle.secretIdFile() == null
                        && (approle.secretIdEnv() == null || approle.secretIdEnv().isBlank())) {
                    throw new IllegalArgumentException(
                            "netsnap.vault.approle.secret-id-file or secret-id-env is required with auth: approle");
                }
            }
            case KUBERNETES -> {
                if (kubernetes.role() == null || kubernetes.role().isBlank()) {
                    throw new IllegalArgumentException(
                            "netsnap.vault.kubernetes.role is required with auth: kubernetes");
                }
                if (kubernetes.jwtFile() == null) {
                    throw new IllegalArgumentException(
                            "netsnap.vault.kubernetes.jwt-file is required with auth: kubernetes");
                }
            }
            case TOKEN -> {
            }
        }
        authMount = authMount == null || strip(authMount).isEmpty()
                ? switch (auth) {
                    case APPROLE -> "approle";
                    case KUBERNETES -> "kubernetes";
                    case TOKEN -> "token";
                }
                : strip(authMount).replaceFirst("^auth/", "");
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
