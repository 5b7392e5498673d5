package io.netsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.backup.RunReport;
import io.netsnap.lab.Lab;
import io.netsnap.support.LeakScanner;
import io.netsnap.workflow.RunLauncher;

/**
 * Metrics and health as a scraper and a probe see them: the application started as {@code netsnap run} starts it,
 * the management server on a random loopback port, real HTTP requests, the lab's devices and Vault double as peers.
 */
class MetricsEndpointTests {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration THREE_DAYS = Duration.ofDays(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path data;

    private Lab lab;
    private ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theServiceServesEverySeriesAndHealthOnItsManagementPort() throws Exception {
        lab = Lab.start(data.resolve("lab"), Lab.standardDevices().stream()
                .filter(d -> Set.of("EDGE-RTR-01", "DC-NX-01", "BRANCH-RTR-07", "CORE-SW-01").contains(d.name()))
                .toList());
        // BRANCH-RTR-07 was last backed up three days ago, by a run of an earlier netsnap: only its report says so
        Instant threeDaysAgo = Instant.now().minus(THREE_DAYS);
        Path earlier = data.resolve("runs/" + LocalDate.ofInstant(threeDaysAgo, ZoneId.systemDefault())
                + "/20000101-020000-0ld1");
        Files.createDirectories(earlier);
        Files.writeString(earlier.resolve("report.json"), """
                {"runId": "20000101-020000-0ld1", "outcome": "PARTIAL", "finishedAt": "%s",
                 "devices": [{"device": "BRANCH-RTR-07", "platform": "ios", "status": "OK"},
                             {"device": "CORE-SW-01", "platform": "ios", "status": "FAILED", "error": "AUTH_FAILED"}]}
                """.formatted(threeDaysAgo));
        Map<String, Object> properties = new HashMap<>(lab.properties());
        properties.putAll(service());

        context = Application.start(properties, null, Application.Role.SERVICE);
        RunLauncher launcher = context.getBean(RunLauncher.class);
        RunLauncher.Result run = launcher.startAndWait(new RunLauncher.Request(null, List.of("EDGE-RTR-01",
                "DC-NX-01"), null, "metrics test"), RUN_TIMEOUT);
        // a run aborted before any device: an inventory netsnap may not read
        RunLauncher.Result aborted = launcher.startAndWait(new RunLauncher.Request(null, List.of(),
                data.resolve("elsewhere.yaml"), "metrics test"), RUN_TIMEOUT);

        assertThat(run.outcome()).as(run.toString()).isEqualTo(RunReport.OK);
        assertThat(aborted.outcome()).as(aborted.toString()).isEqualTo(RunReport.ABORTED);
        assertThat(context.getEnvironment().getProperty("management.server.address")).isEqualTo("127.0.0.1");
        int port = managementPort();
        // the last age series registers as the archive is read again after the reports; a scrape may precede it
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(samples(get(port, "prometheus")
                .body(), "netsnap_device_last_good_backup_age_seconds")).hasSize(3));
        HttpResponse<String> prometheus = get(port, "prometheus");
        String body = prometheus.body();

        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(value(body, "netsnap_runs_total", Map.of("outcome", "OK"))).hasValue(1);
        assertThat(value(body, "netsnap_runs_total", Map.of("outcome", "ABORTED"))).hasValue(1);
        assertThat(value(body, "netsnap_runs_total", Map.of("outcome", "PARTIAL"))).hasValue(0);
        assertThat(value(body, "netsnap_device_results_total",
                Map.of("status", "OK", "error", "none", "platform", "ios"))).hasValue(1);
        assertThat(value(body, "netsnap_device_results_total",
                Map.of("status", "OK", "error", "none", "platform", "nxos"))).hasValue(1);
        for (String platform : List.of("ios", "nxos")) {
            Map<String, String> labels = Map.of("platform", platform, "status", "OK");
            assertThat(value(body, "netsnap_device_backup_seconds_count", labels)).hasValue(1);
            assertThat(value(body, "netsnap_device_backup_seconds_sum", labels).orElseThrow()).isPositive();
            assertThat(value(body, "netsnap_device_backup_seconds_bucket", with(labels, "le", "+Inf"))).hasValue(1);
            assertThat(samples(body, "netsnap_device_backup_seconds_bucket").stream()
                    .filter(s -> s.labels().get("platform").equals(platform)).map(s -> s.labels().get("le")))
                    .as("the histogram's buckets").contains("1.0", "10.0", "60.0", "600.0", "2400.0", "+Inf");
        }
        double overdueAfter = value(body, "netsnap_overdue_after_seconds", Map.of()).orElseThrow();
        assertThat(overdueAfter).isEqualTo(Duration.ofDays(2).toSeconds());
        for (String fresh : List.of("EDGE-RTR-01", "DC-NX-01")) {
            assertThat(value(body, "netsnap_device_last_good_backup_age_seconds", Map.of("device", fresh))
                    .orElseThrow()).as(fresh).isBetween(0.0, overdueAfter);
        }
        assertThat(value(body, "netsnap_device_last_good_backup_age_seconds", Map.of("device", "BRANCH-RTR-07"))
                .orElseThrow()).as("from the earlier run's report").isGreaterThanOrEqualTo(THREE_DAYS.toSeconds() - 1);
        assertThat(value(body, "netsnap_devices_overdue", Map.of()))
                .as("BRANCH-RTR-07 (three days), CORE-SW-01 (never backed up)").hasValue(2);

        HttpResponse<String> health = get(port, "health");
        JsonNode status = JSON.readTree(health.body());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(status.path("status").asText()).isEqualTo("UP");
        for (String component : List.of("vault", "archive", "camundaClient")) {
            assertThat(status.path("components").path(component).path("status").asText()).as(component)
                    .isEqualTo("UP");
        }
        assertThat(get(port, "env").statusCode()).as("only health, info and prometheus").isEqualTo(404);
        assertThat(get(port, "info").statusCode()).isEqualTo(200);

        List<String> secrets = new ArrayList<>(lab.secrets());
        secrets.add(Files.readString(data.resolve("lab/vault-token")).trim());
        new LeakScanner(secrets).assertClean("the management endpoints", body + health.body());
    }

