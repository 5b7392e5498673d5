package io.netsnap.lab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.springframework.context.ConfigurableApplicationContext;

import io.netsnap.cli.NetsnapCommand;
import io.netsnap.cli.OneShotRun;
import io.netsnap.cli.SpringSettings;
import io.netsnap.cli.Subcommand;
import io.netsnap.device.DeviceSessions;
import io.netsnap.lab.Lab;
import io.netsnap.workflow.RunLauncher;
import io.netsnap.workflow.RunTimeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netsnap bench}: N simulated IOS devices in the lab, one network-backup over them on the embedded engine, and
 * where the time and the machine went. {@code --direct} is the baseline without the engine; {@code --serve} only
 * serves the fleet, described for netsnap, RANCID, Ansible and netmiko. Part of the lab (it starts simulators), so it
 * joins the command line through {@code META-INF/services/io.netsnap.cli.Subcommand}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Start N simulated IOS devices and Vault on loopback, back them all up with one network-backup "
                + "on the embedded engine and print the wall time per phase, devices per second, per-device p50, p95 "
                + "and max, CPU seconds, peak heap and RSS. --direct: the same drivers over the same fleet on a plain "
                + "executor, without the engine (the baseline). --serve: only serve the fleet and write its inventory "
                + "for netsnap, RANCID, Ansible and netmiko into --out, until Ctrl-C. Exit code 0: every device backed "
                + "up, 1: some failed, 2: configuration error.")
public final class BenchCommand implements Subcommand {

    /** The engine's phases, by element id of network-backup, as the table names them. */
    private static final Map<String, String> PHASES = Map.of("Task_ResolveScope", "scope", "Task_Preflight",
            "preflight", "CallActivity_BackupDevices", "device phase", "Task_CommitHistory", "commit",
            "Task_Upload", "upload", "Task_ApplyRetention", "retention", "Task_WriteReport", "report",
            "Task_NotifyRunEnd", "notify");
    private static final String DEVICE_PHASE = "CallActivity_BackupDevices";

    @Spec
    CommandSpec spec;

    @Option(names = "--devices", defaultValue = "10", paramLabel = "N",
            description = "Simulated devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--config-kb", defaultValue = "30", paramLabel = "K",
            description = "Size of each running configuration in KB (default: ${DEFAULT-VALUE}).")
    int configKb;

    @Option(names = "--pace", defaultValue = "0", paramLabel = "PACE", converter = Pace.Converter.class,
            description = "How fast each device writes a command's output: bytes per second (50000 or 50000B/s), a "
                    + "wait after each line (2ms/line, 500us/line), or both (50000B/s,2ms/line); 0: the lab's "
                    + "pace, at most about 128 KB/s (default: ${DEFAULT-VALUE}).")
    Pace pace;

    @Option(names = "--login-ms", paramLabel = "MS",
            description = "Silence after login before the device greets (default: the IOS profile's, none).")
    Integer loginMs;

    @Option(names = "--direct", description = "Back the fleet up without the engine: the baseline.")
    boolean direct;

    @Option(names = "--serve", description = "Only serve the fleet, write its files into --out, wait for Ctrl-C.")
    boolean serve;

    @Option(names = "--out", paramLabel = "DIR", description = "With --serve: where the fleet's files go.")
    Path out;

    @Option(names = "--json", description = "Print the figures as a JSON document instead of the table.")
    boolean json;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Archive root, kept afterwards (default: a scratch folder, removed afterwards).")
    Path data;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "Longest wait for the run (default: "
            + "${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    SpringSettings settings;

