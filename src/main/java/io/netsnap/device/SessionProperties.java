package io.netsnap.device;

import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many device sessions netsnap opens at once ({@code netsnap.sessions.*}). A device session is an SSH login (a
 * backup, an ASA context, a restore step, an SCP upload) or an Aruba conductor's REST login until its logout. Besides
 * these caps, one netsnap process never has two sessions open to one device.
 *
 * @param max            sessions open at once across all devices: a positive number, or {@code auto} (the default)
 *                       for {@link #autoMax}
 * @param perCredentials sessions open at once with one Vault credentials path (an AAA server may rate-limit its
 *                       logins): a positive number, or {@code max} (the default): no cap beyond {@code max}
 * @param queueTimeout   longest wait for a free session before the step fails as a device timeout and is retried
 *                       with {@code netsnap.retry.backoff}; with {@code netsnap.ssh.device-ceiling} it must stay below
 *                       the 20-minute timeout of a device step's job
 */
@ConfigurationProperties("netsnap.sessions")
public record SessionProperties(@DefaultValue("auto") String max,
                                @DefaultValue("max") String perCredentials,
                                @DefaultValue("PT5M") Duration queueTimeout) {

    /** Sessions one core keeps busy: a lab session spends about 5 % of its time on the CPU, a real one less. */
    static final int SESSIONS_PER_CORE = 32;
    /** Heap set aside per open session: its configuration in a few copies, the SSH buffers, the job's thread. */
    static final long HEAP_PER_SESSION = 8L * 1024 * 1024;
    static final int AUTO_FLOOR = 8;
    static final int AUTO_CEILING = 512;

    public SessionProperties {
        parse("netsnap.sessions.max", max, "auto");
        parse("netsnap.sessions.per-credentials", perCredentials, "max");
        if (queueTimeout == null || !queueTimeout.isPositive()) {
            throw new IllegalArgumentException("netsnap.sessions.queue-timeout must be positive, e.g. PT5M");
        }
    }

    /** The global cap in effect: {@code max}, or {@link #autoMax} for this JVM. */
    public int effectiveMax() {
        Integer fixed = parse("netsnap.sessions.max", max, "auto");
        return fixed != null ? fixed : autoMax(Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory());
    }

    /** The cap per credentials path in effect, never above {@link #effectiveMax()}. */
    public int effectivePerCredentials() {
        Integer fixed = parse("netsnap.sessions.per-credentials", perCredentials, "max");
        return fixed == null ? effectiveMax() : Math.min(fixed, effectiveMax());
    }

    /**
     * {@code auto}: {@value #SESSIONS_PER_CORE} sessions per core, as many as the heap holds at
     * {@value #HEAP_PER_SESSION} bytes each, at least {@value #AUTO_FLOOR} and at most {@value #AUTO_CEILING}.
     * A session mostly waits for the device (login, paced output), so a core serves many; the heap is what runs out
     * first on a small container.
     */
    public static int autoMax(int cores, long maxHeapBytes) {
        long byCores = (long) Math.max(1, cores) * SESSIONS_PER_CORE;
        long byHeap = maxHeapBytes / HEAP_PER_SESSION;
        return (int) Math.max(AUTO_FLOOR, Math.min(AUTO_CEILING, Math.min(byCores, byHeap)));
    }

    /** The defaults, as an application without {@code netsnap.sessions.*} settings has them. */
    public static SessionProperties defaults() {
        return new SessionProperties("auto", "max", Duration.ofMinutes(5));
    }

    /** The effective global cap for a raw {@code netsnap.sessions.max} value, before properties are bound. */
    public static int effectiveMax(String max) {
        return new SessionProperties(max == null ? "auto" : max, "max", Duration.ofMinutes(5)).effectiveMax();
    }

    private static Integer parse(String key, String value, String word) {
        String text = value == null ? word : value.strip().toLowerCase(Locale.ROOT);
        if (text.equals(word)) {
            return null;
        }
        try {
            int number = Integer.parseInt(text);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(key + " must be a positive number or '" + word + "', not '" + value + "'");
    }
}
