package io.netsnap.backup;

import static io.netsnap.backup.RunFixture.EDGE;
import static io.netsnap.backup.RunFixture.FETCHED_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;
import io.netsnap.device.DeviceDrivers;

/** A run's identity: the ids RunStart gives are safe folder names, and the archive files a run under them. */
class RunStartTests {

    @TempDir
    Path root;

    private Archive archive;
    private RunStart start;

    @BeforeEach
    void setUp() {
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
        start = new RunStart(new BackupProperties(root.resolve("inventory.yaml"),
                new BackupProperties.Schedule("0 0 2 * * ?")),
                new DeviceDrivers(List.of()), archive);
    }

    @AfterEach
    void tearDown() {
        archive.destroy();
    }

    /** Many of them, so that the random suffix varies. */
    @Test
    void aRunIdFromRunStartIsASafeFolderName() {
        for (int i = 0; i < 2_000; i++) {
            RunFolder folder = start.start().folder();
            String runId = folder.runId();
            assertThat(runId).matches("\\d{8}-\\d{6}-[0-9a-f]{4}")
                    .startsWith(folder.runDate().toString().replace("-", ""));
            Path resolved = root.resolve("runs").resolve(folder.runDate().toString()).resolve(runId);
            assertThat(Path.of(runId).getNameCount()).as(runId).isEqualTo(1);
            assertThat(resolved.normalize()).as(runId).isEqualTo(resolved).startsWithRaw(root);
            assertThat(new RunFolder(runId, folder.runDate())).isEqualTo(folder);
        }
        // and one of them, used: the archive files the run's configurations under runs/<date>/<runId>/
        RunFolder run = start.start().folder();
        assertThat(archive.runDirectory(run))
                .isEqualTo(root.resolve("runs").resolve(run.runDate().toString()).resolve(run.runId()));
        StoredConfig stored = archive.store(run, "EDGE-RTR-01", "ios", null, EDGE, FETCHED_1);
        assertThat(Path.of(stored.exportFile()).getParent())
                .isEqualTo(Path.of("runs", run.runDate().toString(), run.runId()));
        assertThat(root.resolve(stored.exportFile())).isRegularFile();
    }
}
