package io.netsnap.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;

/**
 * The embedded in-memory engine on its own, its gRPC gateway served to netsnap replicas in remote mode, for
 * {@code netsnap engine}: started as embedded mode starts it ({@link EmbeddedEngineFactory}, the same guards), with
 * no Spring context, no workers and no models. For tests and labs only.
 */
public final class StandaloneEngine implements AutoCloseable {

    private final ZeebeTestEngine engine;
    private final EmbeddedGateway gateway;

    private StandaloneEngine(ZeebeTestEngine engine, EmbeddedGateway gateway) {
        this.engine = engine;
        this.gateway = gateway;
    }

    /**
     * @param address an IP address of this machine, as {@code netsnap.engine.embedded-address} takes it
     * @param port    a port, {@code 0} for a free one
     * @throws IllegalStateException naming the setting, when a value is not an IP address or a port, or the gateway
     *                               cannot listen there
     */
    public static StandaloneEngine start(String address, String port) {
        EmbeddedGateway gateway = EmbeddedGateway.parse(address, port);
        if (gateway.port() == 0) {
            gateway = gateway.withPort(EngineModeEnvironment.freePort(gateway));
        }
        return new StandaloneEngine(EmbeddedEngineConfiguration.start(gateway), gateway);
    }

    /** Where the gateway listens, {@code address:port}. */
    public String gateway() {
        return gateway.toString();
    }

    /** How a replica on this machine reaches it: {@code camunda.client.grpc-address}. */
    public String clientUrl() {
        return gateway.clientUrl();
    }

    /** Reachable from this machine only. */
    public boolean loopbackOnly() {
        return gateway.loopbackOnly();
    }

    /** Every record the engine kept, one JSON document a line. */
    public void writeRecords(Path file) {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Record<?> record : EngineRecords.snapshot(engine)) {
                writer.write(record.toJson().replace('\n', ' '));
                writer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the engine's records to " + file, e);
        }
    }

    @Override
    public void close() {
        engine.stop();
    }
}
