package io.netsnap.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner itself: it finds a secret, and a scan of nothing is a failure, not a pass. */
class LeakScannerTests {

    private static final String SECRET = "lab-secret-4711";

    private final LeakScanner scanner = new LeakScanner(List.of(SECRET));

    @TempDir
    Path folder;

    @Test
    void aSecretInAFileUnderTheFolderFailsWithoutShowingTheSecret() throws IOException {
        Files.writeString(Files.createDirectories(folder.resolve("runs/2026-01-01")).resolve("report.json"),
                "{\"password\":\"" + SECRET + "\"}");

        assertThatThrownBy(() -> scanner.assertClean(folder)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("report.json").message().doesNotContain(SECRET);
    }

    @Test
    void aFolderOfCleanFilesPasses() throws IOException {
        Files.writeString(folder.resolve("manifest.json"), "{\"device\":\"EDGE-RTR-01\"}");

        assertThatCode(() -> scanner.assertClean(folder)).doesNotThrowAnyException();
        assertThatCode(() -> scanner.assertClean(folder.resolve("manifest.json"))).doesNotThrowAnyException();
    }

    @Test
    void aPathThatDoesNotExistFails() {
        Path missing = folder.resolve("logs");

        assertThatThrownBy(() -> scanner.assertClean(missing)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aFolderWithoutFilesFails() throws IOException {
        Files.createDirectories(folder.resolve("empty/inner"));

        assertThatThrownBy(() -> scanner.assertClean(folder.resolve("empty"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("files to scan");
    }
}
