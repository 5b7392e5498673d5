package io.netsnap.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.cli.NetsnapCommand;
import io.netsnap.lab.LabConfigs;

/**
 * {@code netsnap bench} through the real command line, on a small fleet: the figures are there and consistent with
 * each other. Never how fast: that depends on the machine.
 */
class BenchCommandTests {

    private static final Pattern PHASE = Pattern.compile("^ {2}(start-up|scope|preflight|device phase|commit|upload"
            + "|retention|report|notify|between steps|total) +(-?\\d+\\.\\d+)", Pattern.MULTILINE);
    private static final Pattern PER_DEVICE = Pattern.compile(
            "per device +p50 (\\d+\\.\\d+) s +p95 (\\d+\\.\\d+) s +max (\\d+\\.\\d+) s");

    private static final Pattern MILESTONE = Pattern.compile("^ {2}(command started|fleet up|engine ready"
            + "|models deployed|context ready|run started|preflight done|first device) +(\\d+\\.\\d+) +-?\\d+\\.\\d+",
            Pattern.MULTILINE);
    private static final Pattern FIRST_DEVICE = Pattern.compile("JVM start to first device (\\d+\\.\\d+) s "
            + "\\(netsnap's own (-?\\d+\\.\\d+) s, the fleet's (\\d+\\.\\d+) s\\)");

    @TempDir
    Path temp;

