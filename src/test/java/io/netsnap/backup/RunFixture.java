package io.netsnap.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;
import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.inventory.Device;
import io.netsnap.upload.RunUploader;
import io.netsnap.upload.UploadProperties;

/**
 * What the tests of a run's steps share: two days, two configurations, a run's scope as netsnap records it, and
 * results as the device steps make and record them.
 */
final class RunFixture {

    static final RunPlan.Request REQUEST = new RunPlan.Request("change CHG-1234", "cli:alice");

    static final LocalDate DAY_1 = LocalDate.of(2025, 3, 14);
    static final LocalDate DAY_2 = LocalDate.of(2025, 3, 15);
    static final LocalDateTime FETCHED_1 = LocalDateTime.of(2025, 3, 14, 2, 5, 1);
    static final LocalDateTime FETCHED_2 = LocalDateTime.of(2025, 3, 15, 2, 5, 1);
    static final String EDGE = "hostname EDGE-RTR-01\ninterface Gi0/0\n ip address 192.0.2.1 255.255.255.0\nend\n";
    static final String CORE = "hostname CORE-SW-01\nvlan 10\nend\n";

    private RunFixture() {
    }

    /** A run's scope as resolve-scope records it: these devices, in this order. */
    static void scope(Archive archive, RunFolder run, String... devices) {
        archive.writeRunState(run, RunScope.FILE, new RunScope(run.runId(), "2025-03-14T01:00:00Z", "inventory.yaml",
                REQUEST.reason(), REQUEST.requestedBy(), List.of(devices)));
    }

    /** What the backup worker records for a device it fetched: the archive's answer, as a result. */
    static DeviceResult backedUp(Archive archive, RunFolder run, String device, String platform, String text,
                                 LocalDateTime fetchedAt) {
        StoredConfig stored = archive.store(run, device, platform, null, text, fetchedAt);
        DeviceResult result = new DeviceResult(device, null, platform, DeviceResult.OK, stored.changed(),
                stored.linesAdded(), stored.linesRemoved(), stored.exportFile(), stored.historyPath(), stored.sha256(),
                stored.bytes(), null, null, null);
        new DeviceResults(archive).record(run, result);
        return result;
    }

    /** What a device step records for a device that gave up. */
    static DeviceResult failed(Archive archive, RunFolder run, String device, String platform, String error,
                               String message) {
        DeviceResult result = DeviceResult.failed(device, null, platform, error, message);
        new DeviceResults(archive).record(run, result);
        return result;
    }

    /** An uploader with no target: runs are not uploaded. */
    static RunUploader noUpload() {
        return new RunUploader(new UploadProperties(null, null, null, Duration.ofSeconds(5), 1), new NoCredentials());
    }

    /** Delivery without an upload target and without conductors. */
    static RunDelivery noDelivery(io.netsnap.archive.Archive archive) {
        return new RunDelivery(archive, noUpload(), io.netsnap.aruba.ConductorCopiesFixture.none(archive));
    }

    static Device device(String name, String platform, String credentials) {
        return new Device(name, "192.0.2.1", 22, platform, null, credentials, Duration.ofSeconds(30), List.of());
    }

    static JsonNode entryFor(JsonNode files, String device) {
        for (JsonNode entry : files) {
            if (device.equals(entry.path("device").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no manifest entry for " + device + " in " + files);
    }

    static String sha256Of(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The backup server's login as Vault holds it. */
    record PasswordOnly(String password) implements CredentialsProvider {
        @Override
        public Credentials forPath(String path) {
            return new Credentials("backup", password, null, null);
        }

        @Override
        public void check() {
        }
    }

    /** Commit, upload, retention and report never ask for credentials. */
    static final class NoCredentials implements CredentialsProvider {
        @Override
        public Credentials forPath(String path) {
            throw new AssertionError("no credentials expected, asked for " + path);
        }

        @Override
        public void check() {
            throw new AssertionError("no credentials check expected");
        }
    }
}
