package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;

/** The engine assembled around a gateway on one address is still the factory's engine in everything else. */
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

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
