package io.netsnap.metrics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of netsnap's own series ({@code netsnap.*}); the management server itself is Actuator's
 * ({@code management.*}).
 *
 * @param overdueAfter a device whose last good backup is older than this, or that has none, is overdue (RANCID's
 *                     {@code OLDTIME}): counted in {@code netsnap_devices_overdue}
 */
@ConfigurationProperties("netsnap")
public record MetricsProperties(@DefaultValue("P2D") Duration overdueAfter) {

    public MetricsProperties {
        if (overdueAfter == null || overdueAfter.isNegative() || overdueAfter.isZero()) {
            throw new IllegalArgumentException("netsnap.overdue-after must be a positive duration, e.g. P2D");
        }
    }
}
