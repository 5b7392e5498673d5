package io.netsnap.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveException;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.DeviceBackedUp;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.RunReported;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.InventoryException;

/**
 * The age of each device's last good backup, and how many devices are overdue, from what survives a restart and
 * what every replica shares: the {@code report.json} of each run in the archive ({@code runs/<date>/<runId>/}), a
 * device's last good backup being the end of the last run that reported it {@code OK}. Devices backed up OK in this
 * process since (a run still going, a restore's checkpoint) count from their result. The archive is read lazily,
 * when a scrape finds the last reading older than {@value #RESCAN_SECONDS} s or a run has been reported since; a
 * reading is a few small files per day kept by {@code netsnap.archive.retention}.
 *
 * <p>Overdue are the devices of the inventory ({@code netsnap.inventory}) with no good backup within
 * {@code netsnap.overdue-after}, never backed up included (they have no age series); when the inventory cannot be
 * read, the devices the archive knows.
 */
@Component
class LastGoodBackups implements MeterBinder {

    static final String AGE = "netsnap.device.last.good.backup.age";
    private static final String AGE_DESCRIPTION = "Seconds since the device's last good backup";
    static final String OVERDUE = "netsnap.devices.overdue";
    static final String OVERDUE_AFTER = "netsnap.overdue.after";
    private static final long RESCAN_SECONDS = 30;
    private static final String REPORT = "report.json";
    private static final Logger log = LoggerFactory.getLogger(LastGoodBackups.class);

    private final Archive archive;
    private final DeviceDirectory directory;
    private final Duration overdueAfter;
    private final Clock clock = Clock.systemUTC();
    /** Good backups seen in this process, device -> when. */
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private volatile Reading reading;
    private volatile MultiGauge ages;
    private volatile MeterRegistry registry;
    /** Devices with an age series. */
    private final Set<String> agedDevices = ConcurrentHashMap.newKeySet();

    LastGoodBackups(Archive archive, DeviceDirectory directory, MetricsProperties properties) {
        this.archive = archive;
        this.directory = directory;
        this.overdueAfter = properties.overdueAfter();
    }

    /** What the archive said at one moment. */
    private record Reading(Instant readAt, Map<String, Instant> lastGood, Set<String> inventory) {
    }

    /** The part of {@code report.json} read here; the rest of the report may change freely. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Reported(Instant finishedAt, List<ReportedDevice> devices) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReportedDevice(String device, String status) {
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        ages = MultiGauge.builder(AGE).baseUnit("seconds").description(AGE_DESCRIPTION).register(registry);
        Gauge.builder(OVERDUE, this, LastGoodBackups::overdue)
                .description("Devices of the inventory with no good backup within netsnap.overdue-after")
                .register(registry);
        Gauge.builder(OVERDUE_AFTER, overdueAfter, Duration::toSeconds).baseUnit("seconds")
                .description("netsnap.overdue-after").register(registry);
    }

    @EventListener
    void deviceBackedUp(DeviceBackedUp event) {
        if (event.result().ok() && event.result().context() == null) {
            seen.merge(event.result().device(), clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
            if (!agedDevices.contains(event.result().device())) {
                registerAge(event.result().device());
            }
        }
    }

    /** A report was written: the next scrape reads the archive again. */
    @EventListener
    void runReported(RunReported event) {
        reading = null;
    }

    double overdue() {
        Reading now = current();
        Instant cutoff = clock.instant().minus(overdueAfter);
        Set<String> devices = now.inventory() != null ? now.inventory() : union(now);
        return devices.stream().map(device -> lastGood(now, device))
                .filter(last -> last == null || last.isBefore(cutoff)).count();
    }

    double age(String device) {
        Instant last = lastGood(current(), device);
        return last == null ? Double.NaN
                : Math.max(0, Duration.between(last, clock.instant()).toMillis() / 1000.0);
    }

    private Instant lastGood(Reading reading, String device) {
        Instant archived = reading.lastGood().get(device);
        Instant here = seen.get(device);
        return archived == null ? here : here == null || archived.isAfter(here) ? archived : here;
    }

    private Set<String> union(Reading reading) {
        Set<String> devices = new LinkedHashSet<>(reading.lastGood().keySet());
        devices.addAll(seen.keySet());
        return devices;
    }

    private Reading current() {
        Reading last = reading;
        if (last != null && Duration.between(last.readAt(), clock.instant()).toSeconds() < RESCAN_SECONDS) {
            return last;
        }
        synchronized (this) {
            last = reading;
            if (last == null || Duration.between(last.readAt(), clock.instant()).toSeconds() >= RESCAN_SECONDS) {
                last = read();
                reading = last;
                registerAges(last);
            }
            return last;
        }
    }

    /** One age series per device with a good backup on record. */
    private synchronized void registerAges(Reading reading) {
        Set<String> devices = union(reading);
        if (ages == null || devices.equals(agedDevices)) {
            return;
        }
        ages.register(devices.stream().sorted().map(device -> MultiGauge.Row.of(Tags.of("device", device), this,
                self -> self.age(device))).toList(), true);
        agedDevices.retainAll(devices);
        agedDevices.addAll(devices);
    }

    /**
     * The series of one device backed up for the first time in this process, on its own: registering every device's
     * again at each one would cost a run time in the square of its fleet. The next reading of the archive takes it
     * into the multi-gauge (the registry keeps one meter per device).
     */
    private synchronized void registerAge(String device) {
        if (registry == null || !agedDevices.add(device)) {
            return;
        }
        Gauge.builder(AGE, this, self -> self.age(device)).tags("device", device).baseUnit("seconds")
                .description(AGE_DESCRIPTION).register(registry);
    }

    private Reading read() {
        Instant readAt = clock.instant();
        Map<String, Instant> lastGood = new HashMap<>();
        Path runs = archive.root().resolve("runs");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> days = Files.list(runs)) {
                for (Path day : days.filter(Files::isDirectory).toList()) {
                    readDay(day, lastGood);
                }
            } catch (IOException e) {
                log.warn("Cannot list {} for the last good backups: {}", runs, e.getMessage());
            }
        }
        Set<String> inventory;
        try {
            inventory = directory.inventory(null).devices().stream().map(Device::name)
                    .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
        } catch (InventoryException | io.netsnap.backup.UnknownReferenceException e) {
            log.debug("Overdue devices counted from the archive: the inventory cannot be read: {}", e.getMessage());
            inventory = null;
        }
        return new Reading(readAt, Map.copyOf(lastGood), inventory);
    }

    private void readDay(Path day, Map<String, Instant> lastGood) throws IOException {
        LocalDate date;
        try {
            date = LocalDate.parse(day.getFileName().toString());
        } catch (DateTimeParseException notADay) {
            return;
        }
        try (Stream<Path> folders = Files.list(day)) {
            for (Path folder : folders.filter(f -> Files.isRegularFile(f.resolve(REPORT))).toList()) {
                try {
                    archive.readRunDocument(new RunFolder(folder.getFileName().toString(), date), REPORT,
                            Reported.class).ifPresent(report -> record(report, lastGood));
                } catch (ArchiveException | IllegalArgumentException e) {
                    log.debug("Skipping {} for the last good backups: {}", folder, e.getMessage());
                }
            }
        }
    }

    private static void record(Reported report, Map<String, Instant> lastGood) {
        if (report.finishedAt() == null || report.devices() == null) {
            return;
        }
        for (ReportedDevice device : report.devices()) {
            if (device.device() != null && DeviceResult.OK.equals(device.status())) {
                lastGood.merge(device.device(), report.finishedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
    }
}
