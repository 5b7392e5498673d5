package io.netsnap.lab.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.BackupService;
import io.netsnap.backup.RunStart;
import io.netsnap.inventory.Device;

/**
 * {@code netsnap bench --direct}: the baseline. The same inventory, drivers, Vault credentials and archive
 * ({@link BackupService#backup}, as the device worker calls it) over the same fleet, on a plain fixed thread pool as
 * large as the engine's worker threads, then one history commit as the run's commit step makes. No engine, no
 * process, no retries: what is left of a run's time when the orchestration is taken away.
 */
final class DirectRun {

    private static final Logger log = LoggerFactory.getLogger(DirectRun.class);

    /**
     * @param started   when the first device was handed to the pool
     * @param devices   from then until the last device's end
     * @param commit    the history commit of what was stored
     * @param perDevice each device's backup on its thread, start to end, failed ones included
     */
    record Outcome(Instant started, Duration devices, Duration commit, int ok, int failed,
                   List<Duration> perDevice) {
    }

    private record DeviceTime(Duration took, boolean ok) {
    }

    private DirectRun() {
    }

    static Outcome run(ApplicationContext context, int threads, Duration timeout) throws InterruptedException {
        RunStart runs = context.getBean(RunStart.class);
        BackupService backups = context.getBean(BackupService.class);
        Archive archive = context.getBean(Archive.class);
        List<Device> devices = runs.loadInventory(null).devices();
        RunFolder run = runs.start().folder();
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "bench-direct-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            Instant started = Instant.now();
            long start = System.nanoTime();
            List<Callable<DeviceTime>> tasks = new ArrayList<>();
            for (Device device : devices) {
                tasks.add(() -> {
                    long begin = System.nanoTime();
                    boolean ok;
                    try {
                        backups.backup(run, device);
                        ok = true;
                    } catch (RuntimeException e) {
                        // the message names the device and never a secret (DeviceDriver's contract)
                        log.warn("{}: backup failed: {}", device.name(), e.getMessage());
                        ok = false;
                    }
                    return new DeviceTime(Duration.ofNanos(System.nanoTime() - begin), ok);
                });
            }
            List<Future<DeviceTime>> results = pool.invokeAll(tasks, timeout.toMillis(), TimeUnit.MILLISECONDS);
            Duration devicePhase = Duration.ofNanos(System.nanoTime() - start);
            int ok = 0;
            int failed = 0;
            List<Duration> perDevice = new ArrayList<>();
            for (Future<DeviceTime> result : results) {
                try {
                    DeviceTime time = result.get();
                    perDevice.add(time.took());
                    if (time.ok()) {
                        ok++;
                    } else {
                        failed++;
                    }
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    failed++;
                }
            }
            long commitStart = System.nanoTime();
            archive.commitRun(run, archive.storedInRun(run), "netsnap bench --direct: " + ok + " device(s)");
            return new Outcome(started, devicePhase, Duration.ofNanos(System.nanoTime() - commitStart), ok, failed,
                    perDevice);
        } finally {
            pool.shutdownNow();
        }
    }
}
