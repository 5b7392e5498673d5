package io.netsnap.restore;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Restores ({@code netsnap.restore.*}).
 *
 * @param approvalTimeout how long a restore waits for its approval before it is rejected (the timer on the approval
 *                        task, and a check of its own when the decision is recorded)
 * @param approvalValidFor how long a recorded approval may wait for its push; the push follows at once, so this only
 *                        has to outlast the checkpoint
 * @param maxDiffLines    longest masked diff put in the approval task; a longer one is cut with a note, and the
 *                        whole diff is in the restore's folder
 */
@ConfigurationProperties("netsnap.restore")
public record RestoreProperties(@DefaultValue("P1D") Duration approvalTimeout,
                                @DefaultValue("PT1H") Duration approvalValidFor,
                                @DefaultValue("2000") int maxDiffLines) {

    public RestoreProperties {
        if (approvalTimeout.isNegative() || approvalTimeout.isZero()) {
            throw new IllegalArgumentException("netsnap.restore.approval-timeout must be positive");
        }
        if (approvalValidFor.isNegative() || approvalValidFor.isZero()) {
            throw new IllegalArgumentException("netsnap.restore.approval-valid-for must be positive");
        }
    }
}
