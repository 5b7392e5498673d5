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
        history = new RunHistory(archive, new DeviceResults(archive));
        reports = new RunReports(archive, RunFixture.noDelivery(archive), new DeviceDecisions(archive));
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    @Test
    void reportWritesAManifestWithEveryDeviceIncludingFailedOnes() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        RunFixture.scope(archive, run, "EDGE-RTR-01", "CORE-SW-01", "ASA-FW-01");
        DeviceResult edge = backedUp(run, "EDGE-RTR-01", "ios", EDGE);
        DeviceResult core = backedUp(run, "CORE-SW-01", "nxos", CORE);
        RunFixture.failed(archive, run, "ASA-FW-01", "asa", "AUTH_FAILED", "login refused");
        String commit = history.commit(run, REQUEST);

        reports.report(run, Instant.parse("2025-03-14T01:00:00Z"), commit, null, null, REQUEST);

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
        RunFixture.scope(archive, run, "EDGE-RTR-01");
        backedUp(run, "EDGE-RTR-01", "ios", EDGE);

        RunReport report = reports.report(run, Instant.now(), history.commit(run, REQUEST), null, null, REQUEST);

        assertThat(report.outcome()).isEqualTo(RunReport.OK);
        JsonNode written = json.readTree(root.resolve("runs/2025-03-14/run-1/report.json").toFile());
        assertThat(written.path("outcome").asText()).isEqualTo("OK");
        assertThat(written.path("counts").path("ok").asInt()).isEqualTo(1);
        assertThat(written.path("counts").path("failed").asInt()).isZero();
    }

    @Test
    void aRunWithAnAbortReasonIsAborted() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        RunFixture.scope(archive, run, "EDGE-RTR-01");

        reports.report(run, Instant.now(), null, "preflight failed: archive root is not writable", null, REQUEST);

        JsonNode report = json.readTree(root.resolve("runs/2025-03-14/run-1/report.json").toFile());
        assertThat(report.path("outcome").asText()).isEqualTo("ABORTED");
        assertThat(report.path("abortReason").asText()).isEqualTo("preflight failed: archive root is not writable");
        assertThat(report.path("counts").path("total").asInt()).as("no device was touched").isZero();
        assertThat(report.path("devices")).isEmpty();
        JsonNode manifest = json.readTree(root.resolve("runs/2025-03-14/run-1/manifest.json").toFile());
        assertThat(manifest.path("files")).isEmpty();
    }

    /** The manifest is written once: the one the commit wrote, and the upload carried, stands. */
    @Test
    void theReportLeavesTheManifestOfTheCommitAsItWas() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        RunFixture.scope(archive, run, "EDGE-RTR-01");
        backedUp(run, "EDGE-RTR-01", "ios", EDGE);
        String commit = history.commit(run, REQUEST);
        Path manifest = root.resolve("runs/2025-03-14/run-1/manifest.json");
        byte[] committed = Files.readAllBytes(manifest);
        Object file = Files.readAttributes(manifest, BasicFileAttributes.class).fileKey();

        reports.report(run, Instant.now(), commit, null, null, REQUEST);

        assertThat(manifest).hasBinaryContent(committed);
        assertThat(Files.readAttributes(manifest, BasicFileAttributes.class).fileKey())
                .as("the same file, not a new one moved into its place").isNotNull().isEqualTo(file);
    }

    /**
     * The devices are the run's scope, each with what the run recorded for it: a device whose device-backup never
     * recorded a result (cancelled, still waiting) is failed with a clear code, never missing; a result recorded
     * under a name outside the scope is not the run's.
     */
    @Test
    void aDeviceInScopeWithoutARecordedResultIsReportedFailedAndNothingOutsideTheScopeCounts() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        RunFixture.scope(archive, run, "EDGE-RTR-01", "CORE-SW-01", "ASA-FW-01");
        backedUp(run, "ASA-FW-01", "asa", CORE);
        backedUp(run, "EDGE-RTR-01", "ios", EDGE);
        backedUp(run, "ROGUE-99", "ios", CORE);
        String commit = history.commit(run, REQUEST);

        RunReport report = reports.report(run, Instant.now(), commit, null, null, REQUEST);

        assertThat(report.devices()).extracting(DeviceResult::device, DeviceResult::status, DeviceResult::error)
                .as("in scope order").containsExactly(
                        org.assertj.core.groups.Tuple.tuple("EDGE-RTR-01", "OK", null),
                        org.assertj.core.groups.Tuple.tuple("CORE-SW-01", "FAILED", DeviceResults.NO_RESULT),
                        org.assertj.core.groups.Tuple.tuple("ASA-FW-01", "OK", null));
        assertThat(report.devices().get(1).message()).startsWith("no result recorded");
        assertThat(report.counts()).isEqualTo(new RunReport.Counts(3, 2, 1, 2, 0));
        assertThat(report.outcome()).isEqualTo(RunReport.PARTIAL);
        JsonNode manifest = json.readTree(root.resolve("runs/2025-03-14/run-1/manifest.json").toFile());
        assertThat(entryFor(manifest.path("files"), "CORE-SW-01").path("error").asText())
                .isEqualTo(DeviceResults.NO_RESULT);
        assertThat(manifest.path("files")).hasSize(3);
    }

    private DeviceResult backedUp(RunFolder run, String device, String platform, String text) {
        return RunFixture.backedUp(archive, run, device, platform, text, FETCHED_1);
    }
}
