package io.netsnap.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the run mode before any bean exists. {@code netsnap.engine.mode}: {@code remote} uses the standard
 * {@code camunda.client.*} settings; {@code embedded} starts an in-process engine and points the client at it;
 * {@code auto} (default) is remote when a Camunda gRPC address is configured, embedded otherwise. In embedded mode
 * the engine's gateway listens on {@code netsnap.engine.embedded-address} (default {@code 127.0.0.1}) and
 * {@code netsnap.engine.embedded-port} (default: a free port); see {@link EmbeddedGateway}.
 */
public class EngineModeEnvironment implements EnvironmentPostProcessor {

    static final String ACTIVE = "netsnap.engine.active";
    static final String EMBEDDED_ADDRESS = EmbeddedGateway.ADDRESS_KEY;
    static final String EMBEDDED_PORT = EmbeddedGateway.PORT_KEY;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String mode = environment.getProperty("netsnap.engine.mode", "auto").trim().toLowerCase();
        boolean remoteConfigured = environment.containsProperty("camunda.client.grpc-address")
                || environment.containsProperty("camunda.client.cloud.cluster-id");
        boolean embedded = switch (mode) {
            case "embedded" -> true;
            case "remote" -> false;
            case "auto" -> !remoteConfigured;
            default -> throw new IllegalStateException("netsnap.engine.mode must be auto, embedded or remote, not '"
                    + mode + "'");
        };
        Map<String, Object> properties = new HashMap<>();
        if (embedded) {
            EmbeddedGateway gateway = EmbeddedGateway.parse(environment.getProperty(EMBEDDED_ADDRESS),
                    environment.getProperty(EMBEDDED_PORT));
            if (gateway.port() == 0) {
                gateway = gateway.withPort(freePort(gateway));
            }
            properties.put(ACTIVE, "embedded");
            properties.put(EMBEDDED_ADDRESS, gateway.address().getHostAddress());
            properties.put(EMBEDDED_PORT, gateway.port());
            properties.put("camunda.client.mode", "self-managed");
            properties.put("camunda.client.grpc-address", gateway.clientUrl());
            // the embedded engine has no REST API; nothing may prefer it
            properties.put("camunda.client.rest-address", gateway.clientUrl());
            properties.put("camunda.client.prefer-rest-over-grpc", false);
        } else {
            properties.put(ACTIVE, "remote");
            properties.put("camunda.client.prefer-rest-over-grpc", false);
            if (environment.getProperty("netsnap.engine.one-shot", Boolean.class, false)) {
                // A one-shot command starts a run on the cluster and leaves the work to the service's replicas: a
                // worker here would take jobs and leave them to time out when the command exits, and, having not
                // deployed, could not tell netsnap's process definitions from someone else's.
                properties.put("camunda.client.worker.defaults.enabled", false);
            }
        }
        environment.getPropertySources().addFirst(new MapPropertySource("netsnap-engine-mode", properties));
    }

    static int freePort(EmbeddedGateway gateway) {
        try (ServerSocket socket = new ServerSocket(0, 1, gateway.address())) {
            return socket.getLocalPort();
        } catch (BindException e) {
            throw new IllegalStateException(EMBEDDED_ADDRESS + " " + gateway.address().getHostAddress()
                    + " is not an address of this machine (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the embedded engine", e);
        }
    }
}
