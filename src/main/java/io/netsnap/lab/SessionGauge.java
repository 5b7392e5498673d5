package io.netsnap.lab;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lab's count of the shells its devices serve at once, as a device counts its busy VTY lines: in all, and per
 * tag (the lab tags each device with its Vault credentials path). A shell counts from the moment the device starts
 * talking on it until its dialogue is over, which happens before the client sees the channel close; so what this
 * counts at once is never more than the sessions the client had open at once.
 */
public final class SessionGauge {

    private final Counter all = new Counter();
    private final Map<String, Counter> tagged = new ConcurrentHashMap<>();

    /** The most shells open at once, on all devices. */
    public int peak() {
        return all.peak.get();
    }

    /** The most shells open at once on the devices tagged {@code tag}; 0 when none was. */
    public int peak(String tag) {
        Counter counter = tagged.get(tag);
        return counter == null ? 0 : counter.peak.get();
    }

    /** Shells open now. */
    public int open() {
        return all.open.get();
    }

    /** Forgets the peaks: the next ones count from the shells open now. */
    public void resetPeaks() {
        all.reset();
        tagged.values().forEach(Counter::reset);
    }

    void opened(String tag) {
        all.up();
        tagged.computeIfAbsent(tag, key -> new Counter()).up();
    }

    void closed(String tag) {
        all.down();
        tagged.get(tag).down();
    }

    /** {@code dialogue}, counted under {@code tag} from its start to its end. */
    DialogueChannel.Dialogue counting(String tag, DialogueChannel.Dialogue dialogue) {
        return new DialogueChannel.Dialogue() {
            private final java.util.concurrent.atomic.AtomicBoolean counted =
                    new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void run(java.io.InputStream in, TerminalOutput out) throws java.io.IOException {
                dialogue.run(in, out);
            }

            @Override
            public void opened(org.apache.sshd.server.channel.ChannelSession channel) {
                if (counted.compareAndSet(false, true)) {
                    SessionGauge.this.opened(tag);
                }
                dialogue.opened(channel);
            }

            @Override
            public void closed() {
                try {
                    dialogue.closed();
                } finally {
                    if (counted.compareAndSet(true, false)) {
                        SessionGauge.this.closed(tag);
                    }
                }
            }
        };
    }

    private static final class Counter {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        void up() {
            int now = open.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
        }

        void down() {
            open.decrementAndGet();
        }

        void reset() {
            peak.set(open.get());
        }
    }
}
