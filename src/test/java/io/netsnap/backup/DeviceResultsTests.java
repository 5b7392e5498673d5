package io.netsnap.backup;

import static io.netsnap.backup.RunFixture.DAY_1;
import static io.netsnap.backup.RunFixture.EDGE;
import static io.netsnap.backup.RunFixture.FETCHED_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;

class DeviceResultsTests {

    @TempDir
    Path root;

    Archive archive;
    DeviceResults results;
    final RunFolder run = new RunFolder("run-1", DAY_1);

    @BeforeEach
    void createServices() {
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
        results = new DeviceResults(archive);
        RunFixture.scope(archive, run, "EDGE-RTR-01");
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    @Test
    void eachDeviceHasOneDocumentInTheRunsStateWrittenWithoutLeftovers() throws Exception {
        RunFixture.backedUp(archive, run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);

        Path folder = root.resolve("state/runs/2025-03-14/run-1/results");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("EDGE-RTR-01.json");
        }
        assertThat(results.find(run, "EDGE-RTR-01")).get().extracting(DeviceResult::status).isEqualTo("OK");
    }

    /** A person's retry that succeeded replaces the failure; a skip leaves it. */
    @Test
    void aSuccessReplacesTheFailureBeforeIt() {
        RunFixture.failed(archive, run, "EDGE-RTR-01", "ios", "DEVICE_TIMEOUT", "no prompt");
        assertThat(results.inRun(run)).singleElement().extracting(DeviceResult::error).isEqualTo("DEVICE_TIMEOUT");

        RunFixture.backedUp(archive, run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);

        assertThat(results.inRun(run)).singleElement().satisfies(result -> {
            assertThat(result.status()).isEqualTo(DeviceResult.OK);
            assertThat(result.error()).isNull();
        });
    }

    /** Only a second, forged device-backup of the same device could fail it after it was backed up. */
    @Test
    void aFailureNeverReplacesASuccess() {
        RunFixture.backedUp(archive, run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);

        RunFixture.failed(archive, run, "EDGE-RTR-01", "ios", "DEVICE_UNKNOWN", "not this step's platform");

        assertThat(results.inRun(run)).singleElement().extracting(DeviceResult::status).isEqualTo(DeviceResult.OK);
    }

    /** A context's result is part of its device's summary, which is the device's result. */
    @Test
    void aContextResultIsNotADevicesResult() {
        results.record(run, DeviceResult.failed("EDGE-RTR-01", "DMZ", "asa", "DEVICE_TIMEOUT", "no prompt"));

        assertThat(results.find(run, "EDGE-RTR-01")).isEmpty();
        assertThat(results.inRun(run)).singleElement().extracting(DeviceResult::error)
                .isEqualTo(DeviceResults.NO_RESULT);
    }
}
