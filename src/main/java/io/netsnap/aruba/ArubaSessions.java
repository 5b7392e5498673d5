package io.netsnap.aruba;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.netsnap.device.DeviceException;
import io.netsnap.device.DeviceSessions;
import io.netsnap.inventory.Device;

/**
 * The live conductor sessions of this worker process, each under an opaque random handle. The handle is what the
 * process carries from step to step; the session id ({@code UIDARUBA}) and CSRF token never leave this map. Each
 * session holds the conductor's lease among the replicas ({@code DeviceLeases}); a handle that is not here is
 * resolved through that lease by {@link ArubaService}. A session idle past {@code netsnap.aruba.session-ttl} is
 * forgotten and its lease released.
 */
@Component
class ArubaSessions {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;
    private final DeviceSessions caps;

    ArubaSessions(ArubaProperties properties, DeviceSessions caps) {
        this.ttl = properties.sessionTtl();
        this.clock = Clock.systemUTC();
        this.caps = caps;
    }

    /**
     * This process's permits for a new session to {@code device} ({@code netsnap.sessions.*}), once idle sessions have
     * been forgotten (one of them may hold this conductor's turn); held until the session is closed or forgotten.
     *
     * @throws DeviceException.Timeout when none is free within {@code netsnap.sessions.queue-timeout}
     */
    DeviceSessions.Lease turn(Device device) {
        purgeExpired();
        return caps.acquire(device);
    }

    /** One session: the device it belongs to and its current login, replaced when the conductor expired the old one. */
    static final class Entry {
        /** The inventory entry the session was opened for: name, address, port and all. */
        final Device device;
        /** Held while a step uses the session, and while a handover ends it: never both at once. */
        final java.util.concurrent.locks.ReentrantLock inUse = new java.util.concurrent.locks.ReentrantLock();
        private final io.netsnap.lease.DeviceLeases.Lease lease;
        /** This process's session permits, freed when the session is closed here (logout, handover, idle). */
        private final DeviceSessions.Lease turn;
        private volatile ConductorApi.Login login;
        private volatile Instant expires;
        /** Set, under {@link #inUse}, once the session was logged out or handed over: a step must not use it. */
        volatile boolean ended;

        private Entry(Device device, ConductorApi.Login login, io.netsnap.lease.DeviceLeases.Lease lease,
                      DeviceSessions.Lease turn, Instant expires) {
            this.device = device;
            this.login = login;
            this.lease = lease;
            this.turn = turn;
            this.expires = expires;
        }

        io.netsnap.lease.DeviceLeases.Lease lease() {
            return lease;
        }

        ConductorApi.Login login() {
            return login;
        }

        void replace(ConductorApi.Login renewed) {
            login = renewed;
        }

        @Override
        public String toString() {
            return "Session[" + device + "]";
        }
    }

    /** A new opaque handle: no secret, it only names a session. */
    String newHandle() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return "aruba-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Registers a session logged in here under {@code handle}, holding the conductor's {@code lease}. */
    Entry open(String handle, Device device, ConductorApi.Login login, io.netsnap.lease.DeviceLeases.Lease lease,
               DeviceSessions.Lease turn) {
        purgeExpired();
        Entry entry = new Entry(device, login, lease, turn, clock.instant().plus(ttl));
        if (sessions.putIfAbsent(handle, entry) != null) {
            throw new IllegalStateException("conductor session handle registered twice");
        }
        return entry;
    }

    /**
     * The session behind {@code handle} in this process, its idle time reset; {@code null} when this process has
     * none under that handle.
     *
     * @throws DeviceException.Protocol when the handle names this process's session of another device
     */
    Entry find(String handle, Device device) {
        purgeExpired();
        Entry entry = handle == null ? null : sessions.get(handle);
        if (entry == null) {
            return null;
        }
        if (!entry.device.equals(device)) {
            throw noSession(device);
        }
        entry.expires = clock.instant().plus(ttl);
        return entry;
    }

    static DeviceException.Protocol noSession(Device device) {
        return new DeviceException.Protocol(device.name(), "no conductor session for this device in this netsnap"
                + " process or any replica sharing its archive (it was logged out, idle longer than"
                + " netsnap.aruba.session-ttl, or never opened for this device); run the device's backup again");
    }

    /**
     * Forgets the session; {@code null} when there was none for this device. A handle comes from a process variable:
     * one opened for another conductor is left alone, so that its session id is never sent to this one.
     */
    Entry close(String handle, Device device) {
        if (handle == null) {
            return null;
        }
        Entry entry = sessions.get(handle);
        if (entry != null && entry.device.equals(device) && sessions.remove(handle, entry)) {
            entry.turn.close();
            return entry;
        }
        return null;
    }

    int size() {
        purgeExpired();
        return sessions.size();
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(entry -> {
            if (!entry.expires.isBefore(now)) {
                return false;
            }
            entry.lease.close();
            entry.turn.close();
            return true;
        });
    }
}
