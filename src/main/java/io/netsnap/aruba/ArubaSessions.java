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
 * process carries from step to step; the session id ({@code UIDARUBA}) and CSRF token never leave this map. A handle
 * that is not here (netsnap restarted, the session sat idle past {@code netsnap.aruba.session-ttl}, or another replica
 * logged in) fails the step clearly; nothing logs in behind the model's back.
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
     * The permits for a new session to {@code device}, once idle sessions have been forgotten (one of them may hold
     * this conductor's turn).
     *
     * @throws DeviceException.Timeout when none is free within {@code netsnap.sessions.queue-timeout}
     */
    DeviceSessions.Lease lease(Device device) {
        purgeExpired();
        return caps.acquire(device);
    }

    /** One session: the device it belongs to and its current login, replaced when the conductor expired the old one. */
    static final class Entry {
        /** The inventory entry the session was opened for: name, address, port and all. */
        final Device device;
        private final DeviceSessions.Lease lease;
        private volatile ConductorApi.Login login;
        private volatile Instant expires;

        private Entry(Device device, ConductorApi.Login login, DeviceSessions.Lease lease, Instant expires) {
            this.device = device;
            this.login = login;
            this.lease = lease;
            this.expires = expires;
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

    /** Registers a session that holds {@code lease} until it is closed or forgotten. */
    String open(Device device, ConductorApi.Login login, DeviceSessions.Lease lease) {
        purgeExpired();
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String handle = "aruba-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(handle, new Entry(device, login, lease, clock.instant().plus(ttl)));
        return handle;
    }

    /**
     * The session behind {@code handle}, its idle time reset.
     *
     * @throws DeviceException.Protocol when this process has no such session for this device
     */
    Entry get(String handle, Device device) {
        purgeExpired();
        Entry entry = handle == null ? null : sessions.get(handle);
        if (entry == null || !entry.device.equals(device)) {
            throw new DeviceException.Protocol(device.name(), "no conductor session for this device in this netsnap"
                    + " process (netsnap restarted, the session was idle longer than netsnap.aruba.session-ttl, or another"
                    + " replica logged in); run the device's backup again");
        }
        entry.expires = clock.instant().plus(ttl);
        return entry;
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
            entry.lease.close();
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
            if (entry.expires.isBefore(now)) {
                entry.lease.close();
                return true;
            }
            return false;
        });
    }
}
