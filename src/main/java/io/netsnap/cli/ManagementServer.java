package io.netsnap.cli;

import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The HTTP server of a long-running role ({@code netsnap run}, {@code netsnap lab --serve}): Actuator's management
 * server on {@code management.server.port} and {@code management.server.address}, and nothing else. netsnap has no
 * other HTTP content, so the application's own server is created without ever listening ({@code server.port=-1}, as
 * Spring Boot documents it); a management port below 0 serves nothing and starts no server at all. One-shot commands
 * never get this listener: they keep {@code spring.main.web-application-type=none} and open no port.
 */
final class ManagementServer implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    static final String PORT = "management.server.port";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        Integer port = environment.getProperty(PORT, Integer.class);
        Map<String, Object> server = port == null || port < 0
                ? Map.of("spring.main.web-application-type", "none")
                : Map.of("spring.main.web-application-type", "servlet", "server.port", -1);
        environment.getPropertySources().addFirst(new MapPropertySource("netsnap-management-server", server));
    }
}
