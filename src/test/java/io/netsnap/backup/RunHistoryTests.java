package io.netsnap.backup;

import static io.netsnap.backup.RunFixture.CORE;
import static io.netsnap.backup.RunFixture.DAY_1;
import static io.netsnap.backup.RunFixture.DAY_2;
import static io.netsnap.backup.RunFixture.EDGE;
import static io.netsnap.backup.RunFixture.FETCHED_1;
import static io.netsnap.backup.RunFixture.FETCHED_2;
import static io.netsnap.backup.RunFixture.REQUEST;
import static io.netsnap.backup.RunFixture.entryFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;

class RunHistoryTests {

    @TempDir
    Path root;

    Archive archive;
    RunHistory history;

    @BeforeEach
    void createService() {
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
        history = new RunHistory(archive, new DeviceResults(archive));
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    @Test
    void commitNamesTheRunAndLeavesFailedDevicesOut() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        RunFixture.scope(archive, run, "EDGE-RTR-01", "CORE-SW-01");
        backedUp(run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);
        RunFixture.failed(archive, run, "CORE-SW-01", "nxos", "TIMEOUT", "no prompt after 60s");

        String commit = history.commit(run, REQUEST);

        try (Git git = Git.open(archive.historyDir().toFile())) {
            RevCommit head = git.log().call().iterator().next();
            assertThat(head.getName()).isEqualTo(commit);
            assertThat(head.getFullMessage()).contains("run-1").contains("EDGE-RTR-01")
                    .doesNotContain("CORE-SW-01").contains("Reason: change CHG-1234")
                    .contains("Requested by: cli:alice (as stated at the start)");
        }
        assertThat(archive.lastCommitted("EDGE-RTR-01.cfg")).contains(EDGE);
        assertThat(archive.lastCommitted("CORE-SW-01.cfg")).isEmpty();
    }

    @Test
    void commitReturnsThePreviousHeadWhenNothingChanged() throws Exception {
        RunFolder first = new RunFolder("run-1", DAY_1);
        RunFixture.scope(archive, first, "EDGE-RTR-01", "CORE-SW-01");
        backedUp(first, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);
        backedUp(first, "CORE-SW-01", "nxos", CORE, FETCHED_1);
        String firstCommit = history.commit(first, REQUEST);
        RunFolder second = new RunFolder("run-2", DAY_2);
        RunFixture.scope(archive, second, "EDGE-RTR-01", "CORE-SW-01");
        backedUp(second, "EDGE-RTR-01", "ios", EDGE, FETCHED_2);
        backedUp(second, "CORE-SW-01", "nxos", CORE, FETCHED_2);

        String secondCommit = history.commit(second, REQUEST);

        assertThat(firstCommit).isNotNull();
        assertThat(secondCommit).isEqualTo(firstCommit);
        assertThat(archive.headCommit()).isEqualTo(firstCommit);
        RunReport report = new RunReports(archive, RunFixture.noDelivery(archive), new DeviceDecisions(archive))
                .report(second, Instant.now(), secondCommit, null, null, REQUEST);
        assertThat(report.counts().unchanged()).isEqualTo(2);
        assertThat(report.counts().changed()).isZero();
        try (Git git = Git.open(archive.historyDir().toFile())) {
            assertThat(git.log().call()).hasSize(1);
        }
    }

    /** The upload comes between the commit and the report: it must find the manifest already there. */
    @Test
    void commitWritesTheManifestThatTheUploadCarries() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        RunFixture.scope(archive, run, "EDGE-RTR-01", "CORE-SW-01");
        backedUp(run, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);
        RunFixture.failed(archive, run, "CORE-SW-01", "nxos", "TIMEOUT", "no prompt after 60s");

        history.commit(run, REQUEST);

        JsonNode manifest = new ObjectMapper().readTree(root.resolve("runs/2025-03-14/run-1/manifest.json")
                .toFile());
        assertThat(manifest.path("reason").asText()).isEqualTo("change CHG-1234");
        assertThat(entryFor(manifest.path("files"), "EDGE-RTR-01").path("status").asText()).isEqualTo("OK");
        assertThat(entryFor(manifest.path("files"), "CORE-SW-01").path("error").asText()).isEqualTo("TIMEOUT");
        assertThat(root.resolve("runs/2025-03-14/run-1/report.json")).doesNotExist();
    }

    private DeviceResult backedUp(RunFolder run, String device, String platform, String text,
                                  java.time.LocalDateTime fetchedAt) {
        return RunFixture.backedUp(archive, run, device, platform, text, fetchedAt);
    }
}
