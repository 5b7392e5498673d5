package io.netsnap.lease;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The device leases replicas take in the shared archive ({@code netsnap.lease.*}); see {@link DeviceLeases}.
 *
 * @param ttl  how long a lease stays valid without renewal: the holder renews it every quarter of this, so another
 *             replica takes a lease over only when its holder stopped renewing for this long (died, or stalled). The
 *             replicas' clocks must agree to well within it
 * @param poll how often a waiting step looks at a held lease again, and how often a holder looks for handover requests
 * @param maxWait the longest a conductor's login waits for its lease (SSH devices wait within their per-device ceiling)
 */
@ConfigurationProperties("netsnap.lease")
public record LeaseProperties(@DefaultValue("PT1M") Duration ttl,
                              @DefaultValue("PT0.5S") Duration poll,
                              @DefaultValue("PT10M") Duration maxWait) {

    public LeaseProperties {
        Objects.requireNonNull(ttl, "netsnap.lease.ttl");
        Objects.requireNonNull(poll, "netsnap.lease.poll");
        Objects.requireNonNull(maxWait, "netsnap.lease.max-wait");
        if (ttl.compareTo(Duration.ofSeconds(4)) < 0) {
            throw new IllegalStateException("netsnap.lease.ttl must be at least PT4S, not " + ttl);
        }
        if (poll.isNegative() || poll.isZero() || poll.multipliedBy(4).compareTo(ttl) > 0) {
            throw new IllegalStateException("netsnap.lease.poll must be positive and at most a quarter of"
                    + " netsnap.lease.ttl, not " + poll);
        }
    }
}
