package io.netsnap.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two "replicas" (two lease registries) on one lease folder, as two netsnap processes on one archive. */
class DeviceLeasesTests {

    private static final String ENDPOINT = "10.0.1.5:4343";
    private static final LeaseProperties FAST = new LeaseProperties(Duration.ofSeconds(4), Duration.ofMillis(100),
            Duration.ofSeconds(20));

    @TempDir
    Path folder;

    private DeviceLeases a;
    private DeviceLeases b;

    @AfterEach
    void stop() {
        if (a != null) {
            a.destroy();
        }
        if (b != null) {
            b.destroy();
        }
    }

    @Test
    void aHeldLeaseKeepsTheOtherReplicaWaitingUntilItIsReleased() throws Exception {
        a = new DeviceLeases(folder, FAST, Clock.systemUTC());
        b = new DeviceLeases(folder, FAST, Clock.systemUTC());
        DeviceLeases.Lease held = a.acquire(ENDPOINT, "MC-01", soon(1));

        assertThatThrownBy(() -> b.acquire(ENDPOINT, "MC-01", soon(0.5))).isInstanceOf(LeaseUnavailable.class)
                .hasMessageContaining("MC-01: 10.0.1.5:4343 is still in use by")
                .hasMessageContaining("for MC-01");
        // renewed meanwhile, never expired: a wait longer than the ttl still finds it held
        assertThatThrownBy(() -> b.acquire(ENDPOINT, "MC-01", soon(6))).isInstanceOf(LeaseUnavailable.class);
        assertThat(held.held()).isTrue();

        held.close();
        try (DeviceLeases.Lease next = b.acquire(ENDPOINT, "MC-01", soon(1))) {
            assertThat(next.held()).isTrue();
            assertThat(held.held()).isFalse();
        }
        try (var files = Files.list(folder)) {
            assertThat(files).as("nothing left behind").isEmpty();
        }
    }

    @Test
    void aLeaseItsHolderStoppedRenewingIsTakenOverOnceExpired() {
        // the first replica's clock is an hour behind: whatever it writes has expired for the other
        a = new DeviceLeases(folder, FAST, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
        b = new DeviceLeases(folder, FAST, Clock.systemUTC());
        DeviceLeases.Lease stale = a.acquire(ENDPOINT, "EDGE-RTR-01", Instant.now().minusSeconds(3600).plusSeconds(1));

        DeviceLeases.Lease taken = b.acquire(ENDPOINT, "EDGE-RTR-01", soon(1));

        assertThat(taken.held()).isTrue();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stale.held() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(stale.held()).as("the old holder finds it lost at its next renewal").isFalse();
        stale.close();
        assertThat(taken.held()).as("releasing a lost lease leaves the new holder's alone").isTrue();
    }

    @Test
    void aSessionIsHandedOverEndedFirstAndAnUnknownSessionIsNot() {
        a = new DeviceLeases(folder, FAST, Clock.systemUTC());
        b = new DeviceLeases(folder, FAST, Clock.systemUTC());
        AtomicInteger ended = new AtomicInteger();
        DeviceLeases.Lease first = a.acquire(ENDPOINT, "MC-01", soon(1), "aruba-h1", ended::incrementAndGet);

        assertThat(b.takeOver(ENDPOINT, "MC-01", soon(1), "aruba-forged", () -> { })).isEmpty();
        assertThat(b.takeOver(ENDPOINT, "MC-02", soon(1), "aruba-h1", () -> { })).as("another device").isEmpty();
        DeviceLeases.Lease second = b.takeOver(ENDPOINT, "MC-01", soon(5), "aruba-h1", () -> { }).orElseThrow();

        assertThat(ended).as("the session ended where it was before the lease moved").hasValue(1);
        assertThat(first.held()).isFalse();
        assertThat(second.held()).isTrue();
        assertThatThrownBy(() -> a.acquire(ENDPOINT, "MC-01", soon(0.3))).isInstanceOf(LeaseUnavailable.class);

        second.close();
        assertThat(b.takeOver(ENDPOINT, "MC-01", soon(1), "aruba-h1", () -> { })).as("logged out").isEmpty();
    }

    private static Instant soon(double seconds) {
        return Instant.now().plusMillis((long) (seconds * 1000));
    }
}
