package io.netsnap.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;

/** Uploads against a real OpenSSH sshd on loopback (see {@link OpenSshServer}). */
class RunUploaderSshdTests {

    @RegisterExtension
    static final OpenSshServer SSHD = new OpenSshServer();

    private static final String VAULT_PATH = "backup/offsite";
    private static final String RUN = "2025-03-14/20250314-020000-ab12";

    @TempDir
    Path temp;

    Path run;
    Path server;

    @BeforeEach
    void runFolder() throws IOException {
        run = Files.createDirectories(temp.resolve("run"));
        Files.writeString(run.resolve("EDGE-RTR-01_20250314_020001.cfg"), "hostname EDGE-RTR-01\n");
        Files.writeString(run.resolve("ASA-FW-01_DMZ_20250314_020003.cfg"), "hostname DMZ\n".repeat(500));
        Files.writeString(run.resolve("manifest.json"), "{\"runId\":\"20250314-020000-ab12\"}\n");
        server = Files.createDirectories(temp.resolve("server"));
    }

    @Test
    void uploadsEveryFileVerifiedAndARetrySendsOnlyWhatIsMissing() throws IOException {
        RunUploader uploader = uploader(SSHD.port(), server.resolve("netbackups"), SSHD.knownHosts());

        UploadResult first = uploader.upload(run, RUN);

        assertThat(first.uploaded()).isTrue();
        assertThat(first.verified()).isTrue();
        assertThat(first.files()).isEqualTo(3);
        assertThat(first.sent()).isEqualTo(3);
        assertThat(first.bytes()).isEqualTo(folderBytes(run));
        assertThat(first.target()).doesNotContain(SSHD.user() + "@");
        Path uploaded = server.resolve("netbackups").resolve(RUN);
        assertSameFiles(run, uploaded);

        UploadResult again = uploader.upload(run, RUN);
        assertThat(again.uploaded()).isTrue();
        assertThat(again.sent()).isZero();
        assertThat(again.bytes()).isZero();
        assertSameFiles(run, uploaded);

        // a previous attempt that broke off: one file missing, one truncated, a stale .part left behind
        Files.delete(uploaded.resolve("manifest.json"));
        Files.writeString(uploaded.resolve("ASA-FW-01_DMZ_20250314_020003.cfg"), "hostname DMZ\n");
        Files.writeString(uploaded.resolve("manifest.json.part"), "{\"run");
        UploadResult retry = uploader.upload(run, RUN);
        assertThat(retry.sent()).isEqualTo(2);
        assertSameFiles(run, uploaded);
    }

    @Test
    void aChangedHostKeyRefusesTheUploadBeforeAnythingIsWritten() throws IOException {
        RunUploader uploader = uploader(SSHD.port(), server.resolve("netbackups"), SSHD.previousKnownHosts());

        assertThatThrownBy(() -> uploader.upload(run, RUN))
                .isInstanceOfSatisfying(UploadException.HostKeyMismatch.class, e -> {
                    assertThat(e.code()).isEqualTo("HOST_KEY_MISMATCH");
                    assertThat(e.transientFault()).isFalse();
                    assertThat(e.getMessage()).contains("HOST KEY CHANGED", "127.0.0.1:" + SSHD.port());
                });
        assertThat(server.resolve("netbackups")).doesNotExist();
    }

