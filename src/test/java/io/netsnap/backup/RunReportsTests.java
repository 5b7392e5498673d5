package io.netsnap.backup;

import static io.netsnap.backup.RunFixture.CORE;
import static io.netsnap.backup.RunFixture.DAY_1;
import static io.netsnap.backup.RunFixture.EDGE;
import static io.netsnap.backup.RunFixture.FETCHED_1;
import static io.netsnap.backup.RunFixture.REQUEST;
import static io.netsnap.backup.RunFixture.entryFor;
import static io.netsnap.backup.RunFixture.sha256Of;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;

class RunReportsTests {

    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path root;

    Archive archive;
    RunHistory history;
    RunReports reports;

    @BeforeEach
    void createServices() {
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
        history = new RunHistory(archive);
        reports = new RunReports(archive, RunFixture.noDelivery(archive), new DeviceDecisions(archive));
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    @Test
    void reportWritesAManifestWithEveryDeviceIncludingFailedOnes() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        DeviceResult edge = backedUp(run, "EDGE-RTR-01", "ios", EDGE);
        DeviceResult core = backedUp(run, "CORE-SW-01", "nxos", CORE);
        DeviceResult asa = DeviceResult.failed("ASA-FW-01", null, "asa", "AUTH_FAILED", "login refused");
        List<DeviceResult> results = List.of(edge, core, asa);
        String commit = history.commit(run, results, REQUEST);

        reports.report(run, Instant.parse("2025-03-14T01:00:00Z"), results, commit, null, null, REQUEST);

        Path runDir = root.resolve("runs/2025-03-14/run-1");
        JsonNode manifest = json.readTree(runDir.resolve("manifest.json").toFile());
        assertThat(manifest.path("runId").asText()).isEqualTo("run-1");
        JsonNode files = manifest.path("files");
        assertThat(files).hasSize(3);
        for (DeviceResult ok : List.of(edge, core)) {
            JsonNode entry = entryFor(files, ok.device());
            assertThat(entry.path("status").asText()).isEqualTo("OK");
            Path file = runDir.resolve(entry.path("file").asText());
            assertThat(file).isRegularFile();
            assertThat(file.getFileName().toString()).startsWith(ok.device() + "_20250314_020501");
            assertThat(entry.path("sha256").asText()).isEqualTo(sha256Of(file));
            assertThat(entry.path("bytes").asLong()).isEqualTo(Files.size(file));
        }
        JsonNode failed = entryFor(files, "ASA-FW-01");
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("error").asText()).isEqualTo("AUTH_FAILED");
        assertThat(failed.path("file").isNull()).isTrue();
        assertThat(failed.path("sha256").isNull()).isTrue();
        assertThat(failed.path("bytes").isNull()).isTrue();

        JsonNode report = json.readTree(runDir.resolve("report.json").toFile());
        assertThat(report.path("runId").asText()).isEqualTo("run-1");
        assertThat(report.path("outcome").asText()).isEqualTo("PARTIAL");
        assertThat(report.path("historyCommit").asText()).isEqualTo(commit);
        assertThat(report.path("exportDir").asText()).isEqualTo("runs/2025-03-14/run-1");
        assertThat(report.path("startedAt").asText()).isEqualTo("2025-03-14T01:00:00Z");
        JsonNode counts = report.path("counts");
        assertThat(counts.path("total").asInt()).isEqualTo(3);
        assertThat(counts.path("ok").asInt()).isEqualTo(2);
        assertThat(counts.path("failed").asInt()).isEqualTo(1);
        assertThat(counts.path("changed").asInt()).isEqualTo(2);
        assertThat(counts.path("unchanged").asInt()).isZero();
        assertThat(report.path("devices")).hasSize(3);
    }

    @Test
    void aRunWithoutFailuresIsOk() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        List<DeviceResult> results = List.of(backedUp(run, "EDGE-RTR-01", "ios", EDGE));

        RunReport report = reports.report(run, Instant.now(), results, history.commit(run, results, REQUEST), null,
                null, REQUEST);

        assertThat(report.outcome()).isEqualTo(RunReport.OK);
        JsonNode written = json.readTree(root.resolve("runs/2025-03-14/run-1/report.json").toFile());
        assertThat(written.path("outcome").asText()).isEqualTo("OK");
        assertThat(written.path("counts").path("ok").asInt()).isEqualTo(1);
        assertThat(written.path("counts").path("failed").asInt()).isZero();
    }

    @Test
    void aRunWithAnAbortReasonIsAborted() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);

        reports.report(run, Instant.now(), List.of(), null, "preflight failed: archive root is not writable", null,
                REQUEST);

        JsonNode report = json.readTree(root.resolve("runs/2025-03-14/run-1/report.json").toFile());
        assertThat(report.path("outcome").asText()).isEqualTo("ABORTED");
        assertThat(report.path("abortReason").asText()).isEqualTo("preflight failed: archive root is not writable");
        assertThat(report.path("counts").path("total").asInt()).isZero();
        JsonNode manifest = json.readTree(root.resolve("runs/2025-03-14/run-1/manifest.json").toFile());
        assertThat(manifest.path("files")).isEmpty();
    }

    /** The manifest is written once: the one the commit wrote, and the upload carried, stands. */
    @Test
    void theReportLeavesTheManifestOfTheCommitAsItWas() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        List<DeviceResult> results = List.of(backedUp(run, "EDGE-RTR-01", "ios", EDGE));
        String commit = history.commit(run, results, REQUEST);
        Path manifest = root.resolve("runs/2025-03-14/run-1/manifest.json");
        byte[] committed = Files.readAllBytes(manifest);
        Object file = Files.readAttributes(manifest, BasicFileAttributes.class).fileKey();

        reports.report(run, Instant.now(), results, commit, null, null, REQUEST);

        assertThat(manifest).hasBinaryContent(committed);
        assertThat(Files.readAttributes(manifest, BasicFileAttributes.class).fileKey())
                .as("the same file, not a new one moved into its place").isNotNull().isEqualTo(file);
    }

    private DeviceResult backedUp(RunFolder run, String device, String platform, String text) {
        return RunFixture.backedUp(archive, run, device, platform, text, FETCHED_1);
    }
}
