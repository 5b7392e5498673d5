package io.netsnap.lease;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.archive.Archive;

/**
 * One session per device across every netsnap replica that shares the archive: before a session is opened to a
 * device's endpoint ({@code host:port}), its lease is taken in {@code <archive root>/state/leases/}, and released when
 * the session ends. Within one process {@code SshConnector} already queues sessions; these leases queue the replicas.
 *
 * <p>How the files work, and what the shared filesystem must give:
 * <ul>
 *   <li>A lease is one file per endpoint, created with {@code CREATE_NEW} (an exclusive create, {@code O_CREAT|O_EXCL}):
 *       whoever creates it holds it. It names its owner (a random token of this lease), the holder (replica and
 *       device, for people reading it), an optional session handle and when it expires.</li>
 *   <li>The holder renews it every quarter of {@code netsnap.lease.ttl} by writing a new file next to it and renaming
 *       it over the lease (an atomic rename within a directory); it renews only while it still finds its own token
 *       and enough time left, else it logs the lease as lost.</li>
 *   <li>A lease whose holder stopped renewing (a replica died, or stalled) expires; another replica then takes it over:
 *       it renames the file aside, and deletes it only when the bytes it moved are the bytes it judged expired. When
 *       they are not (renewed in between), it puts the file back with an exclusive hard link.</li>
 *   <li>A waiting step looks again every {@code netsnap.lease.poll} (a little jitter), until its deadline; then it
 *       fails with {@link LeaseUnavailable}, which callers turn into the device's timeout.</li>
 *   <li>A lease held for a session that spans several jobs (a conductor's) can be handed over: a replica that has a job
 *       of that session but not the session writes a request file; the holder ends its session (the callback given
 *       at {@link #acquire}) and writes the lease over to the requester, which then logs in on its own. Two sessions
 *       to the device never overlap.</li>
 * </ul>
 * The replicas' clocks must agree to well within the lease's ttl (NTP), since expiry is a time in the file.
 */
