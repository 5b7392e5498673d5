package io.netsnap.backup;

import java.time.LocalDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;
import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.device.FetchedConfig;
import io.netsnap.inventory.Device;

/** Backs up one device: credentials from Vault, configuration from the device, normalized text into the archive. */
@Service
public class BackupService {

    private static final Logger log = LoggerFactory.getLogger(BackupService.class);

    private final DeviceDrivers drivers;
    private final CredentialsProvider credentials;
    private final Archive archive;
    private final ApplicationEventPublisher events;

    public BackupService(DeviceDrivers drivers, CredentialsProvider credentials, Archive archive,
                         ApplicationEventPublisher events) {
        this.drivers = drivers;
        this.credentials = credentials;
        this.archive = archive;
        this.events = events;
    }

    /**
     * @throws io.netsnap.device.DeviceException, io.netsnap.credentials.CredentialsUnavailableException,
     *         io.netsnap.archive.ArchiveException or {@link UnsupportedPlatformException}; the caller decides
     *         between retry and failure
     */
    public DeviceResult backup(RunFolder run, Device device) {
        DeviceDriver driver = drivers.forPlatform(device.platform())
                .orElseThrow(() -> new UnsupportedPlatformException(device.name(), device.platform()));
        Credentials login = credentials.forPath(device.credentials());
        FetchedConfig config = driver.fetch(device, login);
        StoredConfig stored = archive.store(run, device.name(), null, config.normalized(), LocalDateTime.now());
        DeviceResult result = new DeviceResult(device.name(), device.platform(), DeviceResult.OK, stored.changed(),
                stored.linesAdded(), stored.linesRemoved(), stored.exportFile(), stored.historyPath(),
                stored.sha256(), stored.bytes(), null, null);
        log.info("{}: backed up, {} ({} bytes, +{} -{})", device.name(), stored.changed() ? "changed" : "unchanged",
                stored.bytes(), stored.linesAdded(), stored.linesRemoved());
        events.publishEvent(new DeviceBackedUp(run.runId(), result));
        return result;
    }

    /** Announces a device that ended in failure (the process decided it will not be retried). */
    public void reportFailure(String runId, DeviceResult failed) {
        log.warn("{}: backup failed, {}: {}", failed.device(), failed.error(), failed.message());
        events.publishEvent(new DeviceBackedUp(runId, failed));
    }
}
