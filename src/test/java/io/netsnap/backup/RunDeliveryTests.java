package io.netsnap.backup;

import static io.netsnap.backup.RunFixture.EDGE;
import static io.netsnap.backup.RunFixture.FETCHED_1;
import static io.netsnap.backup.RunFixture.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;
import io.netsnap.aruba.ConductorCopiesFixture;
import io.netsnap.lab.LabBackupServer;
import io.netsnap.upload.RunUploader;
import io.netsnap.upload.UploadProperties;

class RunDeliveryTests {

    @TempDir
    Path root;

    Archive archive;
    RunHistory history;

    @BeforeEach
    void openArchive() {
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
        history = new RunHistory(archive, new DeviceResults(archive));
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    @Test
    void retentionRemovesBackDatedExportsLocallyAndOnTheBackupServerAndKeepsTheHistory() throws Exception {
        RunFolder old = new RunFolder("run-old", LocalDate.parse("2025-01-10"));
        RunFolder recent = new RunFolder("run-recent", LocalDate.parse("2025-03-01"));
        RunFixture.scope(archive, old, "EDGE-RTR-01");
        RunFixture.backedUp(archive, old, "EDGE-RTR-01", "ios", EDGE, FETCHED_1);
        String oldCommit = history.commit(old, REQUEST);
        RunFixture.scope(archive, recent, "EDGE-RTR-01");
        RunFixture.backedUp(archive, recent, "EDGE-RTR-01", "ios", EDGE + "ntp server 192.0.2.9\n", FETCHED_1);
        String recentCommit = history.commit(recent, REQUEST);
        java.security.KeyPair hostKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
        try (LabBackupServer server = LabBackupServer.start(root.resolve("server"), "backup", "s3cret-for-test",
                hostKey)) {
            Path knownHosts = Files.writeString(root.resolve("known_hosts"), "[127.0.0.1]:" + server.port() + " "
                    + PublicKeyEntry.toString(server.hostPublicKey()) + "\n");
            RunDelivery delivery = new RunDelivery(archive, new RunUploader(new UploadProperties(
                    "sftp://backup@127.0.0.1:" + server.port() + "/netbackups", "backup/offsite", knownHosts,
                    Duration.ofSeconds(10), 2), new RunFixture.PasswordOnly("s3cret-for-test")),
                    ConductorCopiesFixture.none(archive));
            assertThat(delivery.upload(old).uploaded()).isTrue();
            assertThat(delivery.upload(recent).uploaded()).isTrue();

            // archive.retention is P30D: on 2025-03-14 the cutoff is 2025-02-12
            RunDelivery.Retention retention = delivery.applyRetention(LocalDate.parse("2025-03-14"));

            assertThat(retention.local()).containsExactly("2025-01-10");
            assertThat(retention.remote()).containsExactly("2025-01-10");
            assertThat(retention.error()).isNull();
            assertThat(root.resolve("runs/2025-01-10")).doesNotExist();
            assertThat(root.resolve("runs/2025-03-01/run-recent")).isDirectory();
            assertThat(server.root().resolve("netbackups/2025-01-10")).doesNotExist();
            assertThat(server.root().resolve("netbackups/2025-03-01/run-recent/manifest.json")).exists();
        }
        try (Git git = Git.open(archive.historyDir().toFile())) {
            List<String> commits = new ArrayList<>();
            git.log().call().forEach(c -> commits.add(c.getName()));
            assertThat(commits).containsExactly(recentCommit, oldCommit);
        }
        assertThat(archive.textAt(oldCommit, "EDGE-RTR-01.cfg")).contains(EDGE);
    }
}
