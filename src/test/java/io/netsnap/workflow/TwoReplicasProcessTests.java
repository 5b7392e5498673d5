package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.NetsnapApplication;
import io.netsnap.backup.DeviceBackedUp;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.DeviceStepStarted;
import io.netsnap.lab.ConductorSimulator;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.support.LeakScanner;

/**
 * Remote mode with two replicas: {@code netsnap engine} in a JVM of its own, two netsnap Spring contexts in this one
 * (each its own workers, SSH connector and conductor sessions, as two replicas have) against it over gRPC, sharing
 * one archive root, and two runs of the same fleet started at once, one from each replica.
 *
 * <p>To make conductor steps cross replicas on every run rather than by chance, replica A does not serve three of the
 * conductor's REST steps and replica B does not serve the other four: login on A, copy_running_flash and flash_backup
 * on B, copy_flash_scp on A, tar_flash_clean on B, the fetch and logout on A. Every device step is served by both.
 */
class TwoReplicasProcessTests {

    private static final List<String> SSH_DEVICES = List.of("EDGE-RTR-01", "EDGE-RTR-02", "ASA-FW-01");
    private static final List<String> CONDUCTORS = List.of("MC-01", "MC-02");

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            new Lab.LabDevice("EDGE-RTR-02", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-02", 2)),
            Lab.LabDevice.asa("ASA-FW-01", List.of("admin", "DMZ", "BACKEND")),
            Lab.LabDevice.conductor("MC-01", 21),
            Lab.LabDevice.conductor("MC-02", 22));
    private static final Lab LAB = SETUP.lab();

    private static EngineProcess engine;
    private static final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

    @AfterAll
    static void stop() {
        replicas.forEach(ConfigurableApplicationContext::close);
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void twoReplicasBackEveryDeviceUpOncePerRunWithNeverTwoSessionsToADeviceAndConductorStepsCrossingReplicas()
            throws Exception {
        engine = EngineProcess.start(SETUP.data().resolve("engine-records.jsonl"));
        Events a = new Events();
        Events b = new Events();
        // both start, and deploy, at the same time
        CompletableFuture<ConfigurableApplicationContext> startA = CompletableFuture.supplyAsync(() -> replica(a,
                Processes.JOB_ARUBA_COPY_RUNNING_FLASH, Processes.JOB_ARUBA_FLASH_BACKUP,
                Processes.JOB_ARUBA_TAR_FLASH_CLEAN));
        CompletableFuture<ConfigurableApplicationContext> startB = CompletableFuture.supplyAsync(() -> replica(b,
                Processes.JOB_ARUBA_LOGIN, Processes.JOB_ARUBA_COPY_FLASH_SCP, Processes.JOB_ARUBA_FETCH_CONFIG,
                Processes.JOB_ARUBA_LOGOUT));
        ConfigurableApplicationContext replicaA = startA.join();
        ConfigurableApplicationContext replicaB = startB.join();

        // one deployment: the same keys on both replicas
        Long keyA = replicaA.getBean(DeployedProcesses.class).keyOf(Processes.NETWORK_BACKUP).orElseThrow();
        assertThat(replicaB.getBean(DeployedProcesses.class).keyOf(Processes.NETWORK_BACKUP)).hasValue(keyA);

        // two runs of the whole fleet, overlapping: one started on each replica
        CompletableFuture<RunLauncher.Result> first = CompletableFuture.supplyAsync(() -> run(replicaA));
        CompletableFuture<RunLauncher.Result> second = CompletableFuture.supplyAsync(() -> run(replicaB));
        List<RunLauncher.Result> runs = List.of(first.join(), second.join());

        List<String> fleet = Stream.concat(SSH_DEVICES.stream(), CONDUCTORS.stream()).toList();
        for (RunLauncher.Result run : runs) {
            assertThat(run.outcome()).as(run.toString()).isEqualTo("OK");
            assertThat(run.results()).extracting(DeviceResult::device).containsExactlyInAnyOrderElementsOf(fleet);
            assertThat(run.results()).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo("OK"));
            assertThat(ProcessLab.resultOf(run, "ASA-FW-01").contexts()).extracting(DeviceResult::context)
                    .containsExactlyInAnyOrder("system", "admin", "DMZ", "BACKEND");
            // each device's backup ended exactly once in this run, on one replica or the other
            List<String> ended = Stream.concat(a.backedUp(run.runId()), b.backedUp(run.runId())).toList();
            assertThat(ended).as("devices backed up in " + run.runId()).containsExactlyInAnyOrderElementsOf(fleet);
        }
        assertThat(runs.get(0).runId()).isNotEqualTo(runs.get(1).runId());

        // both replicas worked, and every conductor's steps ran on both in each run
        for (RunLauncher.Result run : runs) {
            for (String conductor : CONDUCTORS) {
                assertThat(a.stepsOf(run.runId())).as("replica A, " + run.runId()).contains(conductor);
                assertThat(b.stepsOf(run.runId())).as("replica B, " + run.runId()).contains(conductor);
            }
        }

        // what the devices saw: never two sessions at once, overlapping runs and replicas notwithstanding
        for (String device : SSH_DEVICES) {
            assertThat(LAB.simulator(device).sessionsOpened()).as(device).isGreaterThanOrEqualTo(2);
            assertThat(LAB.simulator(device).mostSessionsAtOnce()).as(device + ": sessions at once").isEqualTo(1);
        }
        for (String name : CONDUCTORS) {
            ConductorSimulator conductor = LAB.conductor(name);
            assertThat(conductor.mostSessionsAtOnce()).as(name + ": sessions at once").isEqualTo(1);
            assertThat(conductor.liveSessions()).as(name + ": sessions left open").isZero();
            // per run: the login on A, then one on purpose at each of the four steps that changed replica; and each
            // run's preflight logs in (and out) once to the first conductor with the credentials path, MC-01
            int preflights = name.equals("MC-01") ? 2 : 0;
            assertThat(conductor.logins()).as(name + ": logins").isEqualTo(2 * 5 + preflights);
            assertThat(conductor.logouts()).as(name + ": logouts").isEqualTo(conductor.logins());
        }
        try (Stream<Path> leases = Files.list(SETUP.data().resolve("state/leases"))) {
            assertThat(leases.map(p -> p.getFileName().toString())).as("leases left behind")
                    .noneMatch(name -> name.endsWith(".lease"));
        }

        replicas.forEach(ConfigurableApplicationContext::close);
        replicas.clear();
        engine.close();

        // one version of each model and form, although both replicas deployed them at once
        Map<String, Set<Integer>> versions = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : engine.records()) {
            JsonNode record = json.readTree(line);
            String type = record.path("valueType").asText();
            if (record.path("intent").asText().equals("CREATED") && (type.equals("PROCESS") || type.equals("FORM"))) {
                JsonNode value = record.path("value");
                String id = type.equals("PROCESS") ? value.path("bpmnProcessId").asText() : value.path("formId")
                        .asText();
                versions.computeIfAbsent(id, key -> new HashSet<>()).add(value.path("version").asInt());
            }
        }
        assertThat(versions).containsKeys(Processes.NETWORK_BACKUP, "device-backup", "config-restore")
                .allSatisfy((id, created) -> assertThat(created).as(id).containsExactly(1));

