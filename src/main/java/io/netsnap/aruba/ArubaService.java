package io.netsnap.aruba;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.sshd.sftp.client.SftpClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.archive.RunFolder;
import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.device.DeviceException;
import io.netsnap.device.DeviceSessions;
import io.netsnap.device.FetchedConfig;
import io.netsnap.inventory.Device;
import io.netsnap.lease.DeviceLeases;
import io.netsnap.lease.LeaseUnavailable;

/**
 * The conductor backup sequence, one call per step so that each step is its own task in the process: log in, copy
 * the running configuration to flash, archive the flash, have the conductor copy both files to the backup server by
 * SCP (netsnap then checks over SFTP what arrived), clean the archive off the flash, fetch the running configuration,
 * log out.
 *
 * <p>Steps find their session by the handle {@link #login} returned. When the conductor says the session expired,
 * the step logs in once more (credentials read from Vault again) and repeats the call; a second expiry fails it.
 *
 * <p>A session holds the conductor's lease among the replicas ({@link DeviceLeases}), from login to logout. A step
 * that lands on a replica without the session asks the lease's holder for it: the holder logs out and passes the
 * lease on, and this replica logs in again on purpose, under the same handle (or takes the lease over once it
 * expired, when the holder is gone). The conductor never has two of netsnap's sessions at once, and the session id
 * never leaves the process that logged in.
 */
@Service
public class ArubaService {

    /** The platform key of Aruba Mobility Conductors, whose backup is this service's REST sequence. */
    public static final String PLATFORM = ArubaConductorDriver.PLATFORM;

    private static final Logger log = LoggerFactory.getLogger(ArubaService.class);
    static final String FLASH_ARCHIVE = "flash.tar.gz";

    private final ConductorApi api;
    private final ArubaSessions sessions;
    private final CredentialsProvider credentials;
    private final ScpTarget target;
    private final ConductorCopies copies;
    private final ArubaProperties properties;
    private final DeviceLeases leases;

    ArubaService(ConductorApi api, ArubaSessions sessions, CredentialsProvider credentials, ScpTarget target,
                 ConductorCopies copies, ArubaProperties properties, DeviceLeases leases) {
        this.leases = leases;
        this.api = api;
        this.sessions = sessions;
        this.credentials = credentials;
        this.target = target;
        this.copies = copies;
        this.properties = properties;
    }

    /** A file the conductor copied to the backup server, as netsnap found it there. */
    public record PushedFile(String path, long bytes, String sha256) {
    }

    /**
     * Logs in, once the conductor's lease is this replica's (an overlapping run's session ends first); the handle
     * names the session in later steps and is no secret.
     */
    public String login(Device device) {
        String handle = sessions.newHandle();
        DeviceLeases.Lease lease = lease(device, () -> leases.acquire(endpoint(device), device.name(),
                leases.waitDeadline(), handle, () -> handOver(handle, device)));
        logIn(handle, device, lease, "logged in to the conductor");
        return handle;
    }

