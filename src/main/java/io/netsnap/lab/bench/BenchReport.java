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
 * @param sessions    the caps on device sessions in effect and the most that were open at once
 * @param phases      where the wall time went, in order; they add up to {@code wall}
 * @param wall        from the JVM's start to the last step's end
 * @param devicePhase the phase in which the devices were backed up
 * @param perDevice   each device's backup on a worker thread: from its first step's start to its result (netsnap's
 *                    own events, retries included), or around the backup call in {@code direct} mode
 * @param instances   engine mode: each device-backup instance from its activation to its end (the engine's
 *                    records), the wait for a free worker included; empty in {@code direct} mode
 * @param startUp     from the JVM's start to the first device, milestone by milestone
 */
record BenchReport(String mode, Fleet fleet, long configBytes, Sessions sessions, List<Phase> phases, Duration wall,
                   int ok, int failed, Duration devicePhase, List<Duration> perDevice, List<Duration> instances,
                   Resources resources, StartUp.Figures startUp) {

    /**
     * Device sessions ({@code netsnap.sessions.*}): the caps in effect and the most open at once during the run.
     *
     * @param perCredentials equal to {@code max} when there is no cap per credentials path beyond it
     */
    record Sessions(int max, int perCredentials, int peak) {
    }

    /** A phase of the wall time; {@code note} says what it covers, or is empty. */
    record Phase(String name, Duration wall, String note) {
    }

    BenchReport {
        phases = List.copyOf(phases);
        perDevice = perDevice.stream().sorted().toList();
        instances = instances.stream().sorted().toList();
    }

    double devicesPerSecond() {
        return (ok + failed) / Math.max(seconds(devicePhase), 0.001);
    }

    /** Nearest rank: the smallest duration that at least {@code q} of the devices took no longer than. */
    static Duration percentile(List<Duration> sorted, double q) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "netsnap bench (%s): %d IOS devices, %d KB configurations (%.1f KB served on "
                        + "average), output %s, login delay %s%n", mode, fleet.devices(), fleet.configKb(),
                configBytes / 1024.0, fleet.pace().describe(),
                fleet.loginDelay() == null ? "the IOS profile's" : fleet.loginDelay().toMillis() + " ms");
        out.printf(Locale.ROOT, "%s; device sessions: at most %d at once (netsnap.sessions.max), %s per credentials "
                        + "path, peak %d%n%n", mode.equals("engine") ? "network-backup on the embedded engine"
                        : "the same drivers on a plain executor, no engine", sessions.max(),
                sessions.perCredentials() == sessions.max() ? "no cap" : "at most " + sessions.perCredentials(),
                sessions.peak());
        out.printf(Locale.ROOT, "  %-14s %9s%n", "PHASE", "WALL (s)");
        for (Phase phase : phases) {
            out.printf(Locale.ROOT, "  %-14s %9.2f   %s%n", phase.name(), seconds(phase.wall()), phase.note())
                    .flush();
        }
        out.printf(Locale.ROOT, "  %-14s %9.2f   JVM start to the end of the last step%n%n", "total",
                seconds(wall));
        out.printf(Locale.ROOT, "  %-16s %7s %7s%n", "START-UP", "AT (s)", "+ (s)");
        Duration previous = Duration.ZERO;
        for (StartUp.Milestone milestone : startUp.milestones()) {
            out.printf(Locale.ROOT, "  %-16s %7.2f %7.2f   %s%n", milestone.name(), seconds(milestone.at()),
                    seconds(milestone.at().minus(previous)), milestone.note());
            previous = milestone.at();
        }
        out.printf(Locale.ROOT, "  JVM start to first device %.2f s (netsnap's own %.2f s, the fleet's %.2f s)%s%n%n",
                seconds(startUp.firstDevice()), seconds(startUp.netsnap()), seconds(startUp.fleet()),
                startUp.cpuSeconds() < 0 ? "" : String.format(Locale.ROOT, ", CPU %.1f s by then",
                        startUp.cpuSeconds()));
        out.printf(Locale.ROOT, "  devices        %d backed up, %d failed%n", ok, failed);
        out.printf(Locale.ROOT, "  devices/s      %.2f (over the device phase)%n", devicesPerSecond());
        out.printf(Locale.ROOT, "  per device     %s   (on a worker thread, start to end)%n", spread(perDevice));
        if (!instances.isEmpty()) {
            out.printf(Locale.ROOT, "  per instance   %s   (device-backup instance, the wait for a worker included)%n",
                    spread(instances));
        }
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
        document.put("paceBytesPerSecond", fleet.pace().bytesPerSecond());
        document.put("paceLineDelayMicros", fleet.pace().lineDelay().toNanos() / 1000);
        document.put("loginDelayMs", fleet.loginDelay() == null ? null : fleet.loginDelay().toMillis());
        document.put("concurrency", sessions.max());
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("max", sessions.max());
        caps.put("perCredentials", sessions.perCredentials());
        caps.put("peak", sessions.peak());
        document.put("sessions", caps);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Phase phase : phases) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", phase.name());
            entry.put("seconds", round(seconds(phase.wall())));
            list.add(entry);
        }
        document.put("phases", list);
        document.put("wallSeconds", round(seconds(wall)));
        Map<String, Object> startUpDocument = new LinkedHashMap<>();
        startUpDocument.put("firstDeviceSeconds", round(seconds(startUp.firstDevice())));
        startUpDocument.put("netsnapSeconds", round(seconds(startUp.netsnap())));
        startUpDocument.put("fleetSeconds", round(seconds(startUp.fleet())));
        startUpDocument.put("cpuSecondsAtFirstDevice", startUp.cpuSeconds() < 0 ? null : round(startUp.cpuSeconds()));
        List<Map<String, Object>> milestones = new ArrayList<>();
        for (StartUp.Milestone milestone : startUp.milestones()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", milestone.name());
            entry.put("atSeconds", round(seconds(milestone.at())));
            milestones.add(entry);
        }
        startUpDocument.put("milestones", milestones);
        document.put("startUp", startUpDocument);
        document.put("ok", ok);
        document.put("failed", failed);
        document.put("devicesPerSecond", round(devicesPerSecond()));
        document.put("perDeviceSeconds", spreadJson(perDevice));
        if (!instances.isEmpty()) {
            document.put("perInstanceSeconds", spreadJson(instances));
        }
        document.put("cpuSeconds", round(resources.cpuSeconds()));
        document.put("peakHeapBytes", resources.peakHeapBytes());
        document.put("peakRssBytes", resources.peakRssBytes() < 0 ? null : resources.peakRssBytes());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench figures as JSON", e);
        }
    }

    private static String spread(List<Duration> sorted) {
        return String.format(Locale.ROOT, "p50 %.2f s   p95 %.2f s   max %.2f s", seconds(percentile(sorted, 0.50)),
                seconds(percentile(sorted, 0.95)), seconds(percentile(sorted, 1.0)));
    }

    private static Map<String, Object> spreadJson(List<Duration> sorted) {
        Map<String, Object> spread = new LinkedHashMap<>();
        spread.put("p50", round(seconds(percentile(sorted, 0.50))));
        spread.put("p95", round(seconds(percentile(sorted, 0.95))));
        spread.put("max", round(seconds(percentile(sorted, 1.0))));
        return spread;
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