    @Test
    void backsUpEveryDeviceOnTheEngineAndPrintsEachPhase() throws IOException {
        Path data = temp.resolve("data");
        Run run = netsnap("bench", "--devices", "5", "--config-kb", "2", "--data", data.toString());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("5 backed up, 0 failed");
        Map<String, Double> phases = phases(run.out());
        assertThat(phases).containsKeys("start-up", "preflight", "device phase", "commit", "upload", "report",
                "total");
        phases.forEach((name, seconds) -> assertThat(seconds).as(name).isGreaterThanOrEqualTo(0));
        double sum = phases.entrySet().stream().filter(p -> !p.getKey().equals("total"))
                .mapToDouble(Map.Entry::getValue).sum();
        // each figure is rounded to 10 ms
        assertThat(sum).isCloseTo(phases.get("total"), org.assertj.core.data.Offset.offset(0.01 * phases.size()));
        assertThat(phases.get("device phase")).isLessThanOrEqualTo(phases.get("total"));
        double[] device = perDevice(run.out());
        assertThat(device[0]).isPositive().isLessThanOrEqualTo(device[1]);
        assertThat(device[1]).isLessThanOrEqualTo(device[2]);
        assertThat(device[2]).isLessThanOrEqualTo(phases.get("device phase") + 0.01);
        assertThat(run.out()).containsPattern("per instance +p50 \\d+\\.\\d\\d s +p95 \\d+\\.\\d\\d s +max");
        Matcher caps = Pattern.compile("device sessions: at most (\\d+) at once \\(netsnap\\.sessions\\.max\\), no cap "
                + "per credentials path, peak (\\d+)").matcher(run.out());
        assertThat(caps.find()).as(run.out()).isTrue();
        assertThat(Integer.parseInt(caps.group(2))).as("peak").isBetween(1, Integer.parseInt(caps.group(1)));
        assertThat(run.out()).containsPattern("devices/s +\\d+\\.\\d\\d").containsPattern("CPU +\\d+\\.\\d s")
                .containsPattern("heap +[1-9]\\d* MB").containsPattern("RSS +[1-9]\\d* MB");
        // the run went through netsnap's archive: every device is in the history
        for (int i = 1; i <= 5; i++) {
            assertThat(data.resolve("history").resolve(Fleet.name(i) + ".cfg")).exists();
        }
        Map<String, Double> startUp = milestones(run.out());
        assertThat(startUp.keySet()).containsExactly("command started", "fleet up", "engine ready",
                "models deployed", "context ready", "run started", "preflight done", "first device");
        assertThat(new ArrayList<>(startUp.values())).as("from the JVM's start, in order").isSorted()
                .allMatch(at -> at >= 0);
        Matcher first = FIRST_DEVICE.matcher(run.out());
        assertThat(first.find()).as(run.out()).isTrue();
        assertThat(Double.parseDouble(first.group(1))).isEqualTo(startUp.get("first device"))
                .isLessThanOrEqualTo(phases.get("total"));
        assertThat(Double.parseDouble(first.group(2)) + Double.parseDouble(first.group(3)))
                .as("netsnap's own and the fleet's").isCloseTo(startUp.get("first device"),
                        org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void directBacksUpTheSameDevicesWithoutTheEngine() throws IOException {
        Path data = temp.resolve("direct");
        Run run = netsnap("bench", "--direct", "--json", "--devices", "5", "--config-kb", "2", "--pace",
                "500000B/s,100us/line", "--data", data.toString());

        assertThat(run.exit()).as(run.all()).isZero();
        JsonNode figures = new ObjectMapper().readTree(run.out());
        assertThat(figures.get("mode").asText()).isEqualTo("direct");
        assertThat(figures.get("devices").asInt()).isEqualTo(5);
        assertThat(figures.get("paceBytesPerSecond").asInt()).isEqualTo(500000);
        assertThat(figures.get("paceLineDelayMicros").asLong()).isEqualTo(100);
        assertThat(figures.get("ok").asInt()).isEqualTo(5);
        assertThat(figures.get("failed").asInt()).isZero();
        assertThat(figures.get("concurrency").asInt()).isPositive();
        JsonNode sessions = figures.get("sessions");
        assertThat(sessions.get("max").asInt()).isEqualTo(figures.get("concurrency").asInt());
        assertThat(sessions.get("perCredentials").asInt()).isEqualTo(sessions.get("max").asInt());
        assertThat(sessions.get("peak").asInt()).isBetween(1, sessions.get("max").asInt());
        List<String> phases = new ArrayList<>();
        figures.get("phases").forEach(p -> phases.add(p.get("name").asText()));
        assertThat(phases).containsExactly("start-up", "device phase", "commit");
        JsonNode startUp = figures.get("startUp");
        List<String> milestones = new ArrayList<>();
        startUp.get("milestones").forEach(m -> milestones.add(m.get("name").asText()));
        assertThat(milestones).containsExactly("command started", "fleet up", "context ready", "first device");
        assertThat(startUp.get("firstDeviceSeconds").asDouble()).isPositive()
                .isLessThanOrEqualTo(figures.get("wallSeconds").asDouble());
        assertThat(startUp.get("cpuSecondsAtFirstDevice").asDouble()).isPositive();
        JsonNode device = figures.get("perDeviceSeconds");
        assertThat(device.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(device.get("p95").asDouble());
        assertThat(device.get("p95").asDouble()).isLessThanOrEqualTo(device.get("max").asDouble());
        assertThat(figures.get("cpuSeconds").asDouble()).isPositive();
        assertThat(figures.get("peakHeapBytes").asLong()).isPositive();
        for (int i = 1; i <= 5; i++) {
            assertThat(data.resolve("history").resolve(Fleet.name(i) + ".cfg")).exists();
        }
    }

    @Test
    void serveWritesTheFleetForOtherToolsAndAFreshClientLogsIn() throws Exception {
        Path out = temp.resolve("fleet");
        StringWriter console = new StringWriter();
        Thread serving = new Thread(() -> NetsnapCommand.execute(new PrintWriter(console, true),
                new PrintWriter(console, true), "bench", "--serve", "--devices", "3", "--config-kb", "2", "--out",
                out.toString()), "bench-serve");
        serving.start();
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> console.toString().contains("Ctrl-C"));
            Path dir = out.toAbsolutePath().normalize();
            JsonNode netmiko = new ObjectMapper().readTree(out.resolve(OtherTools.NETMIKO).toFile());
            assertThat(netmiko).hasSize(3);
            String password = netmiko.get(Fleet.name(1)).get("password").asText();
            assertThat(console.toString()).doesNotContain(password);
            for (String file : OtherTools.PRIVATE) {
                assertThat(Files.getPosixFilePermissions(out.resolve(file)))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            }
            String routerDb = Files.readString(out.resolve(OtherTools.ROUTER_DB));
            String sshConfig = Files.readString(out.resolve(OtherTools.SSH_CONFIG));
            String cloginrc = Files.readString(out.resolve(OtherTools.CLOGINRC));
            String ansible = Files.readString(out.resolve(OtherTools.ANSIBLE));
            String inventory = Files.readString(out.resolve(OtherTools.INVENTORY));
            for (int i = 1; i <= 3; i++) {
                JsonNode device = netmiko.get(Fleet.name(i));
                int port = device.get("port").asInt();
                assertThat(inventory).contains("name: " + Fleet.name(i) + ", host: 127.0.0.1, port: " + port);
                assertThat(ansible).contains(Fleet.name(i) + " ansible_host=127.0.0.1 ansible_port=" + port + "\n");
                assertThat(cloginrc).contains("add method bench-rtr-000" + i + " {ssh:" + port + "}\n");
                assertThat(sshConfig).contains("Host bench-rtr-000" + i + "\n  Port " + port + "\n");
                assertThat(device.get("ssh_strict").asBoolean()).isTrue();
                assertThat(device.get("alt_key_file").asText()).isEqualTo(dir.resolve("known_hosts").toString());
            }
            assertThat(routerDb).isEqualTo("bench-rtr-0001;cisco;up\nbench-rtr-0002;cisco;up\nbench-rtr-0003;cisco;up\n");
            // every tool checks the simulators' keys: clogin through ssh_config, Ansible and netmiko from known_hosts
            assertThat(cloginrc).contains("add sshcmd bench-rtr-* {ssh\\ -F\\ " + dir.resolve("ssh_config") + "}\n",
                    "add autoenable bench-rtr-* {1}\n");
            assertThat(sshConfig).contains("Host bench-rtr-*\n  HostName 127.0.0.1\n  UserKnownHostsFile \""
                    + dir.resolve("known_hosts") + "\"\n", "  StrictHostKeyChecking yes\n");
            assertThat(ansible).contains("ansible_network_os=cisco.ios.ios\n", "ansible_host_key_checking=true\n");

            // netsnap's own settings: the served inventory and host keys, and a Vault that answers to the token
            Properties netsnap = new Properties();
            try (Reader reader = Files.newBufferedReader(out.resolve(OtherTools.NETSNAP))) {
                netsnap.load(reader);
            }
            assertThat(netsnap.getProperty("netsnap.inventory")).isEqualTo(dir.resolve("inventory.yaml").toString());
            assertThat(netsnap.getProperty("netsnap.ssh.known-hosts")).isEqualTo(dir.resolve("known_hosts").toString());
            assertThat(netsnap.getProperty("netsnap.ssh.host-key-policy")).isEqualTo("strict");
            assertThat(netsnap).doesNotContainKey("netsnap.upload.target");
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(netsnap.getProperty("netsnap.vault.address") + "/v1/secret/data/network/lab-edge"))
                    .header("X-Vault-Token", Files.readString(Path.of(netsnap.getProperty("netsnap.vault.token-file")))
                            .strip()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains(password);

            // a client that knows nothing but the files: the pinned key, the port, the login
            JsonNode first = netmiko.get(Fleet.name(1));
            String config;
            SshClient client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
                    Path.of(first.get("alt_key_file").asText())));
            client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            client.start();
            try (ClientSession session = client.connect(first.get("username").asText(), "127.0.0.1",
                    first.get("port").asInt()).verify(Duration.ofSeconds(30)).getSession()) {
                session.addPasswordIdentity(password);
                session.auth().verify(Duration.ofSeconds(30));
                config = session.executeRemoteCommand("show running-config");
            } finally {
                client.stop();
            }
            assertThat(config).contains("hostname BENCH-RTR-0001").contains("ip access-list extended CUST-0001-IN");

            // what bench/compare/check.py looks for in a saved copy is in what the device serves, in order
            JsonNode expected = new ObjectMapper().readTree(out.resolve(OtherTools.EXPECTED).toFile());
            assertThat(expected).hasSize(3);
            JsonNode one = expected.get(Fleet.name(1));
            assertThat(one.get("rancid").asText()).isEqualTo("bench-rtr-0001");
            assertThat(one.get("bytes").asInt()).isEqualTo(LabConfigs.router(Fleet.name(1), 1, 2).length());
            List<String> served = config.lines().map(String::stripTrailing).toList();
            int at = 0;
            for (JsonNode line : one.get("lines")) {
                int found = served.subList(at, served.size()).indexOf(line.asText());
                assertThat(found).as(line.asText()).isNotNegative();
                at += found + 1;
            }
            assertThat(one.get("lines")).hasSizeGreaterThan(2);
            assertThat(served.subList(at, served.size())).contains("end");
        } finally {
            serving.interrupt();
            serving.join(Duration.ofMinutes(1).toMillis());
        }
        assertThat(serving.isAlive()).isFalse();
    }

    @Test
    void aSizedRouterConfigurationIsAsLargeAsAskedAndVaried() {
        String config = LabConfigs.router("BENCH-RTR-0042", 42, 30);

        assertThat(config.length()).isBetween(30 * 1024, 31 * 1024);
        assertThat(config).startsWith("version 17.9\n").endsWith("\nend")
                .contains("interface GigabitEthernet0/0/1.101\n", "router bgp 650042\n", "ip route 172.16.1.0",
                        "route-map CUST-0001-IN permit 10\n");
        long distinct = config.lines().distinct().count();
        assertThat(distinct).isGreaterThan(config.lines().count() / 2);
        assertThat(LabConfigs.router("BENCH-RTR-0042", 42, 30)).isEqualTo(config);
    }

    @Test
    void theCompletenessCheckMissesNoLostPageAndSkipsWhatToolsRewrite() {
        String config = LabConfigs.router("BENCH-RTR-0042", 42, 30);
        List<String> lines = config.lines().toList();
        assertThat(lines).anyMatch(line -> line.contains("secret"));

        List<String> samples = OtherTools.samples(config);

        assertThat(samples).hasSizeGreaterThan(lines.size() / OtherTools.SAMPLE_GAP).doesNotHaveDuplicates();
        int previous = -1;
        for (String sample : samples) {
            assertThat(lines).containsOnlyOnce(sample);
            assertThat(lines.indexOf(sample)).isGreaterThan(previous);
            previous = lines.indexOf(sample);
            assertThat(sample).doesNotContainPattern(OtherTools.VOLATILE).isNotBlank().doesNotStartWith("!");
        }
        // the last sample is the last line before the closing "!" and "end"
        assertThat(samples.get(samples.size() - 1)).isEqualTo(lines.get(lines.size() - 3));
        // a copy that lost any page (24 lines, what a pager shows at a time) lacks a sample
        for (int from = 0; from + 24 <= lines.size() - 2; from++) {
            Set<String> kept = new HashSet<>(lines.subList(0, from));
            kept.addAll(lines.subList(from + 24, lines.size()));
            assertThat(samples).as("lines %d to %d lost", from, from + 23).anyMatch(sample -> !kept.contains(sample));
        }
    }

    private static Map<String, Double> phases(String out) {
        Map<String, Double> phases = new LinkedHashMap<>();
        Matcher m = PHASE.matcher(out);
        while (m.find()) {
            phases.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return phases;
    }

    private static Map<String, Double> milestones(String out) {
        Map<String, Double> milestones = new LinkedHashMap<>();
        Matcher m = MILESTONE.matcher(out.substring(out.indexOf("START-UP")));
        while (m.find()) {
            milestones.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return milestones;
    }

    private static double[] perDevice(String out) {
        Matcher m = PER_DEVICE.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3))};
    }

    @Test
    void aFleetBeyondTheOpenFilesLimitIsRefusedBeforeAnyDeviceStarts() {
        long limit = ((com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        int devices = (int) Math.min(Integer.MAX_VALUE, limit / Fleet.FILES_PER_DEVICE + 1);

        Run run = netsnap("bench", "--devices", String.valueOf(devices), "--data", temp.resolve("data").toString());

        assertThat(run.exit()).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(run.err()).contains("--devices " + devices + ": the simulated fleet needs about",
                "the limit here is " + limit + " (ulimit -n): at most ");
        assertThat(run.out()).doesNotContain("Starting");
        assertThat(temp.resolve("data")).doesNotExist();
        // within the limit, nothing is said
        assertThat(Fleet.openFilesProblem(10, false)).isNull();
    }

    private record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run netsnap(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = NetsnapCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
