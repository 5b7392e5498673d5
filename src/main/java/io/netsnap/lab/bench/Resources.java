package io.netsnap.lab.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What this JVM has used since it started: CPU time, the heap's peak, the resident set's peak. On one JVM with the
 * fleet, the Vault double and the engine, so they are the whole bench's, simulators included.
 *
 * @param cpuSeconds    process CPU time, all threads
 * @param peakHeapBytes the sum of the heap pools' peak usage (the pools peak at different times: an upper bound)
 * @param peakRssBytes  {@code VmHWM} from {@code /proc/self/status}, or -1 where there is none
 */
record Resources(double cpuSeconds, long peakHeapBytes, long peakRssBytes) {

    /** When the JVM started: the start of the bench's wall time. */
    static Instant jvmStart() {
        return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /** This process's CPU time so far, all threads, or -1 where the JVM does not tell. */
    static double processCpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1e9 : -1;
    }

    static Resources now() {
        double cpu = processCpuSeconds();
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new Resources(cpu, heap, peakRss());
    }

    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    // "VmHWM:    812344 kB"
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: the figure is left out
        }
        return -1;
    }
}
