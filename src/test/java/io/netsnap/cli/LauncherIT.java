package io.netsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./netsnap} launcher's class-data-sharing archive: made by the first run of a command that starts the
 * application, used by the next, and never a reason not to run. On the packaged jar ({@code target/netsnap.jar}), run
 * as it is ({@code NETSNAP_JAR}): an integration test, which Maven runs after {@code package} ({@code ./mvnw verify}).
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("netsnap").toAbsolutePath();
    private static final Path JAR = Path.of("target", "netsnap.jar").toAbsolutePath();

    @TempDir
    Path temp;

    @Test
    void theFirstRunOfABackupWritesTheArchiveAndTheNextLoadsNetsnapsClassesFromIt() throws Exception {
        assertThat(JAR).as("the packaged jar: ./mvnw verify builds it before this test").isRegularFile();
        Path cache = temp.resolve("cache");

        Result first = launch(Map.of("NETSNAP_CACHE_DIR", cache.toString()), "bench", "--devices", "1",
                "--config-kb", "1");

        assertThat(first.exit()).as(first.output()).isZero();
        Path folder = onlyFolder(cache);
        assertThat(folder.getFileName().toString()).startsWith("cds-");
        assertThat(folder.resolve("app").resolve("netsnap.jar")).isRegularFile();
        assertThat(folder.resolve("app").resolve("lib")).isDirectory();
        Path archive = folder.resolve("netsnap.jsa");
        assertThat(archive).isRegularFile();
        long written = Files.getLastModifiedTime(archive).toMillis();

        Path classes = temp.resolve("classes.log");
        Result second = launch(Map.of("NETSNAP_CACHE_DIR", cache.toString(),
                "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classes), "bench", "--devices", "1",
                "--config-kb", "1");

        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(onlyFolder(cache)).as("the same build and JDK: the same folder").isEqualTo(folder);
        assertThat(Files.getLastModifiedTime(archive).toMillis()).as("the archive still matched").isEqualTo(written);
        List<String> loaded = Files.readAllLines(classes, StandardCharsets.UTF_8);
        assertThat(loaded).anyMatch(line -> line.contains("io.netsnap.cli.NetsnapCommand ")
                && line.contains("shared objects file"));
        assertThat(loaded).anyMatch(line -> line.contains("io.camunda.zeebe.") && line.contains("shared objects file"));
    }

    @Test
    void aHelpTextOrAUsageErrorLeavesNoArchiveToLaterRuns() throws Exception {
        assertThat(JAR).as("the packaged jar: ./mvnw verify builds it before this test").isRegularFile();
        Path cache = temp.resolve("cache");

        Result help = launch(Map.of("NETSNAP_CACHE_DIR", cache.toString()), "bench", "--help");
        Result usage = launch(Map.of("NETSNAP_CACHE_DIR", cache.toString()), "bench", "--devices", "0");

        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: netsnap bench");
        assertThat(usage.exit()).as(usage.output()).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(onlyFolder(cache).resolve("netsnap.jsa")).doesNotExist();
    }

    @Test
    void aCacheThatCannotBeMadeOnlyMeansRunningTheJarAsItIs() throws Exception {
        assertThat(JAR).as("the packaged jar: ./mvnw verify builds it before this test").isRegularFile();
        Path notAFolder = Files.writeString(temp.resolve("file"), "a file where the cache would go");

        Result run = launch(Map.of("NETSNAP_CACHE_DIR", notAFolder.resolve("cache").toString()), "bench", "--devices",
                "1", "--config-kb", "1");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("1 backed up, 0 failed").doesNotContainIgnoringCase("shared archive")
                .doesNotContain("CDS");
        assertThat(Files.readString(notAFolder)).isEqualTo("a file where the cache would go");
    }

    @Test
    void withClassDataSharingOffNothingIsCached() throws Exception {
        assertThat(JAR).as("the packaged jar: ./mvnw verify builds it before this test").isRegularFile();
        Path cache = temp.resolve("cache");

        Result run = launch(Map.of("NETSNAP_CACHE_DIR", cache.toString(), "NETSNAP_CDS", "off"), "--version");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).startsWith("netsnap ");
        assertThat(cache).doesNotExist();
    }

    private static Path onlyFolder(Path cache) throws IOException {
        try (Stream<Path> entries = Files.list(cache)) {
            List<Path> folders = entries.filter(Files::isDirectory).toList();
            assertThat(folders).hasSize(1);
            return folders.get(0);
        }
    }

    private record Result(int exit, String output) {
    }

    private Result launch(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("out.txt").toFile());
        builder.environment().put("NETSNAP_JAR", JAR.toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not end: " + Files.readString(temp.resolve("out.txt")));
        }
        return new Result(process.exitValue(), Files.readString(temp.resolve("out.txt")));
    }
}
