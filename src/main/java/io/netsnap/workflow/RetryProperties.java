package io.netsnap.workflow;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retry policy of device steps ({@code netsnap.retry.*}).
 *
 * <p>Only transient faults are retried: a device unreachable, a timeout, a reset connection, Vault or the archive
 * briefly unavailable. {@code AUTH_FAILED}, {@code HOST_KEY_MISMATCH} and {@code DEVICE_UNKNOWN} are never retried:
 * they block the device until someone fixes the credentials, the host key or the inventory. Every other permanent
 * fault ends the attempt at once too.
 *
 * @param backoff the waits before each retry of a transient fault, in order; a device step gets one attempt more
 *                than there are waits (the deployer sets the models' {@code retries} to that number)
 */
@ConfigurationProperties("netsnap.retry")
public record RetryProperties(@DefaultValue({"PT30S", "PT2M", "PT10M"}) List<Duration> backoff) {

    public RetryProperties {
        backoff = backoff == null || backoff.isEmpty() ? List.of(Duration.ofSeconds(30)) : List.copyOf(backoff);
        for (Duration wait : backoff) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("netsnap.retry.backoff: '" + wait + "' is negative");
            }
        }
    }

    /** Attempts of a device step: the first and one per wait. */
    public int attempts() {
        return backoff.size() + 1;
    }

    /** The wait after the {@code failures}-th failure (1 for the first), the last wait repeated beyond the list. */
    public Duration after(int failures) {
        return backoff.get(Math.max(0, Math.min(failures, backoff.size()) - 1));
    }
}
