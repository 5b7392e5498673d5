package io.netsnap.backup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a backup run as a whole ({@code netsnap.run.*}).
 *
 * @param window how long a run may take before network-operators are told and get a task; the run goes on. Set into
 *               the model at deployment.
 */
@ConfigurationProperties("netsnap.run")
public record RunProperties(@DefaultValue("PT4H") Duration window) {

    public RunProperties {
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("netsnap.run.window must be positive, e.g. PT4H");
        }
    }
}