    /** Logs in once this process's session caps ({@code netsnap.sessions.*}) give the conductor its turn. */
    private ArubaSessions.Entry logIn(String handle, Device device, DeviceLeases.Lease lease, String what) {
        DeviceSessions.Lease turn;
        try {
            turn = sessions.turn(device);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        try {
            ConductorApi.Login login = api.login(device, credentials.forPath(device.credentials()));
            log.info("{}: {}", device.name(), what);
            return sessions.open(handle, device, login, lease, turn);
        } catch (RuntimeException e) {
            turn.close();
            lease.close();
            throw e;
        }
    }

    /**
     * The session under {@code handle} is not in this process: its lease names the replica that has it, which logs
     * out and passes the lease here (or the lease expired, its holder gone); then this replica logs in on purpose.
     *
     * @throws DeviceException.Protocol when no lease names the handle for this device: the session was logged out
     */
    private ArubaSessions.Entry adopt(String handle, Device device) {
        if (handle == null) {
            throw ArubaSessions.noSession(device);
        }
        DeviceLeases.Lease lease = lease(device, () -> leases.takeOver(endpoint(device), device.name(),
                leases.waitDeadline(), handle, () -> handOver(handle, device))
                .orElseThrow(() -> ArubaSessions.noSession(device)));
        return logIn(handle, device, lease, "the session of this backup was on another netsnap replica, which"
                + " logged out of it; logged in here again");
    }

    /** Another replica asked for the session: the step using it (if any) ends first, then it is logged out here. */
    private void handOver(String handle, Device device) {
        ArubaSessions.Entry entry = sessions.close(handle, device);
        if (entry == null) {
            return;
        }
        entry.inUse.lock();
        try {
            entry.ended = true;
            api.logout(device, entry.login());
            log.info("{}: logged out of the conductor: another netsnap replica goes on with this backup",
                    device.name());
        } catch (DeviceException e) {
            log.warn("{}: logout before a handover failed, the conductor ends the session on its own: {}",
                    device.name(), e.detail());
        } finally {
            entry.inUse.unlock();
        }
    }

    /** The lease {@code take} waits for; one that stays with another holder is the device's timeout. */
    static DeviceLeases.Lease lease(Device device, java.util.function.Supplier<DeviceLeases.Lease> take) {
        try {
            return take.get();
        } catch (LeaseUnavailable e) {
            throw new DeviceException.Timeout(device.name(), e.getMessage());
        }
    }

    static String endpoint(Device device) {
        return device.host() + ":" + device.port();
    }

    /** {@code copy_running_flash}: the running configuration into a flash file. */
    public void copyRunningFlash(String handle, Device device) {
        post(handle, device, "copy_running_flash", Map.of("filename", configFile(device)), List.of());
    }

    /** {@code flash_backup}: the whole flash into {@code flash.tar.gz}. */
    public void flashBackup(String handle, Device device) {
        post(handle, device, "flash_backup", Map.of("backup_flash", "flash", "filename", "flash"), List.of());
    }

    /**
     * {@code copy_flash_scp}, once per file, then an SFTP check of what arrived: both files present, not empty, the
     * archive a gzip stream; their sizes and SHA-256 are returned and recorded in the run's state, where the manifest
     * and retention take them from.
     */
    public List<PushedFile> copyFlashScp(String handle, Device device, RunFolder run) {
        String runId = run.runId();
        ArubaProperties.Scp scp = properties.scp();
        if (!scp.configured()) {
            throw new DeviceException.Protocol(device.name(), "no SCP target for conductor backups: set"
                    + " netsnap.aruba.scp.host and netsnap.aruba.scp.credentials");
        }
        Credentials account = credentials.forPath(scp.credentials());
        if (account.password() == null) {
            // copy_flash_scp takes a password and nothing else
            throw new DeviceException.Protocol(device.name(), "the SCP account at Vault path " + scp.credentials()
                    + " has no 'password' field, which copy_flash_scp needs");
        }
        Map<String, String> copies = new LinkedHashMap<>();
        copies.put(configFile(device), remote(scp, device.name() + "_" + runId + "_config.cfg"));
        copies.put(FLASH_ARCHIVE, remote(scp, device.name() + "_" + runId + "_flash.tar.gz"));
        for (Map.Entry<String, String> copy : copies.entrySet()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("srcfilename", copy.getKey());
            body.put("scphost", scp.host());
            body.put("username", account.username());
            body.put("passwd", account.password());
            body.put("destfilename", copy.getValue());
            post(handle, device, "copy_flash_scp", body, List.of(account.password()));
        }
        List<PushedFile> pushed = verify(device, scp, account, List.copyOf(copies.values()));
        pushed.forEach(file -> log.info("{}: {} on the backup server, {} bytes, sha256 {}", device.name(),
                file.path(), file.bytes(), file.sha256()));
        this.copies.record(run, device.name(), pushed);
        return pushed;
    }

    /** {@code tar_flash_clean}: removes the generated archives from the flash. */
    public void tarFlashClean(String handle, Device device) {
        post(handle, device, "tar_flash_clean", Map.of(), List.of());
    }

    /** {@code show running-config} through the show command API, normalized. */
    public FetchedConfig runningConfig(String handle, Device device) {
        return ArubaConductorDriver.runningConfig(call(handle, device,
                login -> api.show(device, login, ArubaConductorDriver.SHOW_RUNNING_CONFIG)));
    }

    /**
     * After a failed step: {@code tar_flash_clean}, so that no archive is left on the flash.
     *
     * @return {@code null} when the flash is clean, else why it may not be
     */
    public String cleanAfterFailure(String handle, Device device) {
        try {
            tarFlashClean(handle, device);
            return null;
        } catch (DeviceException | CredentialsUnavailableException e) {
            log.warn("{}: cleaning the flash after a failed step failed: {}", device.name(),
                    e instanceof DeviceException d ? d.detail() : e.getMessage());
            return e.getMessage();
        }
    }

    /**
     * Logs out, forgets the session and releases the conductor's lease; a logout that fails is logged, never thrown.
     * When another replica has the session, that replica logs out (as in a handover) and the lease is released here.
     */
    public void logout(String handle, Device device) {
        ArubaSessions.Entry entry = handle == null ? null : sessions.close(handle, device);
        if (entry == null) {
            logoutElsewhere(handle, device);
            return;
        }
        entry.inUse.lock();
        try {
            entry.ended = true;
            api.logout(device, entry.login());
            log.info("{}: logged out of the conductor", device.name());
        } catch (DeviceException e) {
            log.warn("{}: logout failed, the conductor ends the session on its own: {}", device.name(),
                    e.detail());
        } finally {
            entry.inUse.unlock();
            entry.lease().close();
        }
    }

    private void logoutElsewhere(String handle, Device device) {
        java.util.Optional<DeviceLeases.Lease> lease = java.util.Optional.empty();
        if (handle != null) {
            try {
                lease = leases.takeOver(endpoint(device), device.name(), leases.waitDeadline(), handle, () -> {
                });
            } catch (LeaseUnavailable | java.io.UncheckedIOException e) {
                log.warn("{}: {}", device.name(), e.getMessage());
            }
        }
        if (lease.isEmpty()) {
            log.warn("{}: no conductor session to log out of (never logged in, or lost); the conductor ends it on"
                    + " its own", device.name());
            return;
        }
        lease.get().close();
        log.info("{}: the netsnap replica that had the session logged out of the conductor", device.name());
    }

    private void post(String handle, Device device, String object, Map<String, Object> body, List<String> secrets) {
        call(handle, device, login -> {
            api.post(device, login, object, body, secrets);
            return null;
        });
        log.info("{}: {} done", device.name(), object);
    }

    private <T> T call(String handle, Device device, Function<ConductorApi.Login, T> step) {
        while (true) {
            ArubaSessions.Entry entry = sessions.find(handle, device);
            if (entry == null) {
                entry = adopt(handle, device);
            }
            entry.inUse.lock();
            try {
                if (!entry.ended) {
                    return callOnce(entry, device, step);
                }
                // handed over to another replica between the look-up and now: ask for it back
            } finally {
                entry.inUse.unlock();
            }
        }
    }

    private <T> T callOnce(ArubaSessions.Entry entry, Device device, Function<ConductorApi.Login, T> step) {
        try {
            return step.apply(entry.login());
        } catch (ConductorApi.SessionExpired expired) {
            log.info("{}: the conductor expired the session, logging in again", device.name());
            entry.replace(api.login(device, credentials.forPath(device.credentials())));
            try {
                return step.apply(entry.login());
            } catch (ConductorApi.SessionExpired again) {
                throw new DeviceException.Protocol(device.name(), "the conductor expired the session again right"
                        + " after a new login");
            }
        }
    }

    private List<PushedFile> verify(Device device, ArubaProperties.Scp scp, Credentials login, List<String> paths) {
        List<PushedFile> pushed = new ArrayList<>();
        // the backup server gets the SCP password: its key must be known already, never trusted on first use
        try {
            target.open(login, sftp -> {
                check(device, sftp, paths, pushed);
                return null;
            });
        } catch (IOException e) {
            throw new DeviceException.Unreachable(device.name(), "cannot check the copies on the backup server "
                    + scp.host() + ":" + scp.port() + " over SFTP (" + e.getClass().getSimpleName() + ")", null);
        }
        return pushed;
    }

    private static void check(Device device, SftpClient sftp, List<String> paths,
                              List<PushedFile> pushed) throws IOException {
        try {
            for (String path : paths) {
                long size;
                try {
                    size = sftp.stat(path).getSize();
                } catch (IOException missing) {
                    throw new DeviceException.Protocol(device.name(), "copy_flash_scp reported success but " + path
                            + " is not on the backup server");
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] head = new byte[2];
                long read = 0;
                try (InputStream in = sftp.read(path)) {
                    byte[] buffer = new byte[32 * 1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        if (read < 2) {
                            System.arraycopy(buffer, 0, head, (int) read, (int) Math.min(n, 2 - read));
                        }
                        sha.update(buffer, 0, n);
                        read += n;
                    }
                }
                if (size == 0 || read != size) {
                    throw new DeviceException.Protocol(device.name(), path + " on the backup server is "
                            + (size == 0 ? "empty" : "incomplete (" + read + " of " + size + " bytes readable)"));
                }
                if (path.endsWith(".tar.gz") && (head[0] != (byte) 0x1f || head[1] != (byte) 0x8b)) {
                    throw new DeviceException.Protocol(device.name(), path + " on the backup server is not a gzip"
                            + " archive");
                }
                pushed.add(new PushedFile(path, size, HexFormat.of().formatHex(sha.digest())));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String configFile(Device device) {
        return device.name() + "_backup_config.cfg";
    }

    private static String remote(ArubaProperties.Scp scp, String file) {
        String directory = scp.directory();
        return directory.equals("/") ? file : directory.replaceAll("/+$", "") + "/" + file;
    }
}