    @Test
    void aServerMissingFromKnownHostsIsRefusedToo() throws IOException {
        Path empty = Files.writeString(temp.resolve("known_hosts"), "");
        RunUploader uploader = uploader(SSHD.port(), server.resolve("netbackups"), empty);

        assertThatThrownBy(() -> uploader.upload(run, RUN))
                .isInstanceOfSatisfying(UploadException.HostKeyMismatch.class,
                        e -> assertThat(e.getMessage()).contains("is not in " + empty));
        assertThat(server.resolve("netbackups")).doesNotExist();
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsAuthFailed() throws IOException {
        RunUploader uploader = new RunUploader(properties(SSHD.port(), server.resolve("netbackups"),
                SSHD.knownHosts()), vault(SSHD.strangerPrivateKey()));

        assertThatThrownBy(() -> uploader.upload(run, RUN))
                .isInstanceOfSatisfying(UploadException.AuthFailed.class, e -> {
                    assertThat(e.code()).isEqualTo("AUTH_FAILED");
                    assertThat(e.getMessage()).contains("refused the login of user " + SSHD.user());
                });
    }

    @Test
    void aFolderTheAccountMayNotWriteIsPermissionDeniedAndLeavesNoFile() throws IOException {
        Path target = Files.createDirectories(server.resolve("netbackups").resolve(RUN));
        RunUploader uploader = uploader(SSHD.readOnlyPort(), server.resolve("netbackups"), SSHD.knownHosts());

        assertThatThrownBy(() -> uploader.upload(run, RUN))
                .isInstanceOfSatisfying(UploadException.PermissionDenied.class, e -> {
                    assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
                    assertThat(e.getMessage()).contains("permission denied", ".part");
                });
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void preflightProbesTheTargetAndLeavesNothingBehind() throws IOException {
        Path writable = server.resolve("netbackups");
        UploadTargetCheck check = new UploadTargetCheck(uploader(SSHD.port(), writable, SSHD.knownHosts()));
        assertThat(check.problems(java.util.List.of())).isEmpty();
        try (Stream<Path> files = Files.list(writable)) {
            assertThat(files).as("the probe file is deleted").isEmpty();
        }

        Files.createDirectories(server.resolve("readonly"));
        UploadTargetCheck readOnly = new UploadTargetCheck(uploader(SSHD.readOnlyPort(), server.resolve("readonly"),
                SSHD.knownHosts()));
        assertThat(readOnly.problems(java.util.List.of())).singleElement().asString()
                .startsWith("upload target: PERMISSION_DENIED");
    }

    @Test
    void aFullDiskIsReportedAsSuchAndNoPartialFileKeepsAFinalName() throws Exception {
        Path small = Files.createDirectories(server.resolve("small"));
        mount("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString());
        try {
            Files.write(run.resolve("flash.tar.gz"), new byte[512 * 1024]);
            RunUploader uploader = uploader(SSHD.port(), small.resolve("netbackups"), SSHD.knownHosts());

            // three sessions at once: which file meets the full disk first is theirs to race for; small files that
            // meet it are refused when JSch waits for the answer, which must not hang the upload
            assertThatThrownBy(() -> uploader.upload(run, RUN))
                    .isInstanceOfSatisfying(UploadException.DiskFull.class, e -> {
                        assertThat(e.code()).isEqualTo("DISK_FULL");
                        assertThat(e.getMessage()).contains("disk full").containsPattern("\\.(cfg|gz|json)\\.part");
                    });
            Path target = small.resolve("netbackups").resolve(RUN);
            assertThat(target.resolve("flash.tar.gz")).doesNotExist();
            try (Stream<Path> left = Files.list(target)) {
                for (Path file : left.toList()) {
                    // no unfinished file is left behind, and what has its final name is whole
                    assertThat(file.getFileName().toString()).doesNotEndWith(".part");
                    assertThat(file).hasSameBinaryContentAs(run.resolve(file.getFileName()));
                }
            }
        } finally {
            mount("umount", small.toString());
        }
    }

    @Test
    void retentionRemovesOnlyDatedFoldersOlderThanTheCutoff() throws IOException {
        Path root = server.resolve("netbackups");
        Files.createDirectories(root.resolve("2025-01-01/20250101-020000-aaaa"));
        Files.writeString(root.resolve("2025-01-01/20250101-020000-aaaa/R1_20250101_020001.cfg"), "hostname R1\n");
        Files.createDirectories(root.resolve("2025-02-13/20250213-020000-bbbb"));
        Files.createDirectories(root.resolve("2025-02-14/20250214-020000-cccc"));
        Files.createDirectories(root.resolve("not-a-date"));
        RunUploader uploader = uploader(SSHD.port(), root, SSHD.knownHosts());

        List<String> removed = uploader.removeFoldersBefore(LocalDate.parse("2025-02-14"));

        assertThat(removed).containsExactlyInAnyOrder("2025-01-01", "2025-02-13");
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("2025-02-14",
                    "not-a-date");
        }
    }

    private RunUploader uploader(int port, Path folder, Path knownHosts) throws IOException {
        return new RunUploader(properties(port, folder, knownHosts), vault(SSHD.userPrivateKey()));
    }

    private static UploadProperties properties(int port, Path folder, Path knownHosts) {
        return new UploadProperties("sftp://" + SSHD.user() + "@127.0.0.1:" + port + folder, VAULT_PATH,
                knownHosts, Duration.ofSeconds(20), 3);
    }

    static CredentialsProvider vault(String privateKey) {
        return new StaticCredentials(Map.of(VAULT_PATH, new Credentials("ignored", null, null, privateKey)));
    }

    private static long folderBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static void assertSameFiles(Path local, Path remote) throws IOException {
        try (Stream<Path> expected = Files.list(local); Stream<Path> actual = Files.list(remote)) {
            assertThat(actual.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(expected.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> files = Files.list(local)) {
            for (Path file : files.toList()) {
                assertThat(remote.resolve(file.getFileName())).hasSameBinaryContentAs(file);
            }
        }
    }

    private static void mount(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("%s (a small tmpfs is the full disk; the tests need root for it): %s", String.join(" ", command),
                        out)
                .isTrue();
    }

    /** Credentials as Vault would return them, without Vault: the upload code only sees the provider. */
    record StaticCredentials(Map<String, Credentials> byPath) implements CredentialsProvider {
        @Override
        public Credentials forPath(String path) {
            Credentials credentials = byPath.get(path);
            if (credentials == null) {
                throw new IllegalArgumentException("no test credentials at " + path);
            }
            return credentials;
        }

        @Override
        public void check() {
        }
    }
}
