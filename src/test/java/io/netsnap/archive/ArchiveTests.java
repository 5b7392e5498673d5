package io.netsnap.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveTests {

    static final LocalDate DAY_1 = LocalDate.of(2025, 3, 14);
    static final LocalDate DAY_2 = LocalDate.of(2025, 3, 15);
    static final LocalDateTime FETCHED_1 = LocalDateTime.of(2025, 3, 14, 2, 5, 1);
    static final LocalDateTime FETCHED_2 = LocalDateTime.of(2025, 3, 15, 2, 5, 9);

    static final String EDGE = """
            hostname EDGE-RTR-01
            interface GigabitEthernet0/0
             description uplink to Zürich
             ip address 192.0.2.1 255.255.255.0
            interface GigabitEthernet0/1
             shutdown
            ntp server 192.0.2.123
            end
            """;
    static final String CORE = """
            hostname CORE-SW-01
            feature lacp
            vlan 10
              name users
            end
            """;
    static final String ACCESS = """
            hostname ACCESS-SW-01
            vlan 20
            end
            """;

    @TempDir
    Path tempDir;

    Path root;
    Archive archive;

    @BeforeEach
    void openArchive() {
        root = tempDir.resolve("data");
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    // --- store ----------------------------------------------------------------------------------------------------

    @Test
    void retentionKeepsTheStateOfRunsItIsToldToAndListsRunStateDocuments() throws Exception {
        RunFolder pending = new RunFolder("run-pending", java.time.LocalDate.parse("2025-01-10"));
        RunFolder done = new RunFolder("run-done", java.time.LocalDate.parse("2025-01-10"));
        RunFolder recent = new RunFolder("run-recent", java.time.LocalDate.parse("2025-03-01"));
        for (RunFolder run : List.of(pending, done, recent)) {
            archive.writeRunState(run, "remote-copies/MC-02.json", java.util.Map.of("n", 2));
            archive.writeRunState(run, "remote-copies/MC-01.json", java.util.Map.of("n", 1));
            archive.writeRunDocument(run, "manifest.json", java.util.Map.of());
        }
        java.time.LocalDate cutoff = java.time.LocalDate.parse("2025-02-01");

        assertThat(archive.runsWithStateBefore(cutoff, "remote-copies")).containsExactly(done, pending);
        assertThat(archive.readRunStates(pending, "remote-copies", java.util.Map.class).keySet())
                .containsExactly("MC-01.json", "MC-02.json");
        assertThat(archive.readRunStates(pending, "nothing-here", java.util.Map.class)).isEmpty();
        assertThatThrownBy(() -> archive.readRunStates(pending, "../../x", java.util.Map.class))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(archive.removeExportsBefore(cutoff, pending::equals)).containsExactly("2025-01-10");

        assertThat(archive.runDirectory(pending)).doesNotExist();
        assertThat(archive.runsWithStateBefore(cutoff, "remote-copies")).containsExactly(pending);
        assertThat(archive.runsWithStateBefore(java.time.LocalDate.parse("2025-12-31"), "remote-copies"))
                .containsExactly(pending, recent);
        archive.removeExportsBefore(cutoff);
        assertThat(archive.root().resolve("state/runs/2025-01-10")).doesNotExist();
        assertThat(archive.readRunStates(recent, "remote-copies", java.util.Map.class)).hasSize(2);
    }

    @Test
    void storeWritesTheExportFileWithExactlyTheTextAndItsDigest() throws Exception {
        RunFolder run = new RunFolder("20250314-020000-ab12", DAY_1);

        StoredConfig stored = archive.store(run, "EDGE-RTR-01", "ios", null, EDGE, FETCHED_1);

        Path file = root.resolve("runs/2025-03-14/20250314-020000-ab12/EDGE-RTR-01_20250314_020501.cfg");
        assertThat(stored.exportFile()).isEqualTo("runs/2025-03-14/20250314-020000-ab12/EDGE-RTR-01_20250314_020501.cfg");
        assertThat(stored.historyPath()).isEqualTo("EDGE-RTR-01.cfg");
        assertThat(file).isRegularFile();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(EDGE);
        assertThat(stored.bytes()).isEqualTo(Files.size(file)).isGreaterThan(EDGE.length()); // 'ü' is two bytes
        assertThat(stored.sha256()).isEqualTo(sha256Of(file));
        assertThat(stored.changed()).isTrue();
        assertThat(stored.linesAdded()).isEqualTo(8);
        assertThat(stored.linesRemoved()).isZero();
        assertThat(filesUnder(tempDir)).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
    }

    @Test
    void anAsaContextIsNamedInTheExportFileAndIsAFolderInTheHistory() throws Exception {
        RunFolder run = new RunFolder("r1", DAY_1);

        StoredConfig stored = archive.store(run, "ASA-FW-01", "asa", "DMZ", ACCESS, FETCHED_1);
        archive.commitRun(run, List.of(stored), "netsnap run r1");

        assertThat(stored.exportFile()).isEqualTo("runs/2025-03-14/r1/ASA-FW-01_DMZ_20250314_020501.cfg");
        assertThat(stored.historyPath()).isEqualTo("ASA-FW-01/DMZ.cfg");
        assertThat(archive.historyDir().resolve("ASA-FW-01/DMZ.cfg")).hasContent(ACCESS);
        assertThat(archive.lastCommitted("ASA-FW-01/DMZ.cfg")).contains(ACCESS);
    }

    // --- what history and diff read --------------------------------------------------------------------------------

    /** A version is dated when it was committed, and a record of a restore is committed even with no change. */
    @Test
    void aCommitIsDatedWhenItIsMadeAndARecordIsCommittedWithoutAChange() {
        RunFolder run = new RunFolder("r1", DAY_1);
        StoredConfig stored = archive.store(run, "EDGE-RTR-01", "ios", null, EDGE, FETCHED_1);
        java.time.Instant before = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        String first = archive.commitRun(run, List.of(stored), "netsnap run r1").orElseThrow();
        String record = archive.commitRecord(run, archive.storedInRun(run), "restore R-1 of EDGE-RTR-01: REJECTED");

        assertThat(archive.version(first).orElseThrow().committed()).isAfterOrEqualTo(before);
        assertThat(record).isNotEqualTo(first);
        assertThat(archive.version(record).orElseThrow().message())
                .isEqualTo("restore R-1 of EDGE-RTR-01: REJECTED");
        assertThat(archive.headCommit()).isEqualTo(record);
        assertThat(archive.version("feedfacefeedface")).isEmpty();
    }

    @Test
    void theHistoryPathIsTheDeviceOrOneFileInItsContextFolder() {
        assertThat(Archive.historyPath("EDGE-RTR-01", null)).isEqualTo("EDGE-RTR-01.cfg");
        assertThat(Archive.historyPath("ASA-FW-01", "DMZ")).isEqualTo("ASA-FW-01/DMZ.cfg");
    }

    @Test
    void aCommitRecordsEachStoredDevicesPlatformSoReadingTheHistoryNeedsNoInventory() {
        RunFolder run = new RunFolder("r1", DAY_1);
        StoredConfig edge = archive.store(run, "EDGE-RTR-01", "ios", null, EDGE, FETCHED_1);
        StoredConfig dmz = archive.store(run, "ASA-FW-01", "asa", "DMZ", ACCESS, FETCHED_1);
        StoredConfig system = archive.store(run, "ASA-FW-01", "asa", "system", ACCESS, FETCHED_1);
        assertThat(archive.platformOf("EDGE-RTR-01")).as("not before the run's commit").isEmpty();

        archive.commitRun(run, List.of(edge, dmz, system), "netsnap run r1");

        assertThat(archive.platformOf("EDGE-RTR-01")).contains("ios");
        assertThat(archive.platformOf("ASA-FW-01")).contains("asa");
        assertThat(archive.platformOf("CORE-SW-01")).isEmpty();
        assertThat(archive.contextsOf("ASA-FW-01")).containsExactly("DMZ", "system");
        assertThat(archive.contextsOf("EDGE-RTR-01")).isEmpty();
        assertThat(archive.contextsOf("CORE-SW-01")).isEmpty();
    }

    @Test
    void eachVersionSaysWhetherItWasStoredMaskedSoThatARestoreCanRefuseIt() {
        RunFolder plainRun = new RunFolder("r1", DAY_1);
        String plain = archive.commitRun(plainRun, List.of(archive.store(plainRun, "EDGE-RTR-01", "ios", null, EDGE,
                FETCHED_1)), "netsnap run r1").orElseThrow();
        archive.destroy();
        archive = new Archive(new ArchiveProperties(root, true, java.time.Period.ofDays(30)));
        RunFolder maskedRun = new RunFolder("r2", DAY_2);
        String masked = archive.commitRun(maskedRun, List.of(archive.store(maskedRun, "EDGE-RTR-01", "ios", null,
                EDGE.replace("shutdown", "no shutdown"), FETCHED_2)), "netsnap run r2").orElseThrow();

        assertThat(archive.secretsMaskedAt(plain, "EDGE-RTR-01")).contains(false);
        assertThat(archive.secretsMaskedAt(masked, "EDGE-RTR-01")).contains(true);
        assertThat(archive.secretsMaskedAt(plain, "CORE-SW-01")).as("no record of it").isEmpty();
        assertThatThrownBy(() -> archive.secretsMaskedAt("0000000000ff", "EDGE-RTR-01"))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("no version '0000000000ff'");
    }

    @Test
    void aPlatformThatIsNotAPlatformKeyIsRefusedBeforeAnythingIsWritten() {
        RunFolder run = new RunFolder("r1", DAY_1);

        assertThatThrownBy(() -> archive.store(run, "EDGE-RTR-01", "../ios", null, EDGE, FETCHED_1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EDGE-RTR-01");
        assertThat(root.resolve("runs")).doesNotExist();
    }

    @Test
    void aDiffComparesTwoVersionsWithSecretsMaskedAndSaysWhenOnlySecretsDiffer() {
        java.util.function.UnaryOperator<String> mask = text -> text.replaceAll("(?m)^(snmp-server community) \\S+",
                "$1 <removed>");
        String first = EDGE.replace("end\n", "snmp-server community Old5ecret RO\nend\n");
        String second = first.replace("uplink to Zürich", "uplink to Basel").replace("Old5ecret", "New5ecret");
        String third = second.replace("New5ecret", "Newer5ecret");
        String v1 = commitEdge("r1", first);
        assertThat(archive.diff("EDGE-RTR-01.cfg", null, null, mask)).as("one version: nothing to compare").isEmpty();
        String v2 = commitEdge("r2", second);
        commitEdge("r3", third);

        MaskedDiff changed = archive.diff("EDGE-RTR-01.cfg", null, v2, mask).orElseThrow();
        MaskedDiff secretOnly = archive.diff("EDGE-RTR-01.cfg", null, null, mask).orElseThrow();

        assertThat(changed.lines()).startsWith("--- EDGE-RTR-01@" + v1.substring(0, 12),
                "+++ EDGE-RTR-01@" + v2.substring(0, 12));
        assertThat(changed.lines()).filteredOn(l -> l.matches("[-+][^-+].*"))
                .containsExactly("- description uplink to Zürich", "+ description uplink to Basel");
        assertThat(String.join("\n", changed.lines())).doesNotContain("5ecret");
        assertThat(changed.onlyMaskedSecretsDiffer()).isFalse();
        assertThat(secretOnly.lines()).isEmpty();
        assertThat(secretOnly.onlyMaskedSecretsDiffer()).isTrue();
        assertThatThrownBy(() -> archive.diff("EDGE-RTR-01.cfg", "0000000", v2, mask))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("no version '0000000'");
    }

    private String commitEdge(String runId, String text) {
        RunFolder run = new RunFolder(runId, DAY_1);
        return archive.commitRun(run, List.of(archive.store(run, "EDGE-RTR-01", "ios", null, text, FETCHED_1)),
                "netsnap run " + runId).orElseThrow();
    }

    // --- one commit per run ---------------------------------------------------------------------------------------

    @Test
    void aRunOfThreeDevicesIsOneCommitNamingTheRunWithOneFilePerDevice() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        List<StoredConfig> stored = storeAll(run, Map.of("EDGE-RTR-01", EDGE, "CORE-SW-01", CORE,
                "ACCESS-SW-01", ACCESS), FETCHED_1);

        Optional<String> commit = archive.commitRun(new RunFolder("run-1", DAY_1), stored, "netsnap run run-1: 3 changed");

        assertThat(commit).isPresent();
        assertThat(archive.headCommit()).isEqualTo(commit.get());
        try (Git git = Git.open(archive.historyDir().toFile())) {
            List<RevCommit> log = commits(git);
            assertThat(log).hasSize(1);
            assertThat(log.get(0).getName()).isEqualTo(commit.get());
            assertThat(log.get(0).getFullMessage()).contains("run-1");
            assertThat(treeOf(git.getRepository(), log.get(0))).containsOnly(
                    Map.entry("EDGE-RTR-01.cfg", EDGE),
                    Map.entry("CORE-SW-01.cfg", CORE),
                    Map.entry("ACCESS-SW-01.cfg", ACCESS));
            assertThat(git.status().call().isClean()).isTrue();
        }
    }

    @Test
    void aSecondRunWithIdenticalTextsChangesNothingAndMakesNoCommit() throws Exception {
        Map<String, String> configs = Map.of("EDGE-RTR-01", EDGE, "CORE-SW-01", CORE, "ACCESS-SW-01", ACCESS);
        String first = archive.commitRun(new RunFolder("run-1", DAY_1), storeAll(new RunFolder("run-1", DAY_1), configs, FETCHED_1),
                "netsnap run run-1").orElseThrow();

        List<StoredConfig> second = storeAll(new RunFolder("run-2", DAY_2), configs, FETCHED_2);
        Optional<String> commit = archive.commitRun(new RunFolder("run-2", DAY_2), second, "netsnap run run-2");

        assertThat(second).allSatisfy(stored -> {
            assertThat(stored.changed()).isFalse();
            assertThat(stored.linesAdded()).isZero();
            assertThat(stored.linesRemoved()).isZero();
        });
        assertThat(commit).isEmpty();
        assertThat(archive.headCommit()).isEqualTo(first);
        try (Git git = Git.open(archive.historyDir().toFile())) {
            assertThat(commits(git)).hasSize(1);
        }
        // the dated export is still written for every device, changed or not
        assertThat(second).allSatisfy(stored -> assertThat(root.resolve(stored.exportFile())).isRegularFile());
    }

    @Test
    void aSecondRunWithOneChangedDeviceCommitsOnlyThatDevice() throws Exception {
        String first = archive.commitRun(new RunFolder("run-1", DAY_1), storeAll(new RunFolder("run-1", DAY_1),
                Map.of("EDGE-RTR-01", EDGE, "CORE-SW-01", CORE, "ACCESS-SW-01", ACCESS), FETCHED_1),
                "netsnap run run-1").orElseThrow();
        // two lines changed (description, ip address) and one removed (shutdown)
        String edgeChanged = """
                hostname EDGE-RTR-01
                interface GigabitEthernet0/0
                 description uplink to Basel
                 ip address 192.0.2.2 255.255.255.0
                interface GigabitEthernet0/1
                ntp server 192.0.2.123
                end
                """;

        List<StoredConfig> second = storeAll(new RunFolder("run-2", DAY_2),
                Map.of("EDGE-RTR-01", edgeChanged, "CORE-SW-01", CORE, "ACCESS-SW-01", ACCESS), FETCHED_2);
        String commit = archive.commitRun(new RunFolder("run-2", DAY_2), second, "netsnap run run-2").orElseThrow();

        StoredConfig edge = byHistoryPath(second, "EDGE-RTR-01.cfg");
        assertThat(edge.changed()).isTrue();
        assertThat(edge.linesAdded()).isEqualTo(2);
        assertThat(edge.linesRemoved()).isEqualTo(3);
        assertThat(second).filteredOn(s -> !s.historyPath().equals("EDGE-RTR-01.cfg")).allSatisfy(s -> {
            assertThat(s.changed()).isFalse();
            assertThat(s.linesAdded()).isZero();
            assertThat(s.linesRemoved()).isZero();
        });
        try (Git git = Git.open(archive.historyDir().toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(commit));
            assertThat(head.getParentCount()).isEqualTo(1);
            assertThat(head.getParent(0).getName()).isEqualTo(first);
            RevCommit parent = walk.parseCommit(head.getParent(0));
            try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
                diff.setRepository(git.getRepository());
                List<DiffEntry> entries = diff.scan(parent.getTree(), head.getTree());
                assertThat(entries).singleElement().satisfies(entry -> {
                    assertThat(entry.getChangeType()).isEqualTo(DiffEntry.ChangeType.MODIFY);
                    assertThat(entry.getNewPath()).isEqualTo("EDGE-RTR-01.cfg");
                });
            }
            assertThat(treeOf(git.getRepository(), head)).containsEntry("EDGE-RTR-01.cfg", edgeChanged);
        }
        assertThat(archive.lastCommitted("EDGE-RTR-01.cfg")).contains(edgeChanged);
    }

    // --- crash safety ---------------------------------------------------------------------------------------------

    @Test
    void aCrashMidCommitIsRecoveredByTheNextRun() throws Exception {
        archive.commitRun(new RunFolder("run-1", DAY_1), storeAll(new RunFolder("run-1", DAY_1),
                Map.of("EDGE-RTR-01", EDGE, "CORE-SW-01", CORE, "ACCESS-SW-01", ACCESS), FETCHED_1),
                "netsnap run run-1").orElseThrow();
        // what a process killed between writing history files and committing leaves behind
        Path history = archive.historyDir();
        Path indexLock = history.resolve(".git/index.lock");
        Files.writeString(indexLock, "");
        Files.writeString(history.resolve("ACCESS-SW-01.cfg"), "hostname ACCESS-SW-01\nhalf-written\n");
        Files.writeString(history.resolve(".CORE-SW-01.cfg1234567.part"), "hostname CORE");

        String edgeChanged = EDGE.replace("ntp server 192.0.2.123", "ntp server 192.0.2.124");
        StoredConfig edge = archive.store(new RunFolder("run-2", DAY_2), "EDGE-RTR-01", "ios", null, edgeChanged,
                FETCHED_2);
        Optional<String> commit = archive.commitRun(new RunFolder("run-2", DAY_2), List.of(edge), "netsnap run run-2");

        assertThat(commit).isPresent();
        assertThat(indexLock).doesNotExist();
        assertThat(history.resolve("ACCESS-SW-01.cfg")).hasContent(ACCESS);
        assertThat(history.resolve(".CORE-SW-01.cfg1234567.part")).doesNotExist();
        try (Git git = Git.open(history.toFile())) {
            assertThat(git.status().call().isClean()).isTrue();
            List<RevCommit> log = commits(git);
            assertThat(log).hasSize(2);
            assertThat(treeOf(git.getRepository(), log.get(0))).containsOnly(
                    Map.entry("EDGE-RTR-01.cfg", edgeChanged),
                    Map.entry("CORE-SW-01.cfg", CORE),
                    Map.entry("ACCESS-SW-01.cfg", ACCESS));
        }
    }

    @Test
    void crashLeftoversAloneDoNotMakeAnEmptyCommit() throws Exception {
        Map<String, String> configs = Map.of("EDGE-RTR-01", EDGE, "CORE-SW-01", CORE);
        String first = archive.commitRun(new RunFolder("run-1", DAY_1), storeAll(new RunFolder("run-1", DAY_1), configs, FETCHED_1),
                "netsnap run run-1").orElseThrow();
        Files.writeString(archive.historyDir().resolve(".git/index.lock"), "");
        Files.writeString(archive.historyDir().resolve(".EDGE-RTR-01.cfg99.part"), "hostname");

        Optional<String> commit = archive.commitRun(new RunFolder("run-2", DAY_2), storeAll(new RunFolder("run-2", DAY_2), configs,
                FETCHED_2), "netsnap run run-2");

        assertThat(commit).isEmpty();
        assertThat(archive.headCommit()).isEqualTo(first);
        try (Git git = Git.open(archive.historyDir().toFile())) {
            assertThat(commits(git)).hasSize(1);
            assertThat(git.status().call().isClean()).isTrue();
        }
    }

    @Test
    void aCrashDuringTheFirstRunLeavesNothingForTheNextRunToCommit() throws Exception {
        archive.checkWritable(); // creates the empty history
        Path history = archive.historyDir();
        Files.writeString(history.resolve("CORE-SW-01.cfg"), CORE);
        try (Git git = Git.open(history.toFile())) {
            git.add().addFilepattern("CORE-SW-01.cfg").call(); // staged by the crashed run, never committed
        }
        Files.writeString(history.resolve(".git/index.lock"), "");

        StoredConfig edge = archive.store(new RunFolder("run-2", DAY_2), "EDGE-RTR-01", "ios", null, EDGE,
                FETCHED_2);
        archive.commitRun(new RunFolder("run-2", DAY_2), List.of(edge), "netsnap run run-2").orElseThrow();

        try (Git git = Git.open(history.toFile())) {
            List<RevCommit> log = commits(git);
            assertThat(log).hasSize(1);
            assertThat(treeOf(git.getRepository(), log.get(0))).containsOnly(Map.entry("EDGE-RTR-01.cfg", EDGE));
            assertThat(git.status().call().isClean()).isTrue();
        }
    }

    // --- concurrency ----------------------------------------------------------------------------------------------

    @Test
    void twentyDevicesStoredAtOnceAreCommittedTogether() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        List<String> devices = IntStream.rangeClosed(1, 20).mapToObj(i -> "SW-%02d".formatted(i)).toList();
        CountDownLatch start = new CountDownLatch(1);
        List<StoredConfig> stored = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(devices.size());
        try {
            List<Future<StoredConfig>> futures = new ArrayList<>();
            for (String device : devices) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return archive.store(run, device, "ios", null, configOf(device), FETCHED_1);
                }));
            }
            start.countDown();
            for (Future<StoredConfig> future : futures) {
                stored.add(future.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        String commit = archive.commitRun(new RunFolder("run-1", DAY_1), stored, "netsnap run run-1").orElseThrow();

        assertThat(stored).allSatisfy(s -> assertThat(s.changed()).isTrue());
        try (Git git = Git.open(archive.historyDir().toFile())) {
            List<RevCommit> log = commits(git);
            assertThat(log).hasSize(1);
            assertThat(log.get(0).getName()).isEqualTo(commit);
            Map<String, String> tree = treeOf(git.getRepository(), log.get(0));
            assertThat(tree).hasSize(20);
            devices.forEach(device -> assertThat(tree).containsEntry(device + ".cfg", configOf(device)));
        }
    }

    // --- run folder -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a b", "..", ".", "", "a/b", "a\\b", "-x", ".hidden", "x\n"})
    void aRunIdThatIsNotASafeFolderNameIsRejected(String runId) {
        assertThatThrownBy(() -> new RunFolder(runId, DAY_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a safe folder name");
    }

    /** Ids as RunStart makes them are RunStartTests' (aRunIdFromRunStartIsASafeFolderName). */
    @Test
    void aRunFolderIsRunsThenTheDateThenTheRunId() {
        assertThat(new RunFolder("20250314-020000-0a1b", DAY_1).relativePath())
                .isEqualTo("runs/2025-03-14/20250314-020000-0a1b");
    }

    // --- unwritable root ------------------------------------------------------------------------------------------

    @Test
    void aRootThatIsARegularFileFailsThePreflightNamingThePath() throws IOException {
        Path fileRoot = Files.writeString(tempDir.resolve("not-a-dir"), "x");
        Archive broken = new Archive(new ArchiveProperties(fileRoot, false, java.time.Period.ofDays(30)));
        try {
            assertThatThrownBy(broken::checkWritable)
                    .isInstanceOf(ArchiveException.class)
                    .hasMessageContaining(fileRoot.toString())
                    .hasMessageContaining("not writable");
            assertThatThrownBy(() -> broken.store(new RunFolder("r1", DAY_1), "EDGE-RTR-01", "ios", null, EDGE,
                    FETCHED_1))
                    .isInstanceOf(ArchiveException.class)
                    .hasMessageContaining(fileRoot.toString());
        } finally {
            broken.destroy();
        }
        assertThat(filesUnder(tempDir)).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
    }

    @Test
    void aFailedMoveIntoPlaceLeavesNoTemporaryFileBehind() throws IOException {
        RunFolder run = new RunFolder("r1", DAY_1);
        // the final name is taken by a non-empty directory, so the move of the temp file fails
        Path blocker = root.resolve("runs/2025-03-14/r1/EDGE-RTR-01_20250314_020501.cfg");
        Files.createDirectories(blocker);
        Files.writeString(blocker.resolve("inside"), "x");

        assertThatThrownBy(() -> archive.store(run, "EDGE-RTR-01", "ios", null, EDGE, FETCHED_1))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(blocker.toString());
        assertThat(filesUnder(tempDir)).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    List<StoredConfig> storeAll(RunFolder run, Map<String, String> configs, LocalDateTime fetchedAt) {
        return configs.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> archive.store(run, e.getKey(), "ios", null, e.getValue(), fetchedAt)).toList();
    }

    /**
     * The list of stored files reaches the commit through process variables: a forged entry must not copy another
     * file into the history, write outside it, or commit content other than what the run reported.
     */
    @Test
    void aCommitRefusesEntriesThatAreNotFilesTheRunStored() throws Exception {
        RunFolder run = new RunFolder("run-1", DAY_1);
        StoredConfig edge = archive.store(run, "EDGE-RTR-01", "ios", null, EDGE, FETCHED_1);
        Files.writeString(root.resolve("outside.txt"), "not a configuration");
        String head = archive.headCommit();

        for (StoredConfig forged : List.of(
                new StoredConfig(edge.historyPath(), "outside.txt", edge.sha256(), 1, true, 1, 0),
                new StoredConfig(edge.historyPath(), edge.exportFile().replace("run-1", "run-2"), edge.sha256(), 1,
                        true, 1, 0),
                new StoredConfig("../../escape.cfg", edge.exportFile(), edge.sha256(), 1, true, 1, 0),
                new StoredConfig("CORE-SW-01.cfg", edge.exportFile(), edge.sha256(), 1, true, 1, 0),
                new StoredConfig(edge.historyPath(), edge.exportFile(), "0".repeat(64), 1, true, 1, 0))) {
            assertThatThrownBy(() -> archive.commitRun(run, List.of(edge, forged), "netsnap run run-1"))
                    .as(forged.toString()).isInstanceOf(ArchiveException.class)
                    .hasMessageContaining("refusing to commit").hasMessageContaining("nothing was committed");
        }
        assertThat(archive.headCommit()).isEqualTo(head);
        assertThat(tempDir.resolve("escape.cfg")).doesNotExist();
        assertThat(archive.commitRun(run, List.of(edge), "netsnap run run-1")).isPresent();
    }

    static StoredConfig byHistoryPath(List<StoredConfig> stored, String historyPath) {
        return stored.stream().filter(s -> s.historyPath().equals(historyPath)).findFirst().orElseThrow();
    }

    static String configOf(String device) {
        return "hostname " + device + "\nvlan 10\n name users\nend\n";
    }

    static List<RevCommit> commits(Git git) throws Exception {
        List<RevCommit> log = new ArrayList<>();
        git.log().call().forEach(log::add);
        return log;
    }

    /** The configurations in a commit; the device records beside them are asserted on their own. */
    static Map<String, String> treeOf(Repository repo, RevCommit commit) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                if (walk.getPathString().startsWith(".devices/")) {
                    continue;
                }
                files.put(walk.getPathString(),
                        new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    static String sha256Of(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
