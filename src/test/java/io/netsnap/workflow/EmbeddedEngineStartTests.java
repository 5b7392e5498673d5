package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;

/** The embedded engine starts on a thread of its own; its bean gets it started, or fails as the start failed. */
class EmbeddedEngineStartTests {

    @Test
    void theEngineStartedBesideTheBeansIsHandedOverRunningAndStaysWithItsBean() throws IOException {
        EmbeddedGateway gateway = new EmbeddedGateway(InetAddress.getLoopbackAddress(), freeLoopbackPort());
        EmbeddedEngineStart start = new EmbeddedEngineStart(gateway);

        start.postProcessBeanFactory(null);
        ZeebeTestEngine engine = start.take();
        try (CamundaClient client = CamundaClient.newClientBuilder().grpcAddress(URI.create(gateway.clientUrl()))
                .preferRestOverGrpc(false).build()) {
            assertThat(start.ready()).isNotNull();
            // the context closes: the engine is its bean's to stop, not the start's
            start.destroy();
            assertThat(client.newTopologyRequest().send().join(30, TimeUnit.SECONDS).getBrokers()).isNotEmpty();
        } finally {
            engine.stop();
        }
    }

    @Test
    void aGatewayThatCannotListenFailsTheEngineBeanWithTheReason() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedEngineStart start = new EmbeddedEngineStart(new EmbeddedGateway(InetAddress.getLoopbackAddress(),
                    taken.getLocalPort()));

            start.postProcessBeanFactory(null);

            assertThatThrownBy(start::take).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot start the embedded engine's gateway on 127.0.0.1:"
                            + taken.getLocalPort());
            assertThat(start.ready()).isNull();
        }
    }

    @Test
    void anEngineNoBeanTookIsStoppedWithTheContext() throws IOException {
        int port = freeLoopbackPort();
        EmbeddedEngineStart start = new EmbeddedEngineStart(new EmbeddedGateway(InetAddress.getLoopbackAddress(),
                port));
        start.postProcessBeanFactory(null);
        await().atMost(Duration.ofMinutes(2)).until(() -> start.ready() != null);

        start.destroy();

        // its gateway let go of the port
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return again.isBound();
            }
        });
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
