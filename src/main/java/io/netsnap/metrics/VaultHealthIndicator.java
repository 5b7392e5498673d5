package io.netsnap.metrics;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;

/**
 * Health component {@code vault}: the token lookup-self that preflight does (reachable, unsealed, token valid), one
 * request per health check. The detail is the provider's own one line, which names the address and never a token.
 */
@Component
class VaultHealthIndicator implements HealthIndicator {

    private final CredentialsProvider credentials;

    VaultHealthIndicator(CredentialsProvider credentials) {
        this.credentials = credentials;
    }

    @Override
    public Health health() {
        try {
            credentials.check();
            return Health.up().build();
        } catch (CredentialsUnavailableException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        } catch (RuntimeException e) {
            // not the provider's own words: only the kind of failure, which cannot carry a secret
            return Health.down().withDetail("error", "Vault check failed: " + e.getClass().getSimpleName()).build();
        }
    }
}
