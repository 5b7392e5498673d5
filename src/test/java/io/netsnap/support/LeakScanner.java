package io.netsnap.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** Asserts that none of the lab's secrets appears in a text, a file or a folder of files. */
public final class LeakScanner {

    private final Collection<String> secrets;

    public LeakScanner(Collection<String> secrets) {
        assertThat(secrets).as("the lab must have secrets to look for").isNotEmpty()
                .allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(8));
        this.secrets = List.copyOf(secrets);
    }

    public void assertClean(String where, String text) {
        for (String secret : secrets) {
            // never print the secret itself in a failure message either
            assertThat(text.contains(secret)).as("a lab secret appears in %s", where).isFalse();
        }
    }

    /**
     * Scans a file, or every file under a folder. A path that does not exist, or a folder without a file, fails: a
     * scan of nothing proves nothing.
     */
    public void assertClean(Path fileOrFolder) {
        assertThat(fileOrFolder).as("what to scan for lab secrets").exists();
        try (Stream<Path> files = Files.isDirectory(fileOrFolder) ? Files.walk(fileOrFolder) : Stream.of(fileOrFolder)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            assertThat(regular).as("files to scan for lab secrets in %s", fileOrFolder).isNotEmpty();
            for (Path file : regular) {
                assertClean(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