        // no secret, session id or CSRF token in the engine's records or output, the logs or the exports
        Set<String> secrets = new HashSet<>(LAB.secrets());
        CONDUCTORS.forEach(name -> secrets.addAll(LAB.conductor(name).issuedTokens()));
        LeakScanner scanner = new LeakScanner(secrets);
        scanner.assertClean("the engine's records", String.join("\n", engine.records()));
        scanner.assertClean("the engine's output", engine.output());
        scanner.assertClean(SETUP.data().resolve("state"));
        scanner.assertClean(SETUP.data().resolve("logs"));
    }

    /** A run of the whole fleet from this replica; two overlapping runs on a shared machine take longer than one. */
    private static RunLauncher.Result run(ConfigurableApplicationContext replica) {
        return replica.getBean(RunLauncher.class).startAndWait(new RunLauncher.Request(null, List.of(), null,
                "two replicas"), ProcessLab.RUN_TIMEOUT.multipliedBy(3));
    }

    /** A replica: remote mode against the engine process, the shared archive, without the given job types. */
    private static ConfigurableApplicationContext replica(Events events, String... notServed) {
        Map<String, Object> properties = new HashMap<>(SETUP.properties());
        properties.put("netsnap.engine.mode", "remote");
        properties.put("camunda.client.grpc-address", engine.address());
        properties.put("camunda.client.rest-address", engine.address());
        properties.put("camunda.client.auth.method", "none");
        // the first deployment compiles the models: on a busy machine that outlasts the default 10 s
        properties.put("camunda.client.request-timeout", "PT2M");
        properties.put("netsnap.lease.ttl", "PT10S");
        properties.put("netsnap.lease.poll", "PT0.2S");
        for (String type : notServed) {
            properties.put("camunda.client.worker.override[" + type + "].enabled", "false");
        }
        // as command-line arguments, which outrank application.yaml (as netsnap's own commands pass them)
        ConfigurableApplicationContext context = new SpringApplicationBuilder(NetsnapApplication.class)
                .listeners(ApplicationListener.forPayload(events.ended), ApplicationListener.forPayload(events.steps))
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        synchronized (replicas) {
            replicas.add(context);
        }
        return context;
    }

    /** What one replica announced: device backups ended, device steps started. */
    private static final class Events {
        final List<DeviceBackedUp> endedList = Collections.synchronizedList(new ArrayList<>());
        final List<DeviceStepStarted> stepList = Collections.synchronizedList(new ArrayList<>());
        final Ended ended = new Ended(endedList);
        final Steps steps = new Steps(stepList);

        Stream<String> backedUp(String runId) {
            synchronized (endedList) {
                return endedList.stream().filter(e -> e.runId().equals(runId)).map(e -> e.result().device())
                        .toList().stream();
            }
        }

        Set<String> stepsOf(String runId) {
            synchronized (stepList) {
                return stepList.stream().filter(s -> runId.equals(s.runId())).map(DeviceStepStarted::device)
                        .collect(Collectors.toSet());
            }
        }
    }

    // named types, not lambdas: Spring finds the payload type in the generic interface
    private record Ended(List<DeviceBackedUp> into) implements Consumer<DeviceBackedUp> {
        @Override
        public void accept(DeviceBackedUp event) {
            into.add(event);
        }
    }

    private record Steps(List<DeviceStepStarted> into) implements Consumer<DeviceStepStarted> {
        @Override
        public void accept(DeviceStepStarted event) {
            into.add(event);
        }
    }
}