    @Override
    public Integer call() throws IOException, InterruptedException {
        StartUp startUp = new StartUp();
        PrintWriter console = spec.commandLine().getOut();
        if (direct && serve) {
            throw new ParameterException(spec.commandLine(), "--direct and --serve exclude each other");
        }
        if (serve != (out != null)) {
            throw new ParameterException(spec.commandLine(), serve ? "--serve needs --out DIR"
                    : "--out goes with --serve");
        }
        Fleet fleet;
        try {
            fleet = new Fleet(devices, configKb, pace, loginMs == null ? null : Duration.ofMillis(loginMs));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String files = Fleet.openFilesProblem(devices, serve);
        if (files != null) {
            throw new ParameterException(spec.commandLine(), files);
        }
        Map<String, Object> given = settings.properties();
        String root = settings.shorthand(given, "--data", "netsnap.archive.root", data);
        Path scratch = root == null && !serve ? Files.createTempDirectory("netsnap-bench-") : null;
        Path archive = serve ? out.resolve("data") : scratch != null ? scratch : Path.of(root);
        given.put("netsnap.archive.root", archive.toString());
        // the table or the document only: progress lines would spoil the JSON
        PrintWriter progress = json ? new PrintWriter(java.io.Writer.nullWriter()) : console;
        try {
            progress.printf(Locale.ROOT, "Starting %d simulated IOS devices (%d KB configurations) and a Vault double "
                    + "on loopback...%n", fleet.devices(), fleet.configKb()).flush();
            long fleetStart = System.nanoTime();
            List<Lab.LabDevice> labDevices = fleet.labDevices();
            try (Lab lab = Lab.start(archive.resolve("lab"), labDevices)) {
                Duration fleetUp = Duration.ofNanos(System.nanoTime() - fleetStart);
                startUp.fleetUp();
                if (serve) {
                    return serve(console, lab, fleet, labDevices);
                }
                Map<String, Object> properties = new HashMap<>(lab.properties());
                if (direct) {
                    // no engine: a Camunda address where nothing listens, and a one-shot command starts no worker
                    properties.put("netsnap.engine.mode", "remote");
                    properties.put("camunda.client.grpc-address", "http://127.0.0.1:1");
                } else {
                    properties.put("netsnap.engine.mode", "embedded");
                }
                properties.putAll(given);
                progress.printf(Locale.ROOT, "Fleet up in %.2f s; starting netsnap%s...%n",
                        BenchReport.seconds(fleetUp), direct ? " without the engine" : "").flush();
                try (ConfigurableApplicationContext context = OneShotRun.start(properties)) {
                    startUp.contextReady();
                    DeviceSessions sessions = context.getBean(DeviceSessions.class);
                    progress.println("Backing up...");
                    progress.flush();
                    BenchReport report = direct ? direct(context, fleet, labDevices, sessions, startUp)
                            : engine(context, fleet, labDevices, sessions, startUp, console);
                    if (report == null) {
                        return NetsnapCommand.CONFIG_ERROR;
                    }
                    progress.println();
                    if (json) {
                        console.println(report.json());
                    } else {
                        report.print(console);
                    }
                    console.flush();
                    return report.failed() == 0 ? NetsnapCommand.OK : NetsnapCommand.DEVICE_FAILED;
                }
            }
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    private BenchReport engine(ConfigurableApplicationContext context, Fleet fleet, List<Lab.LabDevice> labDevices,
                               DeviceSessions sessions, StartUp startUp, PrintWriter console) {
        DeviceClock clock = new DeviceClock();
        context.addApplicationListener(clock);
        RunLauncher.Result result = context.getBean(RunLauncher.class).startAndWait(
                new RunLauncher.Request(null, List.of(), null, "netsnap bench"), timeout);
        Resources resources = Resources.now();
        if (result.abortReason() != null) {
            console.println("netsnap bench: the run was aborted before any device: " + result.abortReason());
            result.preflightProblems().forEach(problem -> console.println("  preflight: " + problem));
            return null;
        }
        RunTimeline.Timeline timeline = context.getBean(RunTimeline.class).of(result.processInstanceKey())
                .orElseThrow(() -> new IllegalStateException("the embedded engine has no records of run "
                        + result.runId()));
        Instant jvmStart = Resources.jvmStart();
        List<BenchReport.Phase> phases = new ArrayList<>();
        phases.add(new BenchReport.Phase("start-up", Duration.between(jvmStart, timeline.run().start()),
                "JVM start to the run's first record (START-UP below)"));
        Duration steps = Duration.ZERO;
        for (Map.Entry<String, RunTimeline.Span> step : timeline.steps().entrySet()) {
            phases.add(new BenchReport.Phase(PHASES.get(step.getKey()), step.getValue().duration(),
                    step.getKey()));
            steps = steps.plus(step.getValue().duration());
        }
        phases.add(new BenchReport.Phase("between steps", timeline.run().duration().minus(steps),
                "the engine moving the token on"));
        RunTimeline.Span devicePhase = timeline.steps().get(DEVICE_PHASE);
        return new BenchReport("engine", fleet, Fleet.averageBytes(labDevices), caps(sessions), phases,
                Duration.between(jvmStart, timeline.run().end()), result.counts().ok(), result.counts().failed(),
                devicePhase == null ? Duration.ZERO : devicePhase.duration(), clock.durations(result.runId()),
                timeline.devices().stream().map(RunTimeline.Span::duration).toList(), resources,
                startUp.engine(context, timeline, clock.first()));
    }

    private BenchReport direct(ConfigurableApplicationContext context, Fleet fleet, List<Lab.LabDevice> labDevices,
                               DeviceSessions sessions, StartUp startUp) throws InterruptedException {
        int threads = sessions.max();
        double cpuBefore = Resources.processCpuSeconds();
        DirectRun.Outcome outcome = DirectRun.run(context, threads, timeout);
        Resources resources = Resources.now();
        Instant jvmStart = Resources.jvmStart();
        Duration startedAfter = Duration.between(jvmStart, outcome.started());
        List<BenchReport.Phase> phases = List.of(
                new BenchReport.Phase("start-up", startedAfter, "JVM start to the first device (START-UP below)"),
                new BenchReport.Phase("device phase", outcome.devices(), "a fixed pool of " + threads + " threads"),
                new BenchReport.Phase("commit", outcome.commit(), "one history commit"));
        return new BenchReport("direct", fleet, Fleet.averageBytes(labDevices), caps(sessions), phases,
                startedAfter.plus(outcome.devices()).plus(outcome.commit()), outcome.ok(), outcome.failed(),
                outcome.devices(), outcome.perDevice(), List.of(), resources,
                startUp.direct(outcome.started(), cpuBefore));
    }

    /** The caps in effect and the peak, read after the run. */
    private static BenchReport.Sessions caps(DeviceSessions sessions) {
        return new BenchReport.Sessions(sessions.max(), sessions.perCredentials(), sessions.peak());
    }

    private int serve(PrintWriter console, Lab lab, Fleet fleet, List<Lab.LabDevice> labDevices) throws IOException {
        List<Path> files = OtherTools.write(lab, labDevices, lab.properties(), out);
        int low = Integer.MAX_VALUE;
        int high = 0;
        for (int i = 1; i <= fleet.devices(); i++) {
            int port = lab.simulator(Fleet.name(i)).port();
            low = Math.min(low, port);
            high = Math.max(high, port);
        }
        console.printf(Locale.ROOT, "Serving %d simulated IOS devices on 127.0.0.1, ports %d to %d (user %s), "
                + "output %s.%n", fleet.devices(), low, high, Lab.USERNAME, fleet.pace().describe());
        console.println("Written in " + out.toAbsolutePath().normalize() + ":");
        for (Path file : files) {
            console.println("  " + file.getFileName() + (OtherTools.PRIVATE.contains(file.getFileName().toString())
                    ? "   (holds the lab-only password: mode 0600)" : ""));
        }
        console.println("netsnap itself: netsnap backup --wait --spring.config.additional-location=file:"
                + out.toAbsolutePath().normalize().resolve(OtherTools.NETSNAP) + " (the lab's Vault double at "
                + lab.properties().get("netsnap.vault.address") + ")");
        console.println("The other tools: bench/compare/compare " + out.toAbsolutePath().normalize()
                + " P (see docs/performance.md)");
        console.println("Ctrl-C stops the fleet.");
        console.flush();
        try {
            // until the process is stopped, or the thread interrupted (a test)
            new CountDownLatch(1).await();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
        return NetsnapCommand.OK;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a scratch folder left behind in the temporary directory is no failure of the bench
        }
    }
}
