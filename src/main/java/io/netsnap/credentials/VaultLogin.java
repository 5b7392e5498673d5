package io.netsnap.credentials;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Vault token alive: gets it (token source, AppRole or Kubernetes login), renews it with renew-self once
 * it is due ({@link #margin}), and logs in again when Vault refuses or caps a renewal. Renewal runs both on use and
 * on a timer that looks every {@code tick} whether the token is due, by the injected {@link Clock}: a token outlives
 * a long quiet spell (a slow device) as well as a busy run, and a test moves the clock instead of waiting.
 *
 * <p>With token auth the TTL is unknown until a lookup-self reports it ({@link #learned}); preflight does one at the
 * start of every run. Tokens, secret-ids and JWTs never appear in a message or log line.
 */
final class VaultLogin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VaultLogin.class);
    /** How often the timer looks whether the token is due; short, so a renewal is late by one tick at most. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** After a failed renewal on the timer, wait this long (by the clock) before the next: Vault may be down. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final VaultProperties properties;
    private final VaultTokenSource tokenSource;
    private final Function<String, Vault> driver;
    private final BiFunction<VaultException, String, CredentialsUnavailableException> failure;
    private final Function<String, String> environment;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();

    private String token;
    private Instant expires;
    private Duration lease;
    private boolean renewable;
    private Instant retryAt;

    /**
     * @param driver      a driver bound to a token ({@code null} for the unauthenticated login call)
     * @param failure     turns a driver failure into our own message, "while {@code doing}"
     * @param environment reads an environment variable (the AppRole secret-id)
     */
    VaultLogin(VaultProperties properties, VaultTokenSource tokenSource, Function<String, Vault> driver,
               BiFunction<VaultException, String, CredentialsUnavailableException> failure,
               Function<String, String> environment, Clock clock, Duration tick) {
        this.properties = properties;
        this.tokenSource = tokenSource;
        this.driver = driver;
        this.failure = failure;
        this.environment = environment;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vault-token-renewal");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::renewOnTimer, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A token that is valid now, logging in or renewing first when needed. */
    String token() {
        synchronized (lock) {
            if (properties.auth() == VaultProperties.Auth.TOKEN) {
                String current = tokenSource.token().orElseThrow(() -> new CredentialsUnavailableException(
                        "no Vault token: set netsnap.vault.token-file or VAULT_TOKEN", false));
                if (!current.equals(token)) {
                    // A new token (rotated file): its TTL is unknown until the next lookup-self.
                    forget();
                    token = current;
                } else if (due()) {
                    renewOrLogin();
                }
                return token;
            }
            if (token == null || !clock.instant().isBefore(expires)) {
                login();
            } else if (due()) {
                renewOrLogin();
            }
            return token;
        }
    }

    /** The instant to pass to {@link #learned} as when the lookup-self was asked. */
    Instant now() {
        return clock.instant();
    }

    /**
     * What a lookup-self asked at {@code asked} said about {@code looked}: its remaining TTL (0 = never expires) and
     * renewability.
     */
    void learned(String looked, Instant asked, long ttlSeconds, boolean isRenewable) {
        synchronized (lock) {
            if (looked.equals(token) && ttlSeconds > 0) {
                grant(looked, asked, ttlSeconds, isRenewable);
            }
        }
    }

    /**
     * Vault refused {@code refused} (HTTP 403 on a read): whether a read may be retried with the token {@link #token}
     * gives next. AppRole and Kubernetes drop the token so that the next use logs in again; token auth re-reads the
     * token source, which only helps when it now holds another token (a Vault Agent rotated the file).
     */
    boolean refused(String refused) {
        synchronized (lock) {
            if (properties.auth() == VaultProperties.Auth.TOKEN) {
                return tokenSource.token().filter(current -> !current.equals(refused)).isPresent();
            }
            if (refused.equals(token)) {
                forget();
            }
            return true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private boolean due() {
        return expires != null && Duration.between(clock.instant(), expires).compareTo(margin()) < 0;
    }

    /**
     * How long before expiry the token is due: a third of its lease (renewal after two thirds of the TTL, as Vault
     * Agent does), but at least {@code renew-below}, so that a renewal delayed by a busy machine or a slow Vault still
     * comes in time; capped at half the lease, so that a short-lived token is not renewed at every use.
     */
    static Duration margin(Duration lease, Duration renewBelow) {
        Duration third = lease.dividedBy(3);
        Duration floor = renewBelow.compareTo(lease.dividedBy(2)) < 0 ? renewBelow : lease.dividedBy(2);
        return third.compareTo(floor) > 0 ? third : floor;
    }

    private Duration margin() {
        return margin(lease, properties.renewBelow());
    }

    private void renewOrLogin() {
        if (renewable) {
            try {
                Instant asked = clock.instant();
                AuthResponse renewed = driver.apply(token).auth().renewSelf();
                long seconds = renewed.getAuthLeaseDuration();
                if (Duration.ofSeconds(seconds).compareTo(margin()) > 0
                        || properties.auth() == VaultProperties.Auth.TOKEN) {
                    log.debug("Vault token renewed for {} s", seconds);
                    grant(token, asked, seconds, renewed.isAuthRenewable());
                    return;
                }
                log.info("Vault capped the token's renewal at {} s (max TTL reached): logging in again", seconds);
            } catch (VaultException e) {
                if (properties.auth() == VaultProperties.Auth.TOKEN) {
                    forget();
                    throw failure.apply(e, "renewing the token");
                }
                log.info("Vault refused to renew the token (HTTP {}): logging in again", e.getHttpStatusCode());
            }
        }
        if (properties.auth() == VaultProperties.Auth.TOKEN) {
            return;
        }
        login();
    }

    private void login() {
        String mount = properties.authMount();
        String doing = "logging in with " + properties.auth().name().toLowerCase() + " at auth/" + mount;
        AuthResponse response;
        Instant asked = clock.instant();
        try {
            response = switch (properties.auth()) {
                case APPROLE -> driver.apply(null).auth().loginByAppRole(mount, properties.approle().roleId(),
                        appRoleSecretId());
                case KUBERNETES -> driver.apply(null).auth().loginByJwt("kubernetes", properties.kubernetes().role(),
                        read(properties.kubernetes().jwtFile(), "Kubernetes service-account token file"),
                        "auth/" + mount); // unlike loginByAppRole, the driver wants the whole path here
                case TOKEN -> throw new IllegalStateException("token auth has no login");
            };
        } catch (VaultException e) {
            forget();
            int status = e.getHttpStatusCode();
            if (status == 400 || status == 403) {
                // 400 "invalid role or secret ID" / "invalid role name", 403 a JWT the role does not accept.
                throw new CredentialsUnavailableException("Vault refused " + doing + " (HTTP " + status + ": "
                        + (properties.auth() == VaultProperties.Auth.APPROLE ? "invalid role-id or secret-id"
                        : "role " + properties.kubernetes().role() + " does not accept the service-account token")
                        + ")", false);
            }
            throw failure.apply(e, doing);
        }
        log.info("Logged in to Vault with {} at auth/{} (token TTL {} s, {})", properties.auth().name().toLowerCase(),
                mount, response.getAuthLeaseDuration(), response.isAuthRenewable() ? "renewable" : "not renewable");
        grant(response.getAuthClientToken(), asked, response.getAuthLeaseDuration(), response.isAuthRenewable());
    }

    private String appRoleSecretId() {
        VaultProperties.AppRole approle = properties.approle();
        if (approle.secretIdFile() != null) {
            return read(approle.secretIdFile(), "AppRole secret-id file");
        }
        String value = environment.apply(approle.secretIdEnv());
        if (value == null || value.isBlank()) {
            throw new CredentialsUnavailableException("no AppRole secret-id: set netsnap.vault.approle.secret-id-file"
                    + " or the environment variable " + approle.secretIdEnv(), false);
        }
        return value.strip();
    }

    private static String read(Path file, String what) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new CredentialsUnavailableException("the " + what + " " + file + " is empty", false);
            }
            return value;
        } catch (IOException e) {
            // The exception's own message could quote content; the class name is enough.
            throw new CredentialsUnavailableException("cannot read the " + what + " " + file + " ("
                    + e.getClass().getSimpleName() + ")", false);
        }
    }

    /**
     * The lease counts from when the request was {@code asked}, not from when the answer came: a slow answer on a busy
     * machine must not make the token seem to live longer than it does.
     */
    private void grant(String granted, Instant asked, long leaseSeconds, boolean isRenewable) {
        token = granted;
        lease = Duration.ofSeconds(Math.max(1, leaseSeconds));
        expires = asked.plus(lease);
        renewable = isRenewable;
        retryAt = null;
    }

    private void forget() {
        token = null;
        expires = null;
        lease = null;
        renewable = false;
    }

    private void renewOnTimer() {
        synchronized (lock) {
            if (token == null || !due() || (retryAt != null && clock.instant().isBefore(retryAt))
                    || (!renewable && properties.auth() == VaultProperties.Auth.TOKEN)) {
                return;
            }
            try {
                renewOrLogin();
            } catch (RuntimeException e) {
                // The next use logs in again or reports the failure where a job can act on it.
                retryAt = clock.instant().plus(RETRY_AFTER);
                log.warn("Vault token renewal failed: {}", e.getMessage());
            }
        }
    }
}
