package io.netsnap.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import io.netsnap.NetsnapApplication;
import io.netsnap.backup.DeviceBackedUp;

/** Starts the Spring application for a CLI command. */
final class Application {

    private Application() {
    }

    /**
     * @param properties  command-specific settings, taking precedence over application.yaml
     * @param progress    where device results are printed as they arrive, or {@code null}
     * @param quietConsole one-shot commands keep the console for their own output; the log goes to the log file
     */
    static ConfigurableApplicationContext start(Map<String, Object> properties, PrintWriter progress,
                                                boolean quietConsole) {
        Map<String, Object> all = new HashMap<>(properties);
        if (quietConsole) {
            all.putIfAbsent("logging.threshold.console", "OFF");
        }
        SpringApplicationBuilder builder = new SpringApplicationBuilder(NetsnapApplication.class)
                .logStartupInfo(!quietConsole);
        if (progress != null) {
            builder.listeners(ApplicationListener.forPayload(new ProgressPrinter(progress)));
        }
        // as command-line arguments: they outrank application.yaml, and the engine-mode choice sees them
        return builder.run(all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));
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
