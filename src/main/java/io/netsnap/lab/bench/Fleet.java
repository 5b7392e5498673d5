package io.netsnap.lab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.netsnap.lab.CliDeviceSpec;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;

/**
 * The benchmark's fleet: plain IOS edge routers of the lab, each with a generated configuration of about
 * {@code configKb} KB, all in the lab's {@code edge} group (one Vault path, users land privileged).
 *
 * @param devices    how many
 * @param configKb   the configuration's size in KB
 * @param pace       how fast each device writes a command's output: a rate, a wait after each line, or both
 * @param loginDelay silence after authentication, or {@code null} for the IOS profile's
 */
record Fleet(int devices, int configKb, Pace pace, Duration loginDelay) {

    /** The inventory group of every bench device. */
    static final String GROUP = "edge";

    Fleet {
        if (devices < 1) {
            throw new IllegalArgumentException("--devices must be at least 1");
        }
        if (configKb < 1) {
            throw new IllegalArgumentException("--config-kb must be at least 1");
        }
        Objects.requireNonNull(pace, "pace");
    }

    static String name(int index) {
        return String.format("BENCH-RTR-%04d", index);
    }

    List<Lab.LabDevice> labDevices() {
        List<Lab.LabDevice> fleet = new ArrayList<>(devices);
        for (int i = 1; i <= devices; i++) {
            String name = name(i);
            // the site is an address octet in the generated configuration
            fleet.add(new Lab.LabDevice(name, "ios", GROUP, Lab.Kind.SIMULATED,
                    LabConfigs.router(name, 1 + (i - 1) % 254, configKb), this::tune));
        }
        return fleet;
    }

    private CliDeviceSpec tune(CliDeviceSpec spec) {
        CliDeviceSpec paced = pace.applyTo(spec);
        return loginDelay == null ? paced : paced.withLoginDelay(loginDelay);
    }

    /** Open files one simulated device holds in this process: its listening socket (the I/O threads are shared). */
    static final int FILES_PER_DEVICE = 1;
    /** Open files for the rest: the JVM, the engine's state, netsnap's sessions to the devices, the archive. */
    static final int FILES_BESIDES = 1_500;

    /**
     * Why this process cannot open a fleet of {@code devices} (the open-files limit, {@code ulimit -n}), or
     * {@code null} when it can, or when the limit cannot be read. A fleet that runs out of files half-way fails with
     * "Too many open files" somewhere in the simulators' start; this says so before, with the number that fits.
     */
    static String openFilesProblem(int devices, boolean serveOnly) {
        if (!(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
            return null;
        }
        long limit = unix.getMaxFileDescriptorCount();
        long free = limit - unix.getOpenFileDescriptorCount() - (serveOnly ? 200 : FILES_BESIDES);
        long needed = (long) devices * FILES_PER_DEVICE;
        if (needed <= free) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "--devices %d: the simulated fleet needs about %d open files in"
                + " this process (%d per device) besides netsnap's own, and the limit here is %d (ulimit -n): at most"
                + " %d devices; raise the limit (ulimit -n) or bench fewer devices", devices, needed,
                FILES_PER_DEVICE, limit, Math.max(0, free / FILES_PER_DEVICE));
    }

    /** The average size of the configurations served, in bytes. */
    static long averageBytes(List<Lab.LabDevice> fleet) {
        return Math.round(fleet.stream().mapToInt(d -> d.configBody().length()).average().orElse(0));
    }
}
