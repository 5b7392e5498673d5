package io.netsnap.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netsnap.backup.DeviceBackedUp;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.DeviceStepStarted;
import io.netsnap.backup.RunReport;
import io.netsnap.backup.RunReported;

/**
 * Counts runs and device results and times device backups, from the events the backup code publishes as they
 * happen: the services know nothing of Micrometer. Counters start at this process's start, as Prometheus expects
 * (its {@code increase()} handles restarts).
 */
@Component
class BackupMetrics {

    static final String RUNS = "netsnap.runs";
    static final String DEVICE_RESULTS = "netsnap.device.results";
    static final String DEVICE_BACKUP = "netsnap.device.backup";

    /**
     * Buckets of the device backup histogram: a router answers in seconds, an ISE node or a conductor's flash
     * backup takes minutes, and the per-device ceiling is 10 minutes by default (retries add to it).
     */
    private static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(40)};
    /** A device whose end never came (its instance was cancelled) is forgotten after this. */
    private static final long FORGET_AFTER_NANOS = TimeUnit.HOURS.toNanos(24);
    private static final int PRUNE_ABOVE = 1_000;

    private final MeterRegistry registry;
    /** Run and device -> monotonic time of the device's first step in this process. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    BackupMetrics(MeterRegistry registry) {
        this.registry = registry;
        // every outcome present from the start, so that a rate or an alert has a series before the first run
        for (String outcome : new String[] {RunReport.OK, RunReport.PARTIAL, RunReport.ABORTED}) {
            runs(outcome);
        }
    }

    @EventListener
    void stepStarted(DeviceStepStarted event) {
        long now = registry.config().clock().monotonicTime();
        started.putIfAbsent(key(event.runId(), event.device()), now);
        if (started.size() > PRUNE_ABOVE) {
            started.values().removeIf(start -> now - start > FORGET_AFTER_NANOS);
        }
    }

    /** A device's result; a context's result is counted in its device's. */
    @EventListener
    void deviceBackedUp(DeviceBackedUp event) {
        DeviceResult result = event.result();
        if (result.context() != null) {
            return;
        }
        String platform = result.platform() == null ? "unknown" : result.platform();
        Counter.builder(DEVICE_RESULTS)
                .description("Device backups that ended, by status and error code")
                .tags("status", result.status(), "error", result.error() == null ? "none" : result.error(),
                        "platform", platform)
                .register(registry).increment();
        Long start = started.remove(key(event.runId(), result.device()));
        if (start != null) {
            Timer.builder(DEVICE_BACKUP)
                    .description("Time from a device's first backup step to its result, retries included")
                    .tags("platform", platform, "status", result.status())
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry)
                    .record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    @EventListener
    void runReported(RunReported event) {
        runs(event.outcome()).increment();
    }

    private Counter runs(String outcome) {
        return Counter.builder(RUNS).description("Backup runs that ended, by outcome").tag("outcome", outcome)
                .register(registry);
    }

    private static String key(String runId, String device) {
        return runId + "/" + device;
    }
}
