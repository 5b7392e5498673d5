package io.netsnap.device;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.netsnap.inventory.Device;

/**
 * The one gate every device session passes ({@code netsnap.sessions.*}): one session per device, at most
 * {@code per-credentials} per Vault credentials path, at most {@code max} in all. A session takes its permits in that
 * order, so a step queued behind a busy device or a busy credentials path holds none of the global ones. Every wait is
 * fair (first come, first served) and bounded by {@code queue-timeout}; the device's own ceiling
 * ({@code netsnap.ssh.device-ceiling}) starts once the session has its permits.
 */
@Component
public class DeviceSessions {

    private static final Logger log = LoggerFactory.getLogger(DeviceSessions.class);
    /** The timeout of a device step's job: a step waits, then works, and must answer before it. */
    static final Duration DEVICE_STEP_JOB_TIMEOUT = Duration.ofMinutes(20);

    private final int max;
    private final int perCredentials;
    private final Duration queueTimeout;
    private final Semaphore all;
    private final Map<String, Semaphore> devices = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> credentials = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    public DeviceSessions(SessionProperties properties, SshProperties ssh) {
        this.max = properties.effectiveMax();
        this.perCredentials = properties.effectivePerCredentials();
        this.queueTimeout = properties.queueTimeout();
        if (queueTimeout.plus(ssh.deviceCeiling()).compareTo(DEVICE_STEP_JOB_TIMEOUT.minusMinutes(1)) > 0) {
            throw new IllegalArgumentException("netsnap.sessions.queue-timeout (" + queueTimeout
                    + ") plus netsnap.ssh.device-ceiling (" + ssh.deviceCeiling() + ") must stay under 19 minutes:"
                    + " a device step's job times out after 20");
        }
        this.all = new Semaphore(max, true);
        log.info("Device sessions: at most {} at once{} ({} cores, {} MB heap), {} per credentials path, one per "
                        + "device; a step waits at most {} for one", max,
                "auto".equalsIgnoreCase(properties.max().strip()) ? " (auto)" : "",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (1024 * 1024),
                perCredentials == max ? "no cap" : "at most " + perCredentials, queueTimeout);
    }

    /** The global cap in effect. */
    public int max() {
        return max;
    }

    /** The cap per credentials path in effect. */
    public int perCredentials() {
        return perCredentials;
    }

    /** The most sessions open at once since start. */
    public int peak() {
        return peak.get();
    }

    /** Sessions open now. */
    public int open() {
        return open.get();
    }

    /**
     * Waits for the device to be free and for a permit of its credentials path and of the global cap, in that order.
     *
     * @throws DeviceException.Timeout when they are not all free within {@code queue-timeout} (or the wait is
     *                                 interrupted); nothing is held then
     */
    public Lease acquire(Device device) {
        String endpoint = device.host() + ":" + device.port();
        long deadline = System.nanoTime() + queueTimeout.toNanos();
        Semaphore one = devices.computeIfAbsent(endpoint, key -> new Semaphore(1, true));
        take(device, one, deadline, "another netsnap session to " + endpoint + " did not end");
        Semaphore path = device.credentials() == null ? null
                : credentials.computeIfAbsent(device.credentials(), key -> new Semaphore(perCredentials, true));
        try {
            if (path != null) {
                take(device, path, deadline, "all " + perCredentials + " sessions with credentials "
                        + device.credentials() + " (netsnap.sessions.per-credentials) stayed busy");
            }
            try {
                take(device, all, deadline, "all " + max + " device sessions (netsnap.sessions.max) stayed busy");
            } catch (DeviceException e) {
                if (path != null) {
                    path.release();
                }
                throw e;
            }
        } catch (DeviceException e) {
            one.release();
            throw e;
        }
        int now = open.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        return new Lease(one, path);
    }

    private void take(Device device, Semaphore semaphore, long deadline, String busy) {
        try {
            if (!semaphore.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new DeviceException.Timeout(device.name(), busy + " for " + queueTimeout.toSeconds()
                        + " s (netsnap.sessions.queue-timeout)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException.Timeout(device.name(), "interrupted while waiting for a device session");
        }
    }

    /** The permits of one open session; closing it (once counts, later calls do nothing) frees them. */
    public final class Lease implements AutoCloseable {

        private final Semaphore device;
        private final Semaphore path;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Semaphore device, Semaphore path) {
            this.device = device;
            this.path = path;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
                all.release();
                if (path != null) {
                    path.release();
                }
                device.release();
            }
        }
    }
}
