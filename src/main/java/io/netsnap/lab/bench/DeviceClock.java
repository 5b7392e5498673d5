package io.netsnap.lab.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

import io.netsnap.backup.DeviceBackedUp;
import io.netsnap.backup.DeviceStepStarted;

/**
 * Times each device's backup on the workers from netsnap's own events: from its first step's start
 * ({@link DeviceStepStarted}) to its result ({@link DeviceBackedUp}), retries included, as the device backup
 * histogram of the metrics does.
 */
final class DeviceClock implements ApplicationListener<ApplicationEvent> {

    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Long> ended = new ConcurrentHashMap<>();
    private final AtomicReference<Start> first = new AtomicReference<>();

    /** When a worker began the first step of the first device, and the CPU seconds this process had used by then. */
    record Start(Instant at, double cpuSeconds) {
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof PayloadApplicationEvent<?> payload) {
            long now = System.nanoTime();
            if (payload.getPayload() instanceof DeviceStepStarted step) {
                if (first.get() == null) {
                    first.compareAndSet(null, new Start(Instant.now(), Resources.processCpuSeconds()));
                }
                started.putIfAbsent(step.runId() + "/" + step.device(), now);
            } else if (payload.getPayload() instanceof DeviceBackedUp done) {
                ended.put(done.runId() + "/" + done.result().device(), now);
            }
        }
    }

    /** The first device's start, or {@code null} before any. */
    Start first() {
        return first.get();
    }

    /** The devices of a run that started and ended. */
    List<Duration> durations(String runId) {
        List<Duration> durations = new ArrayList<>();
        started.forEach((key, start) -> {
            Long end = ended.get(key);
            if (key.startsWith(runId + "/") && end != null) {
                durations.add(Duration.ofNanos(end - start));
            }
        });
        return durations;
    }
}
