package io.netsnap.workflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code netsnap engine} in a JVM of its own, on the test classpath: the engine replicas reach over gRPC as they would
 * a remote cluster. {@link #close()} stops it as an operator would (SIGTERM), after which its records are in
 * {@link #records()}.
 */
final class EngineProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("serving on (\\S+):(\\d+) ");

    private final Process process;
    private final Path records;
    private final StringBuffer output = new StringBuffer();
    private final int port;

    private EngineProcess(Process process, Path records, Duration startTimeout) {
        this.process = process;
        this.records = records;
        Thread reader = new Thread(this::drain, "engine-process-output");
        reader.setDaemon(true);
        reader.start();
        long until = System.nanoTime() + startTimeout.toNanos();
        Matcher ready;
        while (!(ready = READY.matcher(output)).find()) {
            if (!process.isAlive() || System.nanoTime() > until) {
                process.destroyForcibly();
                throw new IllegalStateException("netsnap engine did not start: " + output);
            }
            sleep();
        }
        this.port = Integer.parseInt(ready.group(2));
    }

    /** Starts the engine on loopback and a free port; its records go to {@code records} when it stops. */
    static EngineProcess start(Path records) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), io.netsnap.cli.NetsnapCommand.class.getName(),
                "engine", "--port", "0", "--records", records.toString());
        try {
            return new EngineProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), records,
                    Duration.ofMinutes(2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gateway, as {@code camunda.client.grpc-address} takes it. */
    String address() {
        return "http://127.0.0.1:" + port;
    }

    /** What the engine printed (console and log) so far. */
    String output() {
        return output.toString();
    }

    /** Every record the engine kept, one JSON document a line: there once the engine was closed. */
    List<String> records() {
        try {
            return Files.readAllLines(records, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("(output lost: ").append(e).append(")\n");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
