package io.netsnap.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import io.github.jopenlibs.vault.response.LookupResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Reads device credentials from a KV version 2 secrets engine in HashiCorp Vault with vault-java-driver.
 *
 * <p>A secret holds {@code username}, {@code password}, optional {@code enable} and optional
 * {@code ssh_private_key}; {@code username} and one of {@code password} / {@code ssh_private_key} are required.
 * No secret is cached: each call reads Vault. The token comes from {@link VaultLogin}, which reads the
 * {@link VaultTokenSource} each time (token auth) or logs in with AppRole or Kubernetes, and renews it.
 *
 * <p>Failure messages name the Vault path and what the status means, and are built only from our own words: the
 * driver's {@link VaultException} messages embed the raw response body, so none of their text is passed on. The token
 * never appears in a message. One retry only: a read that Vault refuses (HTTP 403) is repeated once with a new token
 * when the auth method can get one (AppRole and Kubernetes log in again, token auth re-reads a token file that a Vault
 * Agent rotated); otherwise {@link CredentialsUnavailableException#transientFault()} tells the caller whether a retry
 * may help.
 */
@Component
public class VaultCredentialsProvider implements CredentialsProvider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VaultCredentialsProvider.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Keeps the driver away from VAULT_ADDR, VAULT_SSL_VERIFY, ~/.vault-token and friends: only our settings count. */
    private static final EnvironmentLoader NO_ENVIRONMENT = new EnvironmentLoader() {
        @Override
        public String loadVariable(String name) {
            return null;
        }
    };

    private final VaultProperties properties;
    private final VaultLogin login;
    private final String address;
    private final String shownAddress;
    private final HttpClient httpClient;
    private final AtomicReference<Session> session = new AtomicReference<>();

    public VaultCredentialsProvider(VaultProperties properties, VaultTokenSource tokenSource) {
        this(properties, tokenSource, System::getenv);
    }

    /**
     * @param clock the application's {@link Clock} bean if it has exactly one (a test gives the Vault double's, to move
     *              time instead of waiting for tokens to expire), else the system clock
     */
    @Autowired
    public VaultCredentialsProvider(VaultProperties properties, VaultTokenSource tokenSource,
                                    ObjectProvider<Clock> clock) {
        this(properties, tokenSource, System::getenv, clock.getIfUnique(Clock::systemUTC), VaultLogin.TICK);
    }

    /** With the environment variables given, for tests of the AppRole secret-id from the environment. */
    VaultCredentialsProvider(VaultProperties properties, VaultTokenSource tokenSource,
                             Function<String, String> environment) {
        this(properties, tokenSource, environment, Clock.systemUTC(), VaultLogin.TICK);
    }

    /**
     * With the clock token lifetimes are measured by and how often the renewal timer looks at it, for tests that
     * move time (the Vault double's clock) instead of waiting for it.
     */
    VaultCredentialsProvider(VaultProperties properties, VaultTokenSource tokenSource,
                             Function<String, String> environment, Clock clock, Duration tick) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.login = new VaultLogin(properties, Objects.requireNonNull(tokenSource, "tokenSource"), this::driver,
                this::fromException, environment, clock, tick);
        this.address = properties.address().toString().replaceAll("/+$", "");
        this.shownAddress = withoutUserInfo(properties.address());
        // One client for all requests: without it the driver builds a new HttpClient (and its threads) per call.
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.openTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(sslContext(properties.caBundle()))
                .build();
    }

    @Override
    public Credentials forPath(String path) {
        String relative = VaultProperties.strip(Objects.requireNonNull(path, "path"));
        if (relative.isEmpty()) {
            throw new CredentialsUnavailableException("empty credentials path", false);
        }
        String secret = properties.mount() + "/" + relative;
        String apiPath = properties.mount() + "/data/" + relative;
        String token = login.token();
        LogicalResponse response = read(token, secret);
        int status = response.getRestResponse().getStatus();
        if (status == 403 && login.refused(token)) {
            // An expired token (a renewal that came too late) or one revoked under us: one retry with a new token.
            log.info("Vault refused the token reading {} (HTTP 403): retrying once with a new token", apiPath);
            response = read(login.token(), secret);
            status = response.getRestResponse().getStatus();
        }
        if (status == 200) {
            return credentials(secret, response.getData());
        }
        // The driver returns 4xx answers to reads instead of throwing: the status is ours to check.
        throw switch (status) {
            case 403 -> new CredentialsUnavailableException(
                    "Vault refused the token (permission denied or invalid token) reading " + apiPath, false);
            case 404 -> new CredentialsUnavailableException(notFound(secret, response), false);
            default -> new CredentialsUnavailableException(statusMeaning(status, "reading " + secret),
                    transientStatus(status));
        };
    }

    @Override
    public void check() {
        try {
            String token = login.token();
            Instant asked = login.now();
            LookupResponse self = driver(token).auth().lookupSelf();
            login.learned(token, asked, self.getTTL(), self.isRenewable());
        } catch (VaultException e) {
            // lookupSelf throws on every non-200 answer, unlike reads.
            if (e.getHttpStatusCode() == 403) {
                throw new CredentialsUnavailableException(
                        "Vault token invalid or expired (permission denied looking up the token at " + shownAddress
                                + ")", false);
            }
            throw fromException(e, "looking up the token");
        }
    }

    /** Releases the HTTP client's threads and connections. */
    @Override
    public void close() {
        login.close();
        httpClient.close();
    }

    private LogicalResponse read(String token, String secret) {
        try {
            return driver(token).logical().read(secret);
        } catch (VaultException e) {
            throw fromException(e, "reading " + secret);
        }
    }

    private Credentials credentials(String secret, Map<String, String> data) {
        String username = field(data, "username");
        String password = field(data, "password");
        String privateKey = field(data, "ssh_private_key");
        if (username == null) {
            throw new CredentialsUnavailableException("secret at " + secret + " has no 'username'", false);
        }
        if (password == null && privateKey == null) {
            throw new CredentialsUnavailableException(
                    "secret at " + secret + " has no 'password' or 'ssh_private_key'", false);
        }
        return new Credentials(username, password, field(data, "enable"), privateKey);
    }

    private static String field(Map<String, String> data, String name) {
        String value = data == null ? null : data.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private String notFound(String secret, LogicalResponse response) {
        Map<String, String> metadata = response.getDataMetadata().getMetadataMap();
        String deletionTime = metadata.get("deletion_time");
        if (deletionTime != null && !deletionTime.isEmpty()) {
            return "no secret at " + secret + " (its latest version was deleted at " + deletionTime + ")";
        }
        if ("true".equals(metadata.get("destroyed"))) {
            return "no secret at " + secret + " (its latest version was destroyed)";
        }
        if (noRoute(response.getRestResponse().getBody())) {
            return "no secret at " + secret + ": Vault at " + shownAddress + " has no secrets engine mounted at '"
                    + properties.mount() + "'";
        }
        return "no secret at " + secret;
    }

    /** Only recognises Vault's routing error; the body's text itself is never passed on. */
    private static boolean noRoute(byte[] body) {
        try {
            for (JsonNode error : MAPPER.readTree(body).path("errors")) {
                if (error.asText().startsWith("no handler for route")) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private CredentialsUnavailableException fromException(VaultException e, String doing) {
        int status = e.getHttpStatusCode();
        if (status == 200) {
            // lookupSelf insists on Content-Type exactly "application/json".
            return new CredentialsUnavailableException("unexpected answer from Vault at " + shownAddress + " "
                    + doing + " (not a JSON response)", false);
        }
        if (status > 0) {
            return new CredentialsUnavailableException(statusMeaning(status, doing), transientStatus(status));
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            CredentialsUnavailableException mapped = fromTransportFailure(cause, doing);
            if (mapped != null) {
                return mapped;
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        // No status and no I/O cause: the driver could not build the request or parse the answer (it throws
        // NullPointerException on missing fields). Only the class name: such messages may quote the answer.
        return new CredentialsUnavailableException("unexpected failure with Vault at " + shownAddress + " " + doing
                + " (" + root.getClass().getSimpleName() + ")", false);
    }

    private CredentialsUnavailableException fromTransportFailure(Throwable cause, String doing) {
        String message;
        boolean transientFault = true;
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            message = "interrupted while " + doing + " from Vault at " + shownAddress;
        } else if (cause instanceof HttpConnectTimeoutException) {
            message = "cannot connect to Vault at " + shownAddress + " within " + seconds(properties.openTimeout())
                    + "s (connect timeout) " + doing;
        } else if (cause instanceof HttpTimeoutException) {
            message = "Vault at " + shownAddress + " did not answer within " + seconds(properties.readTimeout())
                    + "s (read timeout) " + doing;
        } else if (cause instanceof ConnectException) {
            message = "cannot connect to Vault at " + shownAddress + " (connection refused or unreachable) " + doing;
        } else if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            message = "cannot resolve the host of Vault at " + shownAddress + " " + doing;
        } else if (cause instanceof SSLException) {
            message = "TLS with Vault at " + shownAddress + " failed " + doing
                    + " (certificate not trusted by netsnap.vault.ca-bundle, or wrong host name)";
            transientFault = false;
        } else if (cause instanceof IOException) {
            message = "I/O error talking to Vault at " + shownAddress + " " + doing + " ("
                    + cause.getClass().getSimpleName() + ")";
        } else {
            return null;
        }
        return new CredentialsUnavailableException(message, transientFault);
    }

    private String statusMeaning(int status, String doing) {
        String meaning = switch (status) {
            case 400 -> "bad request";
            case 403 -> "permission denied or invalid token";
            case 404 -> "not found";
            case 405 -> "unsupported operation";
            case 412 -> "not yet replicated, retry";
            case 429 -> "rate limited";
            case 500 -> "internal server error";
            case 501 -> "Vault is not initialized";
            case 502 -> "bad gateway";
            case 503 -> "Vault is sealed or in maintenance";
            case 504 -> "gateway timeout";
            default -> status >= 300 && status < 400 ? "redirect, e.g. from a standby node" : "unexpected status";
        };
        return "Vault at " + shownAddress + " answered HTTP " + status + " (" + meaning + ") " + doing;
    }

    private static boolean transientStatus(int status) {
        return status == 412 || status == 429 || status >= 500;
    }

    /** A driver bound to {@code token}, or without one ({@code null}) for the login call. */
    private Vault driver(String token) {
        Session current = session.get();
        if (current != null && Objects.equals(current.token, token)) {
            return current.vault;
        }
        VaultConfig config = new VaultConfig()
                .environmentLoader(NO_ENVIRONMENT)
                .address(address)
                .engineVersion(2)
                .prefixPathDepth(properties.mount().split("/").length)
                .openTimeout(seconds(properties.openTimeout()))
                .readTimeout(seconds(properties.readTimeout()))
                .httpClient(httpClient);
        try {
            if (token != null) {
                config.token(token);
            }
            if (properties.namespace() != null) {
                config.nameSpace(properties.namespace());
            }
            config.build();
        } catch (VaultException e) {
            throw new IllegalStateException("invalid netsnap.vault settings", e);
        }
        Session created = new Session(token, Vault.create(config, 2));
        if (token != null) {
            session.set(created);
        }
        return created.vault;
    }

    /** The driver takes whole seconds; round up so a sub-second setting does not become "no timeout". */
    private static int seconds(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (duration.toMillis() + 999) / 1000));
    }

    private static SSLContext sslContext(Path caBundle) {
        return TrustBundles.sslContext(caBundle, "netsnap.vault.ca-bundle");
    }

    private static String withoutUserInfo(URI uri) {
        try {
            String shown = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                    .toString();
            return shown.replaceAll("/+$", "");
        } catch (URISyntaxException e) {
            return uri.getScheme() + "://" + uri.getHost();
        }
    }

    /** A driver instance bound to one token; rebuilt when the token source yields another token. */
    private static final class Session {
        private final String token;
        private final Vault vault;

        Session(String token, Vault vault) {
            this.token = token;
            this.vault = vault;
        }

        @Override
        public String toString() {
            return "Session[token=<redacted>]";
        }
    }
}
