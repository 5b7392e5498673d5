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

/**
 * The conductor backup sequence, one call per step so that each step is its own task in the process: log in, copy
 * the running configuration to flash, archive the flash, have the conductor copy both files to the backup server by
 * SCP (netsnap then checks over SFTP what arrived), clean the archive off the flash, fetch the running configuration,
 * log out.
 *
 * <p>Steps find their session by the handle {@link #login} returned. When the conductor says the session expired,
 * the step logs in once more (credentials read from Vault again) and repeats the call; a second expiry fails it.
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

    ArubaService(ConductorApi api, ArubaSessions sessions, CredentialsProvider credentials, ScpTarget target,
                 ConductorCopies copies, ArubaProperties properties) {
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
     * Waits for a device session ({@code netsnap.sessions.*}) and logs in; the handle names the session in later
     * steps and is no secret. The session holds its place until {@link #logout}.
     */
    public String login(Device device) {
        DeviceSessions.Lease lease = sessions.lease(device);
        try {
            ConductorApi.Login login = api.login(device, credentials.forPath(device.credentials()));
            log.info("{}: logged in to the conductor", device.name());
            return sessions.open(device, login, lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
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

    /** Logs out and forgets the session; a logout that fails is logged, never thrown. */
    public void logout(String handle, Device device) {
        ArubaSessions.Entry entry = sessions.close(handle, device);
        if (entry == null) {
            log.warn("{}: no conductor session to log out of (never logged in, or lost); the conductor ends it on"
                    + " its own", device.name());
            return;
        }
        try {
            api.logout(device, entry.login());
            log.info("{}: logged out of the conductor", device.name());
        } catch (DeviceException e) {
            log.warn("{}: logout failed, the conductor ends the session on its own: {}", device.name(),
                    e.detail());
        }
    }

    private void post(String handle, Device device, String object, Map<String, Object> body, List<String> secrets) {
        call(handle, device, login -> {
            api.post(device, login, object, body, secrets);
            return null;
        });
        log.info("{}: {} done", device.name(), object);
    }

    private <T> T call(String handle, Device device, Function<ConductorApi.Login, T> step) {
        ArubaSessions.Entry entry = sessions.get(handle, device);
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
