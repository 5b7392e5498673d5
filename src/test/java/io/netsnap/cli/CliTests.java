package io.netsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.DeploymentIntent;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.support.LeakScanner;

/** The command line as a user runs it: exit codes, the table, one-line errors, nothing secret on the screen. */
class CliTests {

    /** The cron in network-backup.bpmn and application.yaml: what a CLI with no schedule configured would set. */
    private static final String CLI_DEFAULT_CRON = "0 0 2 * * ?";
    /** The service's schedule; rare, as the engine's clock follows wall time. */
    private static final String SERVICE_CRON = "0 0 3 1 1 ?";

    @TempDir
    Path data;

    private Lab lab;

    @AfterEach
    void stopLab() {
        if (lab != null) {
            lab.close();
            lab.properties().keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void aFailureWithoutAMessageIsDescribedByItsCauseOrItsKindNeverAsNull() {
        assertThat(NetsnapCommand.describe(new IllegalStateException("the archive is read-only")))
                .isEqualTo("the archive is read-only");
        assertThat(NetsnapCommand.describe(new RuntimeException(null, new java.io.IOException("Too many open files"))))
                .isEqualTo("Too many open files (RuntimeException)");
        assertThat(NetsnapCommand.describe(new NullPointerException()))
                .isEqualTo("java.lang.NullPointerException without a message (the log file has the details)");
    }

    @Test
    void labBacksUpEveryDeviceThenReportsThemUnchanged() throws IOException {
        Run first = netsnap("lab", "--data", data.toString());

        assertThat(first.exit).as(first.all()).isZero();
        for (Lab.LabDevice device : Lab.standardDevices()) {
            assertThat(first.out).containsPattern(device.name() + "\\s+" + device.platform() + "\\s+OK\\s+changed");
        }
        assertThat(first.out).contains("0 failed");

        // the archive root as a Spring setting this time: the same archive, so nothing changed
        Run second = netsnap("lab", "--netsnap.archive.root=" + data);

        assertThat(second.exit).as(second.all()).isZero();
        assertThat(second.out).contains("Archive:  " + data.toAbsolutePath().normalize());
        for (Lab.LabDevice device : Lab.standardDevices()) {
            assertThat(second.out).containsPattern(device.name() + "\\s+" + device.platform()
                    + "\\s+OK\\s+unchanged");
        }
        assertThat(second.out).as("every context of the ASA on a line of its own")
                .containsPattern("\\n  DMZ\\s+OK\\s+unchanged");
        try (Stream<Path> history = Files.list(data.resolve("history"))) {
            assertThat(history.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted())
                    .as("one file per device, the ASA's contexts in a folder of their own")
                    .containsExactlyElementsOf(Lab.standardDevices().stream().filter(d -> !d.platform().equals("asa"))
                            .map(d -> d.name() + ".cfg").sorted().toList());
        }
        try (Stream<Path> contexts = Files.list(data.resolve("history/ASA-FW-01"))) {
            assertThat(contexts.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("system.cfg", "admin.cfg", "DMZ.cfg", "BACKEND.cfg");
        }
        try (Stream<Path> runs = Files.list(data.resolve("runs").toFile().listFiles()[0].toPath())) {
            assertThat(runs).hasSize(2).allSatisfy(run -> assertThat(run.resolve("manifest.json")).exists());
        }
        String token = Files.readString(data.resolve("lab/vault-token"));
        new LeakScanner(List.of(token)).assertClean("netsnap lab output", first.all() + second.all());
        new LeakScanner(List.of(token)).assertClean(data.resolve("logs"));
    }

    @Test
    void anInventoryWithThreeMistakesExits2ListingAllOfThemBeforeAnyConnection() throws IOException {
        startLab();
        int port = lab.simulator("EDGE-RTR-01").port();
        Path inventory = data.resolve("bad.yaml");
        Files.writeString(inventory, """
                defaults:
                  credentials: network/lab-edge
                devices:
                  - { name: EDGE-RTR-01, host: 127.0.0.1, port: %1$d, platform: ios }
                  - { name: EDGE-RTR-01, host: 127.0.0.1, port: %1$d, platform: ios }
                  - { name: CORE-SW-09, host: 127.0.0.1, port: %1$d, platform: nxso }
                  - { name: CORE-SW-10, host: 127.0.0.1, port: %1$d, platform: ios, group: coer }
                """.formatted(port));

        Run run = netsnap("backup", "--inventory", inventory.toString(), "--data", data.toString(), "--wait");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("3 problems")
                .contains("bad.yaml:5: device 'EDGE-RTR-01': duplicate name")
                .contains("bad.yaml:6: device 'CORE-SW-09': unknown platform 'nxso'")
                .contains("bad.yaml:7: device 'CORE-SW-10'").contains("coer")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(lab.simulator("EDGE-RTR-01").sessionsOpened()).isZero();
        assertThat(lab.simulator("EDGE-RTR-01").commandsReceived()).isEmpty();
        assertThat(lab.vault().requestLog()).as("not even Vault was asked").isEmpty();
    }

    @Test
    void backupExits2WithOneLinePerPreflightProblemAndShowsNoSecret() {
        startLab();

        Run run = netsnap("backup", "--inventory", lab.inventory().toString(), "--data", data.toString(), "--wait");

        assertThat(run.exit).as(run.all()).isEqualTo(2);
        assertThat(run.out).contains("ABORTED before any device was touched")
                .containsPattern("(?m)^  preflight: credentials network/lab-stale tried on STALE-RTR-09: "
                        + "SSH login refused.*$")
                .doesNotContain("Exception");
        assertThat(lab.simulator("EDGE-RTR-01").commandsReceived()).as("EDGE-RTR-01 was logged in to, never asked "
                + "for its configuration").noneMatch(command -> command.contains("show running-config"));
        java.util.Set<String> secrets = new java.util.HashSet<>(lab.secrets());
        secrets.addAll(lab.vault().credentialsHandedOut());
        LeakScanner scanner = new LeakScanner(secrets);
        scanner.assertClean("the CLI's output", run.all());
        scanner.assertClean(data.resolve("logs"));
    }

    @Test
    void diffShowsExactlyTheChangedLinesOfADeviceWithSecretsMaskedAndHistoryListsItsVersions() throws IOException {
        String before = LabConfigs.router("EDGE-RTR-01", 1);
        String after = before.replace("ntp clock-period 36028797018963968\n",
                "ntp clock-period 36028797018963968\nsnmp-server community Pl41nS1ght RO\n")
                .replace(" description LAN core", " description LAN core (moved)");
        String core = LabConfigs.router("CORE-RTR-02", 2);
        Run first = backUp(before, core);
        Run second = backUp(after, core);
        assertThat(first.exit).as(first.all()).isZero();
        assertThat(second.exit).as(second.all()).isZero();
        assertThat(second.out).containsPattern("CORE-RTR-02\\s+ios\\s+OK\\s+unchanged");

        Run diff = netsnap("diff", "EDGE-RTR-01", "--inventory", lab.inventory().toString(), "--data",
                data.toString());

        assertThat(diff.exit).as(diff.all()).isZero();
        List<String> changed = diff.out.lines()
                .filter(l -> (l.startsWith("+") || l.startsWith("-")) && !l.startsWith("+++") && !l.startsWith("---"))
                .toList();
        assertThat(changed).containsExactly(
                "+snmp-server community <removed> RO",
                "- description LAN core",
                "+ description LAN core (moved)");
        assertThat(diff.out).doesNotContain("Pl41nS1ght");

        Run history = netsnap("history", "EDGE-RTR-01", "--inventory", lab.inventory().toString(), "--data",
                data.toString());
        assertThat(history.exit).as(history.all()).isZero();
        assertThat(history.out.lines()).hasSize(2).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d [\\d:]{8}  [0-9a-f]{40}  netsnap run .*"));
        Run unchanged = netsnap("history", "CORE-RTR-02", "--inventory", lab.inventory().toString(), "--data",
                data.toString());
        assertThat(unchanged.out.lines()).as("an unchanged device has no entry in the second commit").hasSize(1);
        Run unknown = netsnap("diff", "NOPE-01", "--inventory", lab.inventory().toString(), "--data",
                data.toString());
        assertThat(unknown.exit).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(unknown.err).contains("NOPE-01");
    }

    /**
     * Right after {@code netsnap lab}, history and diff need nothing but the archive: it recorded each device's
     * platform, whose rules mask the diff.
     */
    @Test
    void historyAndDiffWorkOnTheLabsArchiveWithoutAnInventory() throws IOException {
        Run lab = netsnap("lab", "--data", data.toString());
        assertThat(lab.exit).as(lab.all()).isZero();

        Run history = netsnap("history", "EDGE-RTR-01", "--data", data.toString());
        Run alone = netsnap("diff", "EDGE-RTR-01", "--data", data.toString());

        assertThat(history.exit).as(history.all()).isZero();
        assertThat(history.out.lines()).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\d [\\d:]{8}  [0-9a-f]{40}  netsnap run .*");
        assertThat(alone.exit).as(alone.all()).isEqualTo(NetsnapCommand.DEVICE_FAILED);
        assertThat(alone.err).isEqualTo("netsnap: EDGE-RTR-01 has 1 version(s) in the history; nothing to compare"
                + System.lineSeparator());

        commitAsARunWould("EDGE-RTR-01", "ios", text -> text.replace("snmp-server location",
                "snmp-server community Pl41nS1ght RO\nsnmp-server location"));
        Run diff = netsnap("diff", "EDGE-RTR-01", "--data", data.toString());

        assertThat(diff.exit).as(diff.all()).isZero();
        assertThat(diff.out.lines().filter(l -> l.matches("[-+][^-+].*")))
                .as("masked by the rules of the platform the archive recorded")
                .containsExactly("+snmp-server community <removed> RO");
        assertThat(diff.out).doesNotContain("Pl41nS1ght");
        Run context = netsnap("history", "ASA-FW-01/DMZ", "--data", data.toString());
        assertThat(context.exit).as(context.all()).isZero();
        assertThat(context.out.lines()).hasSize(1);
        Run wholeAsa = netsnap("history", "ASA-FW-01", "--data", data.toString());
        assertThat(wholeAsa.exit).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(wholeAsa.err.lines()).singleElement().asString()
                .startsWith("netsnap: ASA-FW-01 is kept per context; name one: ").contains("ASA-FW-01/DMZ");
        Run unknown = netsnap("diff", "NOPE-01", "--data", data.toString());
        assertThat(unknown.exit).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(unknown.err.lines()).singleElement().asString().contains("NOPE-01");
    }

    /** A second version of one device, stored and committed as a run that found it changed would. */
    private void commitAsARunWould(String device, String platform, java.util.function.UnaryOperator<String> change) {
        Archive archive = new Archive(new ArchiveProperties(data, false, java.time.Period.ofDays(30)));
        try {
            RunFolder run = new RunFolder("changed", java.time.LocalDate.now());
            String text = change.apply(archive.lastCommitted(device + ".cfg").orElseThrow());
            archive.commitRun(run, List.of(archive.store(run, device, platform, null, text,
                    java.time.LocalDateTime.now())), "netsnap run changed").orElseThrow();
        } finally {
            archive.destroy();
        }
    }

    @Test
    void springSettingsAreTakenAsKeyValueAndAnythingElseIsStillAnUnknownOption() {
        Run nonsense = netsnap("backup", "--nonsense");
        assertThat(nonsense.exit).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(nonsense.err.lines().findFirst()).hasValue("Unknown option: '--nonsense'");
        assertThat(nonsense.all()).doesNotContain("Exception");

        Run spaced = netsnap("run", "--netsnap.archive.root", data.toString());
        assertThat(spaced.exit).as("a setting needs its '='").isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(spaced.err.lines().findFirst()).hasValue("Unknown option: '--netsnap.archive.root'");

        Run undotted = netsnap("lab", "--debug=true");
        assertThat(undotted.exit).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(undotted.err.lines().findFirst()).hasValue("Unknown option: '--debug=true'");

        Run disagreeing = netsnap("lab", "--data", data.resolve("a").toString(),
                "--netsnap.archive.root=" + data.resolve("b"));
        assertThat(disagreeing.exit).isEqualTo(NetsnapCommand.CONFIG_ERROR);
        assertThat(disagreeing.err.lines().findFirst()).hasValue("--data " + data.resolve("a")
                + " and --netsnap.archive.root=" + data.resolve("b") + " disagree; give one of them");
        assertThat(data.resolve("a")).as("nothing was started").doesNotExist();

        for (String command : List.of("run", "backup", "lab")) {
            Run help = netsnap(command, "--help");
            assertThat(help.exit).isZero();
            assertThat(help.out).contains("Spring settings are accepted as --key=value");
        }
    }

    /**
     * Against a remote engine {@code backup} starts the run on what the service deployed: it neither deploys the
     * models again nor resets the nightly cron to its own configuration's.
     */
    @Test
    void backupOnARemoteEngineStartsTheRunOnTheServicesModelsWithoutDeploying() throws IOException {
        startLab();
        int port = freeLoopbackPort();
        ZeebeTestEngine engine = EngineFactory.create(port);
        engine.start();
        String address = "http://127.0.0.1:" + port;
        Path log = data.resolve("cli.log");
        try (CamundaClient client = CamundaClient.newClientBuilder().grpcAddress(URI.create(address))
                .preferRestOverGrpc(false).build()) {
            long serviceModel = deployAsTheService(client);

            Run run = netsnap("backup", "--inventory", lab.inventory().toString(), "--data", data.toString(),
                    "--camunda.client.grpc-address=" + address, "--logging.file.name=" + log);

            assertThat(run.exit).as(run.all()).isZero();
            Matcher started = Pattern.compile("Started network-backup instance (\\d+)").matcher(run.out);
            assertThat(started.find()).as(run.all()).isTrue();
            long instance = Long.parseLong(started.group(1));
            assertThat(await().atMost(Duration.ofSeconds(30)).until(() -> definitionOf(engine, instance),
                    Optional::isPresent)).as("the run is on the service's deployment").hasValue(serviceModel);
            assertThat(records(engine).filter(r -> r.getValueType() == ValueType.DEPLOYMENT
                    && r.getIntent() == DeploymentIntent.CREATED)).as("no deployment but the service's").hasSize(1);
            assertThat(log).as("--logging.file.name took effect").isNotEmptyFile();
        } finally {
            engine.stop();
        }
    }

    /** What {@code netsnap run} deploys with its own cron; returns network-backup's process definition key. */
    private static long deployAsTheService(CamundaClient client) throws IOException {
        var command = client.newDeployResourceCommand()
                .addResourceFile("forms/preflight-failed.form")
                .addResourceFile("forms/start-backup.form")
                .addResourceFile("bpmn/device-backup.bpmn");
        String model = Files.readString(Path.of("bpmn/network-backup.bpmn"));
        assertThat(model).contains(">" + CLI_DEFAULT_CRON + "<");
        DeploymentEvent deployed = command.addResourceStringUtf8(model.replace(">" + CLI_DEFAULT_CRON + "<",
                ">" + SERVICE_CRON + "<"), "network-backup.bpmn")
                // the first deployment compiles the models: on a busy machine that outlasts the default 10 s
                .requestTimeout(Duration.ofMinutes(2)).send().join();
        return deployed.getProcesses().stream().filter(p -> p.getBpmnProcessId().equals("network-backup"))
                .findFirst().orElseThrow().getProcessDefinitionKey();
    }

    private static Optional<Long> definitionOf(ZeebeTestEngine engine, long instance) {
        return records(engine).filter(r -> r.getValueType() == ValueType.PROCESS_INSTANCE)
                .map(r -> (ProcessInstanceRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == instance)
                .map(ProcessInstanceRecordValue::getProcessDefinitionKey).findFirst();
    }

    private static Stream<Record<?>> records(ZeebeTestEngine engine) {
        return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One backup run against a fresh lab whose EDGE-RTR-01 serves {@code edge}. */
    private Run backUp(String edge, String core) {
        if (lab != null) {
            lab.close();
        }
        lab = Lab.start(data.resolve("lab"), List.of(
                new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, edge),
                new Lab.LabDevice("CORE-RTR-02", "edge", Lab.Kind.SIMULATED, core)));
        lab.properties().forEach((key, value) -> System.setProperty(key, value.toString()));
        System.clearProperty("netsnap.inventory");
        return netsnap("backup", "--inventory", lab.inventory().toString(), "--data", data.toString(), "--wait");
    }

    private void startLab() {
        lab = Lab.start(data.resolve("lab"), List.of(
                new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
                new Lab.LabDevice("STALE-RTR-09", "edge", Lab.Kind.STALE_PASSWORD,
                        LabConfigs.router("STALE-RTR-09", 9))));
        // what an operator would put in application.yaml; the inventory comes from --inventory
        lab.properties().forEach((key, value) -> System.setProperty(key, value.toString()));
        System.clearProperty("netsnap.inventory");
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
