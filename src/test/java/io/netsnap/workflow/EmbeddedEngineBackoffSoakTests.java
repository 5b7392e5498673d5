package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.api.worker.JobWorker;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;

/**
 * Many runs in one embedded engine, started as netsnap starts it, whose devices fail transiently with a retry
 * backoff: every retry must come back (see {@link EngineScheduleGuard} for what lost them).
 *
 * <p>Each wave starts a few device jobs that fail twice, each time with a random backoff between 50 ms and 1 s, then
 * succeed; the next wave starts when every device of this one is done. Meanwhile other instances keep the stream
 * processor writing, and parked instances keep its state large, as in an engine that has run for a while: the
 * backoff checks then read the state while it is written, which is when they were lost. A lost retry leaves its wave
 * unfinished and the test fails naming the devices that did not come back. As a later failure plans a check again,
 * a check that threw is often hidden by the next wave; so the test also fails when a backoff, timeout or timer check
 * threw at all.
 *
 * <p>The race needs the engine to have two CPU actor threads or more ({@code availableProcessors - 2}): on a
 * two-core machine the checks and the processor share one thread and the test passes with or without the fix. To
 * see it fail without the fix there: {@code ./mvnw -B -q test -Dtest=EmbeddedEngineBackoffSoakTests
 * -DargLine=-XX:ActiveProcessorCount=8}. {@link #scheduledTasksRunOnTheStreamProcessorsActor} checks the fix itself
 * on any machine.
 */
class EmbeddedEngineBackoffSoakTests {

    private static final String DEVICE_JOB = "soak-device-backup";
    private static final int WAVES = 6;
    private static final int DEVICES_PER_WAVE = 20;
    private static final int PARKED = 150;
    /** Clients starting instances that end at once, to keep the stream processor writing. */
    private static final int WRITERS = 3;
    private static final Duration WAVE_TIMEOUT = Duration.ofSeconds(30);

    /** Where the engine's actors log a task that threw: a check that throws has planned no next check. */
    private static final String ACTOR_LOG = "io.camunda.zeebe.util.actor";

    private static final ListAppender<ILoggingEvent> actorErrors = new ListAppender<>();
    private static ZeebeTestEngine engine;
    private static CamundaClient client;

    @BeforeAll
    static void engine() throws IOException {
        actorErrors.start();
        ((Logger) LoggerFactory.getLogger(ACTOR_LOG)).addAppender(actorErrors);
        EmbeddedGateway gateway = EmbeddedGateway.parse("127.0.0.1", String.valueOf(freeLoopbackPort()));
        engine = EmbeddedEngineConfiguration.start(gateway);
        client = CamundaClient.newClientBuilder().grpcAddress(URI.create(gateway.clientUrl()))
                .preferRestOverGrpc(false).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        engine.stop();
        ((Logger) LoggerFactory.getLogger(ACTOR_LOG)).detachAppender(actorErrors);
    }

    @Test
    void scheduledTasksRunOnTheStreamProcessorsActor() {
        assertThat(EngineScheduleGuard.guarded(engine))
                .as("backoff, timeout and timer checks read the state on the actor that writes it").isTrue();
    }

    @Test
    void everyRetryAfterABackoffComesBack() throws Exception {
        client.newDeployResourceCommand()
                .addProcessModel(Bpmn.createExecutableProcess("soak-device").startEvent()
                        .serviceTask("Task_Backup", t -> t.zeebeJobType(DEVICE_JOB).zeebeJobRetries("3"))
                        .endEvent().done(), "soak-device.bpmn")
                .addProcessModel(Bpmn.createExecutableProcess("soak-busy").startEvent().endEvent().done(),
                        "soak-busy.bpmn")
                .addProcessModel(Bpmn.createExecutableProcess("soak-parked").startEvent()
                        .serviceTask("Task_Nobody", t -> t.zeebeJobType("soak-nobody")).endEvent().done(),
                        "soak-parked.bpmn")
                .send().join();
        List<java.util.concurrent.CompletionStage<?>> parked = new ArrayList<>();
        for (int i = 0; i < PARKED; i++) {
            parked.add(client.newCreateInstanceCommand().bpmnProcessId("soak-parked").latestVersion()
                    .variables(Map.of("device", "PARKED-" + i, "archive", "/var/lib/netsnap/" + i)).send());
        }
        parked.forEach(created -> created.toCompletableFuture().join());

        Map<String, String> inBackoff = new ConcurrentHashMap<>();
        Set<String> done = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean busy = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(WRITERS);
        try (JobWorker worker = client.newWorker().jobType(DEVICE_JOB)
                .handler((JobClient jobs, ActivatedJob job) -> {
                    String device = (String) job.getVariablesAsMap().get("device");
                    inBackoff.remove(device);
                    if (job.getRetries() > 1) {
                        long backoff = ThreadLocalRandom.current().nextLong(50, 1_000);
                        inBackoff.put(device, "job " + job.getKey() + ", backoff " + backoff + " ms");
                        failures.incrementAndGet();
                        jobs.newFailCommand(job).retries(job.getRetries() - 1)
                                .retryBackoff(Duration.ofMillis(backoff)).errorMessage(device + ": unreachable")
                                .send().join();
                    } else {
                        jobs.newCompleteCommand(job).send().join();
                        done.add(device);
                    }
                }).maxJobsActive(32).pollInterval(Duration.ofMillis(100)).open()) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                writes.add(load.submit(() -> {
                    while (busy.get()) {
                        client.newCreateInstanceCommand().bpmnProcessId("soak-busy").latestVersion().send().join();
                    }
                }));
            }
            for (int wave = 0; wave < WAVES; wave++) {
                List<String> devices = new ArrayList<>();
                for (int i = 0; i < DEVICES_PER_WAVE; i++) {
                    String device = "SOAK-RTR-" + wave + "-" + i;
                    devices.add(device);
                    client.newCreateInstanceCommand().bpmnProcessId("soak-device").latestVersion()
                            .variables(Map.of("device", device)).send().join();
                }
                int number = wave + 1;
                Awaitility.await("wave " + number).atMost(WAVE_TIMEOUT).pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> assertThat(done)
                                .as("wave %d: every device back after its backoffs; still waiting: %s", number,
                                        inBackoff)
                                .containsAll(devices));
            }
            busy.set(false);
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            busy.set(false);
            load.shutdown();
        }
        assertThat(failures.get()).as("two transient failures per device").isEqualTo(2 * WAVES * DEVICES_PER_WAVE);
        assertThat(actorErrors.list.stream().filter(EmbeddedEngineBackoffSoakTests::inADueDateCheck)
                .map(ILoggingEvent::getFormattedMessage).toList())
                .as("backoff, timeout and timer checks that threw, each leaving its check unplanned").isEmpty();
    }

    /** Whether a logged failure came from the backoff, job timeout or timer check. */
    private static boolean inADueDateCheck(ILoggingEvent event) {
        for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
            for (StackTraceElementProxy frame : thrown.getStackTraceElementProxyArray()) {
                if (frame.getStackTraceElement().getClassName().endsWith("CheckScheduler")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