@Component
public class DeviceLeases implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeviceLeases.class);
    static final String FOLDER = "leases";
    private static final String SUFFIX = ".lease";
    private static final String HANDOVER = ".handover-";

    private final Path directory;
    private final LeaseProperties properties;
    private final Clock clock;
    private final String replica;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Set<Lease> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final ExecutorService handovers;

    @Autowired
    public DeviceLeases(Archive archive, LeaseProperties properties) {
        this(archive.root().resolve("state").resolve(FOLDER), properties, Clock.systemUTC());
    }

    public DeviceLeases(Path directory, LeaseProperties properties, Clock clock) {
        this.directory = directory;
        this.properties = properties;
        this.clock = clock;
        this.replica = ManagementFactory.getRuntimeMXBean().getName();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("netsnap-leases"));
        this.handovers = Executors.newCachedThreadPool(daemon("netsnap-lease-handover"));
        long tick = properties.poll().toMillis();
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** What a lease file holds. {@code expires} in epoch milliseconds; {@code session} and {@code device} optional. */
    record Content(String endpoint, String owner, String holder, String device, String session, long expires) {
    }

    /** A lease file as read: its bytes, what they say ({@code null} while being written), and when it expires. */
    private record Observed(byte[] bytes, Content content, long expires) {
    }

    private enum State { HELD, HANDING_OVER, HANDED_OVER, RELEASED, LOST }

    /** A held lease; {@link #close()} releases it (once; later calls do nothing). */
    public final class Lease implements AutoCloseable {
        private final String endpoint;
        private final Path file;
        private final String owner;
        private final String device;
        private final String session;
        private final Runnable onHandover;
        private State state;
        private long renewed;

        private Lease(String endpoint, String device, String session, Runnable onHandover) {
            this.endpoint = endpoint;
            this.file = fileOf(endpoint);
            this.owner = token();
            this.device = device;
            this.session = session;
            this.onHandover = onHandover;
        }

        /** Held, not released, lost or handed over. */
        public synchronized boolean held() {
            return state == State.HELD || state == State.HANDING_OVER;
        }

        @Override
        public void close() {
            release(this);
        }

        private Content content(long expires) {
            return new Content(endpoint, owner, replica + " for " + device, device, session, expires);
        }

        @Override
        public String toString() {
            return "lease on " + endpoint + " for " + device;
        }
    }

    /** Now plus {@code netsnap.lease.max-wait}: how long a conductor's login waits. */
    public Instant waitDeadline() {
        return clock.instant().plus(properties.maxWait());
    }

    /**
     * Waits until this replica holds the endpoint's lease.
     *
     * @param device   who the session is for, as people should read it in the file and in messages
     * @param deadline when to give up
     * @throws LeaseUnavailable when another holder kept it until the deadline
     */
    public Lease acquire(String endpoint, String device, Instant deadline) {
        return acquire(endpoint, device, deadline, null, null);
    }

    /**
     * As {@link #acquire(String, String, Instant)}, for a session that spans several jobs.
     *
     * @param session    the session's handle, which names it in a handover request
     * @param onHandover run (on a thread of its own) when another replica asks for the session: ends it here; the
     *                   lease then goes to the requester
     */
    public Lease acquire(String endpoint, String device, Instant deadline, String session, Runnable onHandover) {
        Lease lease = new Lease(endpoint, device, session, onHandover);
        boolean told = false;
        while (true) {
            if (create(lease)) {
                return lease;
            }
            Observed current = observe(lease.file);
            if (current == null) {
                continue;
            }
            if (expired(current)) {
                takeAway(lease.file, current);
                continue;
            }
            if (!told) {
                log.info("{}: waiting for {}, which {} holds", device, endpoint, holderOf(current));
                told = true;
            }
            pause(deadline, device, endpoint, current);
        }
    }

    /**
     * Takes over the lease of a session that another replica holds (or held, if it died): asks the holder to end the
     * session and pass the lease on, and waits for it.
     *
     * @return the lease, now this replica's; empty when no lease on this endpoint names {@code session} for this
     *         device (it was logged out, or never existed)
     * @throws LeaseUnavailable when the holder neither handed it over nor expired before the deadline
     */
    public Optional<Lease> takeOver(String endpoint, String device, Instant deadline, String session,
                                    Runnable onHandover) {
        Lease lease = new Lease(endpoint, device, session, onHandover);
        Path request = lease.file.resolveSibling(lease.file.getFileName() + HANDOVER + lease.owner);
        boolean asked = false;
        try {
            while (true) {
                Observed current = observe(lease.file);
                if (current == null) {
                    return Optional.empty();
                }
                Content content = current.content();
                if (content != null && lease.owner.equals(content.owner())) {
                    hold(lease, content.expires());
                    log.info("{}: {} handed its session over", device, content.holder());
                    return Optional.of(lease);
                }
                if (content != null && !(session.equals(content.session()) && device.equals(content.device()))) {
                    return Optional.empty();
                }
                if (expired(current)) {
                    if (takeAway(lease.file, current) && create(lease)) {
                        return Optional.of(lease);
                    }
                    continue;
                }
                if (!asked && content != null) {
                    writeAtomically(request, json.writeValueAsBytes(lease.content(0)));
                    asked = true;
                }
                pause(deadline, device, endpoint, current);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(request);
        }
    }

    private boolean create(Lease lease) {
        long expires = clock.millis() + properties.ttl().toMillis();
        try {
            Files.createDirectories(directory);
            try (OutputStream out = Files.newOutputStream(lease.file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                out.write(json.writeValueAsBytes(lease.content(expires)));
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lease " + lease.file + ": " + e.getMessage(), e);
        }
        hold(lease, expires);
        return true;
    }

    private void hold(Lease lease, long expires) {
        synchronized (lease) {
            lease.state = State.HELD;
            lease.renewed = clock.millis();
        }
        held.add(lease);
        log.debug("{} taken (expires {})", lease, Instant.ofEpochMilli(expires));
    }

    private void release(Lease lease) {
        synchronized (lease) {
            if (lease.state != State.HELD && lease.state != State.HANDING_OVER) {
                return;
            }
            Observed current = observe(lease.file);
            if (current != null && current.content() != null && lease.owner.equals(current.content().owner())) {
                deleteQuietly(lease.file);
            }
            lease.state = State.RELEASED;
        }
        held.remove(lease);
    }

    /** Every poll: handover requests for sessions held here, and renewals every quarter of the ttl. */
    private void tick() {
        try {
            if (held.stream().anyMatch(lease -> lease.session != null)) {
                answerHandovers();
            }
            long due = clock.millis() - properties.ttl().toMillis() / 4;
            for (Lease lease : held) {
                if (lease.renewed <= due) {
                    renew(lease);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Device leases: {}", e.toString());
        }
    }

    private void renew(Lease lease) {
        synchronized (lease) {
            if (lease.state != State.HELD && lease.state != State.HANDING_OVER) {
                return;
            }
            Observed current = observe(lease.file);
            long now = clock.millis();
            if (current == null || current.content() == null || !lease.owner.equals(current.content().owner())
                    || current.expires() - now < properties.ttl().toMillis() / 4) {
                lease.state = State.LOST;
                held.remove(lease);
                log.error("{} lost: it was not renewed in time and {}; another replica may open a session to it",
                        lease, current == null ? "is gone" : "names " + holderOf(current));
                return;
            }
            writeAtomically(lease.file, bytes(lease.content(now + properties.ttl().toMillis())));
            lease.renewed = now;
        }
    }

    private void answerHandovers() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> requests = Files.newDirectoryStream(directory, "*" + SUFFIX + HANDOVER + "*")) {
            for (Path request : requests) {
                String leaseName = request.getFileName().toString();
                leaseName = leaseName.substring(0, leaseName.indexOf(HANDOVER));
                Content asked = read(request);
                for (Lease lease : held) {
                    // a request this lease answered itself is still there until its requester removes it
                    if (asked != null && lease.file.getFileName().toString().equals(leaseName)
                            && asked.session() != null && asked.session().equals(lease.session)
                            && !lease.owner.equals(asked.owner())) {
                        startHandover(lease, asked);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("Device leases: cannot read {}: {}", directory, e.toString());
        }
    }

    private void startHandover(Lease lease, Content asked) {
        synchronized (lease) {
            if (lease.state != State.HELD) {
                return;
            }
            lease.state = State.HANDING_OVER;
        }
        handovers.execute(() -> {
            try {
                lease.onHandover.run();
            } catch (RuntimeException e) {
                log.warn("{}: ending the session for a handover failed: {}", lease, e.toString());
            }
            synchronized (lease) {
                Observed current = observe(lease.file);
                if (current != null && current.content() != null && lease.owner.equals(current.content().owner())) {
                    writeAtomically(lease.file, bytes(new Content(lease.endpoint, asked.owner(), asked.holder(),
                            lease.device, lease.session, clock.millis() + properties.ttl().toMillis())));
                    log.info("{} handed over to {}", lease, asked.holder());
                }
                lease.state = State.HANDED_OVER;
            }
            held.remove(lease);
        });
    }

    /**
     * Removes an expired lease, unless it changed since it was judged expired (then it is put back).
     *
     * @return whether the expired lease was removed
     */
    private boolean takeAway(Path file, Observed expired) {
        Path aside = file.resolveSibling("." + file.getFileName() + ".expired-" + token());
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take over the lease " + file + ": " + e.getMessage(), e);
        }
        try {
            if (Arrays.equals(Files.readAllBytes(aside), expired.bytes())) {
                log.warn("Took over {}: {} did not renew it (expired {})", file.getFileName(), holderOf(expired),
                        Instant.ofEpochMilli(expired.expires()));
                return true;
            }
            try {
                Files.createLink(file, aside);
            } catch (FileAlreadyExistsException e) {
                log.warn("A lease renewed while it was being taken over was replaced: {}", file.getFileName());
            } catch (UnsupportedOperationException e) {
                Files.move(aside, file);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take over the lease " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(aside);
        }
    }

    private void pause(Instant deadline, String device, String endpoint, Observed current) {
        long left = Math.max(0, deadline.toEpochMilli() - clock.millis());
        if (left == 0) {
            throw new LeaseUnavailable(device + ": " + endpoint + " is still in use by " + holderOf(current)
                    + " (a session of another netsnap run or replica); gave up waiting for it");
        }
        long poll = properties.poll().toMillis();
        long sleep = Math.min(left, poll / 2 + ThreadLocalRandom.current().nextLong(poll));
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseUnavailable(device + ": interrupted while waiting for " + endpoint);
        }
    }

    private boolean expired(Observed observed) {
        return observed.expires() < clock.millis();
    }

    private Observed observe(Path file) {
        byte[] bytes;
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis();
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lease " + file + ": " + e.getMessage(), e);
        }
        Content content = parse(bytes);
        // a file still being written: held, for a ttl from when it was created
        return new Observed(bytes, content, content == null ? modified + properties.ttl().toMillis()
                : content.expires());
    }

    private Content read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }

    private Content parse(byte[] bytes) {
        try {
            return bytes.length == 0 ? null : json.readValue(bytes, Content.class);
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] bytes(Content content) {
        try {
            return json.writeValueAsBytes(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String holderOf(Observed observed) {
        return observed.content() == null ? "another holder" : observed.content().holder();
    }

    private void writeAtomically(Path target, byte[] bytes) {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + token() + ".part");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("the archive's filesystem has no atomic rename, which device leases"
                        + " need: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** {@code host:port} as a file name: readable, and a hash so that no two endpoints share one. */
    Path fileOf(String endpoint) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
            return directory.resolve(endpoint.replaceAll("[^A-Za-z0-9.-]", "_") + "-"
                    + HexFormat.of().formatHex(digest, 0, 4) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String token() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Releases every lease still held: a replica that stops cleanly leaves none to expire. */
    @Override
    public void destroy() {
        timer.shutdownNow();
        handovers.shutdownNow();
        held.forEach(this::release);
    }
}
