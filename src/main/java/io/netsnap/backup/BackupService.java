package io.netsnap.backup;

import java.time.LocalDateTime;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.device.ContextDriver;
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
    private final DeviceResults results;
    private final boolean maskSecrets;

    public BackupService(DeviceDrivers drivers, CredentialsProvider credentials, Archive archive,
                         ApplicationEventPublisher events, DeviceResults results) {
        this.maskSecrets = archive.secretsMasked();
        this.results = results;
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
        FetchedConfig config = driver.fetch(device, credentials.forPath(device.credentials()));
        return finish(run, store(run, device, null, driver, config));
    }

    /**
     * Asks a device whose configuration may come in contexts (ASA) which contexts to fetch.
     *
     * @return the contexts, {@link ContextDriver#SYSTEM} first, or an empty list for a single-context device; also
     *         recorded in the run's state, for {@link #backupContext} to check names against
     */
    public List<String> discoverContexts(RunFolder run, Device device) {
        ContextDriver.Contexts contexts = contextDriver(device).discover(device,
                credentials.forPath(device.credentials()));
        // what a context step may fetch: its name arrives in a variable and must be one of these
        archive.writeRunState(run, discoveredFile(device), new Discovered(contexts.names()));
        log.info("{}: {}", device.name(), contexts.multiple() ? "multiple context mode, " + contexts.names().size()
                + " configuration(s) to fetch: " + String.join(", ", contexts.names()) : "single context mode");
        return contexts.names();
    }

    /**
     * Stores a configuration that a platform-specific sequence fetched itself (an Aruba conductor's, inside its REST
     * session), exactly as {@link #backup} would have, and records and announces the device's result.
     */
    public DeviceResult store(RunFolder run, Device device, FetchedConfig config) {
        DeviceDriver driver = drivers.forPlatform(device.platform())
                .orElseThrow(() -> new UnsupportedPlatformException(device.name(), device.platform()));
        return finish(run, store(run, device, null, driver, config));
    }

    /**
     * Backs up one context of a multiple-context device, as its own history file.
     *
     * @throws UnknownReferenceException when the context is neither {@link ContextDriver#SYSTEM}, nor listed in the
     *                                   inventory, nor one that discovery found on the device
     */
    public DeviceResult backupContext(RunFolder run, Device device, String context) {
        ContextDriver driver = contextDriver(device);
        requireKnownContext(run, device, context);
        FetchedConfig config = driver.fetchContext(device, credentials.forPath(device.credentials()), context);
        return store(run, device, context, driver, config);
    }

    /**
     * Folds the context results of a device into the device's result: {@code OK} only when every context is, changed
     * when any stored context changed (also when another context failed). Contexts that were stored stay stored
     * whatever happened to the others. The summary is the device's result, recorded in the run's state.
     */
    public DeviceResult summarizeContexts(RunFolder run, Device device, List<DeviceResult> contexts) {
        List<DeviceResult> failed = contexts.stream().filter(c -> !c.ok()).toList();
        List<DeviceResult> ok = contexts.stream().filter(DeviceResult::ok).toList();
        boolean changed = ok.stream().anyMatch(c -> Boolean.TRUE.equals(c.changed()));
        String error = failed.isEmpty() ? null : failed.get(0).error();
        String message = failed.isEmpty() ? null : failed.size() + " of " + contexts.size()
                + " contexts failed: " + failed.stream().map(c -> c.context() + " (" + c.message() + ")")
                        .collect(java.util.stream.Collectors.joining("; "));
        DeviceResult result = new DeviceResult(device.name(), null, device.platform(),
                failed.isEmpty() ? DeviceResult.OK : DeviceResult.FAILED, changed,
                ok.stream().mapToInt(DeviceResult::linesAdded).sum(),
                ok.stream().mapToInt(DeviceResult::linesRemoved).sum(), null, device.name() + "/", null,
                ok.stream().mapToLong(DeviceResult::bytes).sum(), error, message, List.copyOf(contexts));
        if (failed.isEmpty()) {
            log.info("{}: {} contexts backed up, {}", device.name(), contexts.size(),
                    changed ? "changed" : "unchanged");
        } else {
            log.warn("{}: {}", device.name(), message);
        }
        return finish(run, result);
    }

    /** A device's final result: recorded in the run's state, then announced. */
    private DeviceResult finish(RunFolder run, DeviceResult result) {
        results.record(run, result);
        events.publishEvent(new DeviceBackedUp(run.runId(), result));
        return result;
    }

    /**
     * The context name comes from a process variable. It is used only when netsnap itself knows it for this device:
     * from the inventory when that lists the contexts, otherwise from what discovery recorded for this run. An unknown
     * name is refused without contacting the device.
     */
    private void requireKnownContext(RunFolder run, Device device, String context) {
        if (ContextDriver.SYSTEM.equals(context)) {
            return;
        }
        if (context == null || context.isBlank()) {
            throw new UnknownReferenceException(UnknownReferenceException.Kind.CONTEXT,
                    device.name() + ": no context named");
        }
        boolean listed = !device.contexts().isEmpty();
        List<String> known = listed ? device.contexts() : archive.readRunState(run, discoveredFile(device),
                Discovered.class).map(Discovered::contexts).orElse(List.of());
        if (!known.contains(context)) {
            throw new UnknownReferenceException(UnknownReferenceException.Kind.CONTEXT, device.name() + ": context '"
                    + DeviceDirectory.printable(context) + "' is not one of the contexts "
                    + (listed ? "the inventory lists" : "discovery found in this run") + " ("
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + "); not fetched");
        }
    }

    private static String discoveredFile(Device device) {
        return "contexts/" + device.name() + ".json";
    }

    /** The contexts discovery found on a device in a run, as recorded in the run's state. */
    public record Discovered(List<String> contexts) {
    }

    private ContextDriver contextDriver(Device device) {
        return drivers.contextDriver(device.platform())
                .orElseThrow(() -> new UnsupportedPlatformException(device.name(), device.platform()));
    }

    private DeviceResult store(RunFolder run, Device device, String context, DeviceDriver driver,
                               FetchedConfig config) {
        String text = maskSecrets ? driver.mask(config.normalized()) : config.normalized();
        StoredConfig stored = archive.store(run, device.name(), device.platform(), context, text,
                LocalDateTime.now());
        DeviceResult result = new DeviceResult(device.name(), context, device.platform(), DeviceResult.OK,
                stored.changed(), stored.linesAdded(), stored.linesRemoved(), stored.exportFile(),
                stored.historyPath(), stored.sha256(), stored.bytes(), null, null, null);
        log.info("{}: backed up, {} ({} bytes, +{} -{})", result.label(), stored.changed() ? "changed" : "unchanged",
                stored.bytes(), stored.linesAdded(), stored.linesRemoved());
        return result;
    }

    /**
     * Adds a note to the failure the run recorded for a device, e.g. that the clean-up after it failed too.
     *
     * @return the amended failure; empty when the run recorded none for the device (or a success)
     */
    public java.util.Optional<DeviceResult> amendFailure(RunFolder run, Device device, String note) {
        try {
            return results.find(run, device.name()).filter(recorded -> !recorded.ok()).map(failed -> {
                DeviceResult amended = failed.withMessage(failed.message() + note);
                results.record(run, amended);
                return amended;
            });
        } catch (io.netsnap.archive.ArchiveException e) {
            log.warn("{}: the recorded failure could not be amended ({}): {}", device.name(), e.getMessage(),
                    note.replaceFirst("^; ", ""));
            return java.util.Optional.empty();
        }
    }

    /**
     * Records and announces a device that ended in failure (the process decided it will not be retried). A failed
     * context is only logged: its device's summary says what became of the device.
     *
     * @param recordIn the run, when the failed device is one of its recorded scope; else {@code null} and the
     *                 failure is not recorded (a name no run has, or a run netsnap did not start)
     */
    public void reportFailure(String runId, RunFolder recordIn, DeviceResult failed) {
        log.warn("{}: backup failed, {}: {}", failed.label(), failed.error(), failed.detail());
        if (failed.context() == null) {
            if (recordIn != null) {
                results.record(recordIn, failed);
            }
            events.publishEvent(new DeviceBackedUp(runId, failed));
        }
    }
}
