package io.netsnap.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

import io.netsnap.NetsnapApplication;
import io.netsnap.backup.DeviceBackedUp;

/** Starts the Spring application for a CLI command. */
final class Application {

    private Application() {
    }

    /** What the command is to the engine. */
    enum Role {
        /** {@code netsnap run}: logs on the console, deploys the models, serves metrics and health over HTTP. */
        SERVICE,
        /**
         * A command that does one thing and exits: it keeps the console for its own output (the log goes to the log
         * file) and leaves a remote engine's models to the service, whose settings (the nightly cron) it may not
         * share. On the embedded engine, which starts empty, the models are deployed all the same. It opens no HTTP
         * port.
         */
        ONE_SHOT,
        /**
         * A command that only reads the archive and the inventory ({@code history}, {@code diff}): as
         * {@link #ONE_SHOT}, and with no engine (a remote one it never calls), no job worker, nothing deployed, and
         * each bean created when the command first asks for it (Spring's lazy initialization). What it asks for (the
         * archive, the drivers, the inventory) is created, and fails, before it prints anything; what it never uses
         * (Vault, the engine, the notification channels) is neither created nor checked.
         */
        READER
    }

    /**
     * @param properties command-specific settings, taking precedence over application.yaml, -D and the environment
     * @param progress   where device results are printed as they arrive, or {@code null}
     */
    static ConfigurableApplicationContext start(Map<String, Object> properties, PrintWriter progress, Role role) {
        Map<String, Object> all = new HashMap<>(properties);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(NetsnapApplication.class)
                .logStartupInfo(role == Role.SERVICE);
        if (role == Role.READER) {
            all.put("spring.main.lazy-initialization", "true");
            all.put("netsnap.engine.mode", "remote");
            // never called: gRPC connects on a first request, and a reader sends none
            all.put("camunda.client.grpc-address", "http://127.0.0.1:1");
        }
        if (role == Role.ONE_SHOT || role == Role.READER) {
            all.putIfAbsent("logging.threshold.console", "OFF");
            // a default, not an argument: application.yaml, -D or --netsnap.deploy.enabled=true can still ask for it
            builder.properties(Map.of("netsnap.deploy.enabled", "false", "netsnap.engine.one-shot", "true"));
        }
        if (role == Role.SERVICE) {
            builder.listeners(new ManagementServer());
        }
        if (progress != null) {
            builder.listeners(ApplicationListener.forPayload(new ProgressPrinter(progress)));
        }
        // as command-line arguments: they outrank application.yaml, and the engine-mode choice sees them
        return builder.run(all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));
    }

    /**
     * The settings as the application would see them (application.yaml, -D, the environment, {@code properties} on
     * top, and the run mode chosen), without starting it: for a command that only needs to know where things are.
     */
    static ConfigurableEnvironment settings(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.putIfAbsent("logging.threshold.console", "OFF");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SettingsOnly.class)
                .web(WebApplicationType.NONE).logStartupInfo(false)
                .properties(Map.of("netsnap.engine.one-shot", "true"))
                .run(all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new))) {
            return context.getEnvironment();
        }
    }

    /** The source of an application context with no beans of netsnap's: no engine, no workers, nothing scanned. */
    static final class SettingsOnly {
    }

    /** One line per device as its backup ends. */
    private record ProgressPrinter(PrintWriter out) implements java.util.function.Consumer<DeviceBackedUp> {
        @Override
        public void accept(DeviceBackedUp event) {
            var result = event.result();
            String detail = result.ok()
                    ? (Boolean.TRUE.equals(result.changed()) ? "changed" : "unchanged")
                    : result.error();
            synchronized (out) {
                out.printf("  %-24s %-7s %s%n", result.device(), result.status(), detail);
                out.flush();
            }
        }
    }
}