    @Test
    void healthIsDownNamingWhatFailsWhenVaultIsUnreachableAndTheArchiveUnwritable() throws Exception {
        String token = "hvs." + HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        Path tokenFile = Files.writeString(data.resolve("vault-token"), token);
        Path root = Files.createDirectories(data.resolve("archive"));
        Files.writeString(root.resolve("runs"), "a file where the run folders must go");
        int closed = freePort();
        Map<String, Object> properties = new HashMap<>(service());
        properties.put("netsnap.archive.root", root.toString());
        properties.put("netsnap.inventory", data.resolve("inventory.yaml").toString());
        properties.put("netsnap.vault.address", "http://127.0.0.1:" + closed);
        properties.put("netsnap.vault.token-file", tokenFile.toString());

        context = Application.start(properties, null, Application.Role.SERVICE);
        HttpResponse<String> health = get(managementPort(), "health");

        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        JsonNode status = JSON.readTree(health.body());
        assertThat(status.path("status").asText()).isEqualTo("DOWN");
        JsonNode vault = status.path("components").path("vault");
        assertThat(vault.path("status").asText()).isEqualTo("DOWN");
        assertThat(vault.path("details").path("error").asText()).contains("127.0.0.1:" + closed)
                .doesNotContain("Exception");
        JsonNode archive = status.path("components").path("archive");
        assertThat(archive.path("status").asText()).isEqualTo("DOWN");
        assertThat(archive.path("details").path("error").asText()).contains("not writable").contains(root.toString());
        assertThat(status.path("components").path("camundaClient").path("status").asText()).isEqualTo("UP");
        new LeakScanner(List.of(token)).assertClean("the health endpoint", health.body());
    }

    @Test
    void aOneShotCommandOpensNoPort() throws IOException {
        int port = freePort();
        Map<String, Object> properties = new HashMap<>(service());
        properties.put("management.server.port", port);
        properties.put("netsnap.inventory", data.resolve("inventory.yaml").toString());

        context = Application.start(properties, null, Application.Role.ONE_SHOT);

        assertThat(context).isNotInstanceOf(WebServerApplicationContext.class);
        assertThat(context.getEnvironment().getProperty("local.management.port")).isNull();
        try (ServerSocket stillFree = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(stillFree.getLocalPort()).isEqualTo(port);
        }
    }

    /** What netsnap run gets in these tests: the embedded engine, a random management port, a rare cron. */
    private Map<String, Object> service() {
        return Map.of("netsnap.archive.root", data.toString(), "netsnap.engine.mode", "embedded",
                "management.server.port", "0", "netsnap.retry-backoff", "PT0S",
                "netsnap.schedule.cron", "0 0 3 1 1 ?", "logging.threshold.console", "OFF");
    }

    private int managementPort() {
        String port = context.getEnvironment().getProperty("local.management.port");
        assertThat(port).as("the management server's port").isNotNull();
        return Integer.parseInt(port);
    }

    private HttpResponse<String> get(int port, String endpoint) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + endpoint))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    /** The samples of one series name in a Prometheus text exposition. */
    private static List<Sample> samples(String body, String name) {
        List<Sample> samples = new ArrayList<>();
        Matcher line = SAMPLE.matcher(body);
        while (line.find()) {
            if (!line.group(1).equals(name)) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (line.group(3) != null) {
                Matcher label = LABEL.matcher(line.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.group(4))));
        }
        return samples;
    }

    /** The value of the one sample with exactly these labels. */
    private static OptionalDouble value(String body, String name, Map<String, String> labels) {
        List<Sample> matching = samples(body, name).stream().filter(s -> s.labels().equals(labels)).toList();
        assertThat(matching).as(name + labels + " in\n" + body).hasSizeLessThanOrEqualTo(1);
        return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new HashMap<>(labels);
        more.put(key, value);
        return more;
    }
}
