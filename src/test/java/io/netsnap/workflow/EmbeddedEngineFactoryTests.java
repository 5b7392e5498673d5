package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.stream.impl.StreamProcessor;

/**
 * The engine assembled around a gateway on one address, with its state in RocksDB, is still the factory's engine in
 * everything else.
 */
class EmbeddedEngineFactoryTests {

    @Test
    void theLogGuardStillFindsTheEnginesLogAndTheGatewayAnswersOnItsAddress() throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), freeLoopbackPort());
        ZeebeTestEngine engine = EmbeddedEngineFactory.create(address);

        assertThat(EngineLogGuard.guard(engine)).isTrue();
        engine.start();
        try (CamundaClient client = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://127.0.0.1:" + address.getPort()))
                .preferRestOverGrpc(false)
                .build()) {
            assertThat(client.newTopologyRequest().send().join(30, TimeUnit.SECONDS)
                    .getBrokers()).isNotEmpty();
        } finally {
            engine.stop();
        }
    }

    @Test
    void theEnginesStateIsRocksDbInAScratchFolderOfItsOwnRemovedWhenItStops(@TempDir Path scratch) throws Exception {
        String tmpdir = System.getProperty("java.io.tmpdir");
        // a folder of a process that is gone (pids stay below 2^22 on Linux), and one that is not netsnap's
        Path abandoned = Files.createDirectories(scratch.resolve("netsnap-engine-999999999-1/column"));
        Files.writeString(abandoned.resolve("CURRENT"), "MANIFEST-000001\n");
        Path others = Files.createDirectories(scratch.resolve("netsnap-engine-notes"));
        System.setProperty("java.io.tmpdir", scratch.toString());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), freeLoopbackPort());
        ZeebeTestEngine engine;
        try {
            engine = EmbeddedEngineFactory.create(address);
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
        assertThat(abandoned.getParent()).doesNotExist();
        assertThat(others).isDirectory();
        Path state;
        try (var folders = Files.list(scratch)) {
            state = folders.filter(p -> p.getFileName().toString()
                    .startsWith("netsnap-engine-" + ProcessHandle.current().pid() + "-")).findFirst().orElseThrow();
        }
        // RocksDB's own files, and the stream processor reads and writes that database, not the library's map
        assertThat(state.resolve("CURRENT")).isRegularFile();
        Field processorField = io.camunda.zeebe.process.test.engine.InMemoryEngine.class.getDeclaredField(
                "streamProcessor");
        processorField.setAccessible(true);
        Field dbField = StreamProcessor.class.getDeclaredField("zeebeDb");
        dbField.setAccessible(true);
        assertThat(dbField.get(processorField.get(engine)).getClass().getName()).contains("EngineState");

        engine.start();
        try (CamundaClient client = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://127.0.0.1:" + address.getPort()))
                .preferRestOverGrpc(false)
                .build()) {
            client.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess("state_probe")
                    .startEvent().serviceTask("task", task -> task.zeebeJobType("probe")).endEvent().done(),
                    "probe.bpmn").send().join(30, TimeUnit.SECONDS);
            client.newCreateInstanceCommand().bpmnProcessId("state_probe").latestVersion()
                    .variables(Map.of("marker", "kept")).send().join(30, TimeUnit.SECONDS);
            var jobs = client.newActivateJobsCommand().jobType("probe").maxJobsToActivate(1).send()
                    .join(30, TimeUnit.SECONDS).getJobs();
            assertThat(jobs).singleElement().satisfies(job -> assertThat(job.getVariablesAsMap())
                    .containsEntry("marker", "kept"));
            client.newCompleteCommand(jobs.get(0).getKey()).send().join(30, TimeUnit.SECONDS);
        } finally {
            engine.stop();
        }
        assertThat(state).doesNotExist();
    }

    @Test
    void whereRocksDbCannotRunTheEngineKeepsTheLibrarysStateAndStillWorks(@TempDir Path scratch) throws Exception {
        // a temporary folder that is a file: no scratch folder can be made, as with RocksDB's library refused
        Path notAFolder = Files.writeString(scratch.resolve("tmp"), "not a folder");
        String tmpdir = System.getProperty("java.io.tmpdir");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), freeLoopbackPort());
        System.setProperty("java.io.tmpdir", notAFolder.toString());
        ZeebeTestEngine engine;
        try {
            engine = EmbeddedEngineFactory.create(address);
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
        Field processorField = io.camunda.zeebe.process.test.engine.InMemoryEngine.class.getDeclaredField(
                "streamProcessor");
        processorField.setAccessible(true);
        Field dbField = StreamProcessor.class.getDeclaredField("zeebeDb");
        dbField.setAccessible(true);
        assertThat(dbField.get(processorField.get(engine)).getClass().getName()).doesNotContain("EngineState");

        engine.start();
        try (CamundaClient client = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://127.0.0.1:" + address.getPort()))
                .preferRestOverGrpc(false)
                .build()) {
            client.newDeployResourceCommand().addProcessModel(Bpmn.createExecutableProcess("memory_probe")
                    .startEvent().endEvent().done(), "probe.bpmn").send().join(30, TimeUnit.SECONDS);
            assertThat(client.newCreateInstanceCommand().bpmnProcessId("memory_probe").latestVersion()
                    .withResult().send().join(30, TimeUnit.SECONDS).getProcessInstanceKey()).isPositive();
        } finally {
            engine.stop();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
