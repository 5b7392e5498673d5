package io.netsnap.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netsnap.inventory.Device;

/** The caps of {@code netsnap.sessions.*}: what they resolve to and what a session waits for. */
class DeviceSessionsTests {

    private static final long MB = 1024L * 1024;
    /** Short: a test that waits it out for nothing. */
    private static final Duration QUEUE = Duration.ofMillis(200);

    @Test
    void autoFitsCoresAndHeapWithinItsBounds() {
        assertThat(SessionProperties.autoMax(2, 4096 * MB)).isEqualTo(64);
        assertThat(SessionProperties.autoMax(2, 256 * MB)).as("a small heap is the limit").isEqualTo(32);
        assertThat(SessionProperties.autoMax(1, 32 * MB)).as("never below the floor").isEqualTo(8);
        assertThat(SessionProperties.autoMax(64, 64 * 1024 * MB)).as("never above the ceiling").isEqualTo(512);
    }

    @Test
    void aNumberOrItsWordOnlyAndTheCapPerCredentialsNeverAboveMax() {
        assertThat(new SessionProperties("12", "max", QUEUE).effectivePerCredentials()).isEqualTo(12);
        assertThat(new SessionProperties(" 12 ", "40", QUEUE).effectivePerCredentials()).isEqualTo(12);
        assertThat(new SessionProperties("AUTO", "4", QUEUE).effectivePerCredentials()).isEqualTo(4);
        assertThatThrownBy(() -> new SessionProperties("0", "max", QUEUE))
                .hasMessageContaining("netsnap.sessions.max must be a positive number or 'auto'");
        assertThatThrownBy(() -> new SessionProperties("auto", "unlimited", QUEUE))
                .hasMessageContaining("netsnap.sessions.per-credentials must be a positive number or 'max'");
        assertThatThrownBy(() -> new SessionProperties("auto", "max", Duration.ZERO))
                .hasMessageContaining("queue-timeout must be positive");
    }

    @Test
    void theWaitAndTheCeilingMustFitInADeviceStepsJob() {
        assertThatThrownBy(() -> new DeviceSessions(new SessionProperties("4", "max", Duration.ofMinutes(10)),
                ssh(Duration.ofMinutes(10)))).hasMessageContaining("must stay under 19 minutes");
    }

    @Test
    void oneSessionPerDeviceWhateverTheCaps() {
        DeviceSessions sessions = new DeviceSessions(new SessionProperties("8", "max", QUEUE), ssh(null));
        try (DeviceSessions.Lease first = sessions.acquire(device("r1", 2201, "network/a"))) {
            assertThatThrownBy(() -> sessions.acquire(device("r1", 2201, "network/a")))
                    .isInstanceOf(DeviceException.Timeout.class)
                    .hasMessageContaining("another netsnap session to 127.0.0.1:2201 did not end");
            sessions.acquire(device("r2", 2202, "network/a")).close();
        }
        sessions.acquire(device("r1", 2201, "network/a")).close();
        assertThat(sessions.open()).isZero();
        assertThat(sessions.peak()).isEqualTo(2);
    }

    @Test
    void aFullCredentialsPathQueuesItsDevicesOnlyAndSaysWhichCapWasFull() {
        DeviceSessions sessions = new DeviceSessions(new SessionProperties("3", "2", QUEUE), ssh(null));
        DeviceSessions.Lease a1 = sessions.acquire(device("a1", 2301, "network/a"));
        DeviceSessions.Lease a2 = sessions.acquire(device("a2", 2302, "network/a"));
        assertThatThrownBy(() -> sessions.acquire(device("a3", 2303, "network/a")))
                .isInstanceOf(DeviceException.Timeout.class).hasMessageStartingWith("a3: ")
                .hasMessageContaining("all 2 sessions with credentials network/a")
                .hasMessageContaining("netsnap.sessions.per-credentials");
        DeviceSessions.Lease b1 = sessions.acquire(device("b1", 2401, "network/b"));
        assertThatThrownBy(() -> sessions.acquire(device("b2", 2402, "network/b")))
                .isInstanceOf(DeviceException.Timeout.class)
                .hasMessageContaining("all 3 device sessions (netsnap.sessions.max) stayed busy");
        a1.close();
        a1.close(); // a second close frees nothing more
        try (DeviceSessions.Lease b2 = sessions.acquire(device("b2", 2402, "network/b"))) {
            assertThat(sessions.open()).isEqualTo(3);
            assertThatThrownBy(() -> sessions.acquire(device("b3", 2403, "network/b")))
                    .isInstanceOf(DeviceException.Timeout.class);
        }
        a2.close();
        b1.close();
        assertThat(sessions.open()).isZero();
        assertThat(sessions.peak()).isEqualTo(3);
    }

    private static Device device(String name, int port, String credentials) {
        return new Device(name, "127.0.0.1", port, "ios", "edge", credentials, Duration.ofSeconds(30), List.of());
    }

    private static SshProperties ssh(Duration ceiling) {
        return new SshProperties(Path.of("known_hosts"), SshProperties.HostKeyPolicy.STRICT, Duration.ofSeconds(5),
                Duration.ofSeconds(5), ceiling == null ? Duration.ofMinutes(10) : ceiling);
    }
}
