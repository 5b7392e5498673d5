package io.netsnap.metrics;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveException;

/**
 * Health component {@code archive}: what preflight checks (a probe file written and deleted where run exports go,
 * the history opened as a git repository), and the history's head readable.
 */
@Component
class ArchiveHealthIndicator implements HealthIndicator {

    private final Archive archive;

    ArchiveHealthIndicator(Archive archive) {
        this.archive = archive;
    }

    @Override
    public Health health() {
        try {
            archive.checkWritable();
            String head = archive.headCommit();
            return Health.up().withDetail("root", archive.root().toString())
                    .withDetail("head", head == null ? "none yet" : head.substring(0, 12)).build();
        } catch (ArchiveException e) {
            return Health.down().withDetail("root", archive.root().toString())
                    .withDetail("error", e.getMessage()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("root", archive.root().toString())
                    .withDetail("error", "archive check failed: " + e.getClass().getSimpleName()).build();
        }
    }
}
