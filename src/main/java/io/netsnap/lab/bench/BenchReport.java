package io.netsnap.lab.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The figures of one bench run, as a table for people and as JSON for documents.
 *
 * @param mode        {@code engine} (one network-backup on the embedded engine) or {@code direct} (the same drivers
 *                    on a plain executor)
 * @param configBytes the average size of the configurations served
 * @param concurrency how many device backups may run at once (the engine's worker threads)
 * @param phases      where the wall time went, in order; they add up to {@code wall}
 * @param wall        from the JVM's start to the last step's end
 * @param devicePhase the phase in which the devices were backed up
 * @param perDevice   each device's backup, start to end
 */
record BenchReport(String mode, Fleet fleet, long configBytes, int concurrency, List<Phase> phases, Duration wall,
                   int ok, int failed, Duration devicePhase, List<Duration> perDevice, Resources resources) {

    /** A phase of the wall time; {@code note} says what it covers, or is empty. */
    record Phase(String name, Duration wall, String note) {
    }

    BenchReport {
        phases = List.copyOf(phases);
        perDevice = perDevice.stream().sorted().toList();
    }

    double devicesPerSecond() {
        return (ok + failed) / Math.max(seconds(devicePhase), 0.001);
    }

    /** Nearest rank: the smallest duration that at least {@code q} of the devices took no longer than. */
    Duration percentile(double q) {
        if (perDevice.isEmpty()) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(q * perDevice.size());
        return perDevice.get(Math.max(rank, 1) - 1);
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "netsnap bench (%s): %d IOS devices, %d KB configurations (%.1f KB served on "
                        + "average), output %s, login delay %s%n", mode, fleet.devices(), fleet.configKb(),
                configBytes / 1024.0, fleet.pace() == 0 ? "at the lab's pace" : fleet.pace() + " bytes/s",
                fleet.loginDelay() == null ? "the IOS profile's" : fleet.loginDelay().toMillis() + " ms");
        out.printf(Locale.ROOT, "%s, %d device backups at a time%n%n", mode.equals("engine")
                ? "network-backup on the embedded engine" : "the same drivers on a plain executor, no engine",
                concurrency);
        out.printf(Locale.ROOT, "  %-14s %9s%n", "PHASE", "WALL (s)");
        for (Phase phase : phases) {
            out.printf(Locale.ROOT, "  %-14s %9.2f   %s%n", phase.name(), seconds(phase.wall()), phase.note())
                    .flush();
        }
        out.printf(Locale.ROOT, "  %-14s %9.2f   JVM start to the end of the last step%n%n", "total",
                seconds(wall));
        out.printf(Locale.ROOT, "  devices        %d backed up, %d failed%n", ok, failed);
        out.printf(Locale.ROOT, "  devices/s      %.2f (over the device phase)%n", devicesPerSecond());
        out.printf(Locale.ROOT, "  per device     p50 %.2f s   p95 %.2f s   max %.2f s%n",
                seconds(percentile(0.50)), seconds(percentile(0.95)), seconds(percentile(1.0)));
        out.printf(Locale.ROOT, "  CPU            %.1f s (this process since the JVM started, fleet included)%n",
                resources.cpuSeconds());
        out.printf(Locale.ROOT, "  heap           %d MB at peak (sum of the heap pools' peaks)%n",
                resources.peakHeapBytes() >> 20);
        if (resources.peakRssBytes() >= 0) {
            out.printf(Locale.ROOT, "  RSS            %d MB at peak (VmHWM)%n", resources.peakRssBytes() >> 20);
        }
        out.flush();
    }

    String json() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("mode", mode);
        document.put("devices", fleet.devices());
        document.put("configKb", fleet.configKb());
        document.put("configBytesAverage", configBytes);
        document.put("paceBytesPerSecond", fleet.pace());
        document.put("loginDelayMs", fleet.loginDelay() == null ? null : fleet.loginDelay().toMillis());
        document.put("concurrency", concurrency);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Phase phase : phases) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", phase.name());
            entry.put("seconds", round(seconds(phase.wall())));
            list.add(entry);
        }
        document.put("phases", list);
        document.put("wallSeconds", round(seconds(wall)));
        document.put("ok", ok);
        document.put("failed", failed);
        document.put("devicesPerSecond", round(devicesPerSecond()));
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("p50", round(seconds(percentile(0.50))));
        device.put("p95", round(seconds(percentile(0.95))));
        device.put("max", round(seconds(percentile(1.0))));
        document.put("perDeviceSeconds", device);
        document.put("cpuSeconds", round(resources.cpuSeconds()));
        document.put("peakHeapBytes", resources.peakHeapBytes());
        document.put("peakRssBytes", resources.peakRssBytes() < 0 ? null : resources.peakRssBytes());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench figures as JSON", e);
        }
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
