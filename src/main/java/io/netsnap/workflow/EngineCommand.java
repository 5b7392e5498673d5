package io.netsnap.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.netsnap.cli.Subcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netsnap engine}: the embedded in-memory engine on its own, serving its gRPC gateway to netsnap replicas in
 * remote mode until the process is stopped. No workers, no models: the replicas deploy and serve. For tests and labs
 * only: state lives in memory and ends with the process, there is no authentication, no Operate and no Tasklist.
 * Production runs Camunda 8, under Camunda's own licence.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Serve the embedded in-memory Zeebe engine alone over gRPC (no workers, no models) until "
                + "stopped, for netsnap replicas in remote mode (--camunda.client.grpc-address=http://ADDRESS:PORT). "
                + "For tests and labs: in memory, no authentication; production uses Camunda 8.")
public final class EngineCommand implements Subcommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--address", defaultValue = EmbeddedGateway.DEFAULT_ADDRESS,
            description = "IP address the gateway listens on (default: ${DEFAULT-VALUE}; as "
                    + EmbeddedGateway.ADDRESS_KEY + ", with the same warning when it is not loopback).")
    String address;

    @Option(names = "--port", defaultValue = "26500",
            description = "gRPC port (default: ${DEFAULT-VALUE}; 0 for a free one, printed at start).")
    String port;

    @Option(names = "--records", paramLabel = "FILE",
            description = "When stopped, write every record the engine kept to FILE, one JSON document a line.")
    Path records;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedGateway gateway = EmbeddedGateway.parse(address, port);
        if (gateway.port() == 0) {
            gateway = gateway.withPort(EngineModeEnvironment.freePort(gateway));
        }
        if (!gateway.loopbackOnly()) {
            spec.commandLine().getErr().println("netsnap engine: WARNING the gateway listens on " + gateway
                    + ", not on loopback: anyone who can reach it can deploy processes and start instances, with no"
                    + " authentication");
        }
        ZeebeTestEngine engine = EmbeddedEngineConfiguration.start(gateway);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            try {
                engine.stop();
                if (records != null) {
                    write(engine, records);
                }
            } finally {
                stopped.countDown();
            }
        }, "netsnap-engine-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        PrintWriter out = spec.commandLine().getOut();
        out.println("netsnap engine: in-memory Zeebe engine serving on " + gateway + " (gRPC, no authentication)."
                + " Point replicas at it with --camunda.client.grpc-address=" + gateway.clientUrl()
                + ". Stop with Ctrl-C.");
        out.flush();
        stopped.await();
        return 0;
    }

    private static void write(ZeebeTestEngine engine, Path file) {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Record<?> record : EngineRecords.snapshot(engine)) {
                writer.write(record.toJson().replace('\n', ' '));
                writer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the engine's records to " + file, e);
        }
    }
}
