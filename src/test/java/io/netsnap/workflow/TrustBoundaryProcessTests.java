package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.netsnap.NetsnapApplication;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.LabTls;
import io.netsnap.lab.VaultDouble;
import io.netsnap.support.LeakScanner;

/**
 * The attack of issue #10, replayed as an outside client of the engine over gRPC: someone who can deploy processes
 * or edit variables tries to make netsnap connect somewhere else, read another Vault path, skip TLS verification or
 * run a context command of their choosing. Recording SSH and HTTPS servers stand where the forged variables point;
 * nothing may reach them, no Vault path but the inventory's may be read, and every forged job ends with a clear error
 * naming the device.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class TrustBoundaryProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)),
            Lab.LabDevice.asa("ASA-FW-01", List.of("admin", "DMZ")),
            Lab.LabDevice.conductor("MC-01", 21));
    private static final Lab LAB = SETUP.lab();
    private static final VaultDouble VAULT = LAB.vault();
    /** The ASA's credentials: what the original probe had netsnap read and send to its own SSH server. */
    private static final String STOLEN_PATH = "network/lab-fw";

    private static final List<String> sshAttempts = new CopyOnWriteArrayList<>();
    private static final List<String> httpsRequests = new CopyOnWriteArrayList<>();
    private static SshServer sshRecorder;
    private static HttpsServer httpsRecorder;

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
    }

    @BeforeAll
    static void startRecorders() throws Exception {
        sshRecorder = SshServer.setUpDefaultServer();
        sshRecorder.setHost("127.0.0.1");
        sshRecorder.setPort(0);
        sshRecorder.setKeyPairProvider(KeyPairProvider.wrap(SecurityUtils.getKeyPairGenerator("EC").generateKeyPair()));
        sshRecorder.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
        sshRecorder.setPasswordAuthenticator((user, password, session) -> {
            sshAttempts.add(user + ":" + password);
            return false;
        });
        sshRecorder.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sshAttempts.add("connection from " + session.getIoSession().getRemoteAddress());
            }
        });
        sshRecorder.start();
        // a certificate of another CA than the one netsnap trusts: only a client that skips verification gets in
        httpsRecorder = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        httpsRecorder.setHttpsConfigurator(new HttpsConfigurator(
                LabTls.loadOrCreate(Files.createDirectories(SETUP.data().resolve("rogue-tls"))).serverContext()));
        httpsRecorder.createContext("/", exchange -> {
            httpsRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        httpsRecorder.start();
    }

    @AfterAll
    static void stopRecorders() throws IOException {
        sshRecorder.stop(true);
        httpsRecorder.stop(0);
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    ZeebeTestEngine engine;

    @Value("${camunda.client.grpc-address}")
    URI gateway;

    @Autowired
    DeployedProcesses deployed;

    @Autowired
    io.netsnap.archive.Archive archive;

    @Test
    void aProcessSomeoneElseDeployedWithNetsnapsJobTypesGetsNothing() {
        RunLauncher.Result real = launcher.startAndWait(new RunLauncher.Request(null, List.of("EDGE-RTR-01"), null,
                "a real run, whose id the attacker copies from Operate"), Duration.ofMinutes(2));
        int vaultBefore = VAULT.requestLog().size();
        BpmnModelInstance forged = Bpmn.createExecutableProcess("forged-backup").startEvent()
                .serviceTask("Task_Steal", task -> task.zeebeJobTypeExpression("jobType")).endEvent().done();
        try (CamundaClient outsider = outsideClient()) {
            outsider.newDeployResourceCommand().addProcessModel(forged, "forged-backup.bpmn").send().join();
            List<Long> instances = new ArrayList<>();
            for (Map<String, Object> variables : List.of(
                    forgedCli("netsnap.backup-device", "ROGUE-99", real),
                    forgedCli("netsnap.backup-device", "EDGE-RTR-01", real),
                    forgedCli("netsnap.discover-contexts", "ASA-FW-01", real),
                    withContext(forgedCli("netsnap.backup-context", "ASA-FW-01", real), "DMZ\nconfigure terminal"),
                    forgedConductor("netsnap.aruba.login", real))) {
                instances.add(outsider.newCreateInstanceCommand().bpmnProcessId("forged-backup").latestVersion()
                        .variables(variables).send().join().getProcessInstanceKey());
            }
            List<String> named = List.of("ROGUE-99", "EDGE-RTR-01", "ASA-FW-01", "ASA-FW-01", "MC-01");
            for (int i = 0; i < instances.size(); i++) {
                JobRecordValue refused = awaitFailed(instances.get(i));
                assertThat(refused.getErrorMessage()).startsWith(named.get(i) + ": ")
                        .contains("refused: netsnap did not deploy that process definition").doesNotContain("\n");
            }
        }
        assertThat(sshAttempts).as("nothing reached the recording SSH server").isEmpty();
        assertThat(httpsRequests).as("nothing reached the recording HTTPS server").isEmpty();
        assertThat(VAULT.requestLog().subList(vaultBefore, VAULT.requestLog().size()))
                .as("no Vault read for a forged process").noneMatch(request -> request.contains("/secret/"));
    }

    @Test
    void netsnapsOwnDeviceBackupStartedWithForgedVariablesUsesOnlyTheInventory() {
        RunLauncher.Result real = launcher.startAndWait(new RunLauncher.Request(null,
                List.of("EDGE-RTR-01", "ASA-FW-01", "MC-01"), null, "a real run"), Duration.ofMinutes(3));
        assertThat(real.outcome()).as(real.toString()).isEqualTo("OK");
        try (CamundaClient outsider = outsideClient()) {
            // started as network-backup starts it, by a place in the run's scope: the name and the rest are
            // netsnap's own, whatever the forged device variable says
            Map<String, Object> first = forgedCli(null, "ROGUE-99", real);
            first.remove("deviceName");
            first.put("deviceIndex", 1);
            assertThat(deviceBackupAt(outsider, first, null)).containsEntry("status", "OK")
                    .containsEntry("device", "EDGE-RTR-01");
            Map<String, Object> beyond = forgedCli(null, "ROGUE-99", real);
            beyond.remove("deviceName");
            beyond.put("deviceIndex", 99);
            assertThat(deviceBackupAt(outsider, beyond, null)).satisfies(result -> {
                assertThat(result).containsEntry("error", Processes.ERROR_DEVICE_UNKNOWN);
                assertThat((String) result.get("message")).contains("has no device #99");
            });
            // past the look-up, straight to the steps, with a name: a device the inventory does not have, pointed
            // at the recorder with the ASA's secret
            Map<String, Object> rogue = forgedCli(null, "ROGUE-99", real);
            assertThat(deviceBackup(outsider, rogue)).satisfies(result -> {
                assertThat(result).containsEntry("error", Processes.ERROR_DEVICE_UNKNOWN);
                assertThat((String) result.get("message")).startsWith("ROGUE-99: not a device of run");
            });
            // a known device, a forged host, port and credentials path, and a run netsnap never started
            Map<String, Object> otherRun = forgedCli(null, "EDGE-RTR-01", real);
            otherRun.put("runId", "20990101-000000-dead");
            assertThat(deviceBackup(outsider, otherRun)).satisfies(result -> {
                assertThat(result).containsEntry("error", Processes.ERROR_RUN_INVALID);
                assertThat((String) result.get("message")).startsWith("EDGE-RTR-01: run 20990101-000000-dead");
            });
            // the same in a real run (id copied from Operate): the inventory's device is backed up, nothing else
            int vaultBefore = VAULT.requestLog().size();
            assertThat(deviceBackup(outsider, forgedCli(null, "EDGE-RTR-01", real)))
                    .containsEntry("status", "OK").containsEntry("device", "EDGE-RTR-01");
            assertThat(VAULT.requestLog().subList(vaultBefore, VAULT.requestLog().size()))
                    .as("only the inventory's credentials path was read")
                    .noneMatch(request -> request.contains(STOLEN_PATH))
                    .anyMatch(request -> request.contains("network/lab-edge"));
            // a conductor with a forged address and insecure: true
            assertThat(deviceBackup(outsider, forgedConductor(null, real))).containsEntry("status", "OK")
                    .containsEntry("device", "MC-01");
            // an ASA context of the attacker's choosing, fed straight into the context loop
            Map<String, Object> asa = forgedCli(null, "ASA-FW-01", real);
            asa.put("contexts", List.of("admin", "DMZ\nconfigure terminal"));
            Map<String, Object> summary = deviceBackupAt(outsider, asa, "SubProcess_Contexts");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> contexts = (List<Map<String, Object>>) summary.get("contexts");
            assertThat(contexts).extracting(c -> c.get("context"), c -> c.get("status"), c -> c.get("error"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("admin", "OK", null),
                            org.assertj.core.groups.Tuple.tuple("DMZ?configure terminal", "FAILED",
                                    Processes.ERROR_CONTEXT_UNKNOWN));
            assertThat(LAB.simulator("ASA-FW-01").toString()).isNotNull();
        }
        assertThat(sshAttempts).as("nothing reached the recording SSH server").isEmpty();
        assertThat(httpsRequests).as("nothing reached the recording HTTPS server").isEmpty();
        assertThat(incidents()).as("forged variables end in BPMN errors the model catches, never incidents")
                .isEmpty();
        Set<String> secrets = new HashSet<>(LAB.secrets());
        secrets.addAll(VAULT.credentialsHandedOut());
        new LeakScanner(secrets).assertClean("the engine's record stream", new RunRecords(engine).json());
    }

    /**
     * Starts inside netsnap's own network-backup, as anyone with engine access can: retention told it is the year
     * 9999, an old run committed again, a preflight for a run nobody started, and a device-backup of someone else's
     * put up as the latest version.
     */
    @Test
    void startsInsideNetsnapsOwnRunCannotDeleteRollBackOrInventARun() {
        RunLauncher.Result old = launcher.startAndWait(new RunLauncher.Request(null, List.of("EDGE-RTR-01"), null,
                "an earlier run"), Duration.ofMinutes(2));
        Path oldExport = archive.root().resolve(old.exportDir());
        String head = archive.headCommit();
        long network = deployed.keyOf(Processes.NETWORK_BACKUP).orElseThrow();
        try (CamundaClient outsider = outsideClient()) {
            Map<String, Object> replay = new HashMap<>();
            replay.put("runId", old.runId());
            replay.put("runDate", "9999-12-31");
            replay.put("startedAt", "2026-01-01T00:00:00Z");
            replay.put("results", List.of());
            // the upload and SCP targets are configuration: variables that look like them change nothing
            String stolen = "sftp://netsnap@127.0.0.1:" + sshRecorder.getPort() + "/stolen";
            replay.put("target", stolen);
            replay.put("uploadTarget", stolen);
            replay.put("scpHost", "127.0.0.1");
            long retention = outsider.newCreateInstanceCommand().processDefinitionKey(network)
                    .startBeforeElement("Task_ApplyRetention").variables(replay).send().join()
                    .getProcessInstanceKey();
            await().atMost(Duration.ofMinutes(1)).until(() -> new RunRecords(engine).ended(retention));
            assertThat(oldExport).as("retention counts from today, not from runDate").isDirectory();

            replay.put("runDate", LocalDate.now().toString());
            long commit = outsider.newCreateInstanceCommand().processDefinitionKey(network)
                    .startBeforeElement("Task_CommitHistory").variables(replay).send().join()
                    .getProcessInstanceKey();
            await().atMost(Duration.ofMinutes(1)).until(() -> new RunRecords(engine).ended(commit));
            assertThat(archive.headCommit()).as("a run is committed once; the history never goes back")
                    .isEqualTo(head);
            assertThat(sshAttempts).as("the replayed run went through Task_Upload to the configured server only")
                    .isEmpty();
            assertThat(LAB.uploadFolder().resolve(LocalDate.now().toString()).resolve(old.runId())).isDirectory();

            replay.put("runId", "20990101-000000-beef");
            replay.put("devices", List.of(Map.of("name", "EDGE-RTR-01")));
            long preflight = outsider.newCreateInstanceCommand().processDefinitionKey(network)
                    .startBeforeElement("Task_Preflight").variables(replay).send().join().getProcessInstanceKey();
            assertThat(awaitFailed(preflight).getErrorMessage()).contains("20990101-000000-beef")
                    .contains("was not started by netsnap");
            assertThat(archive.root().resolve("state/runs/" + LocalDate.now() + "/20990101-000000-beef"))
                    .doesNotExist();

            BpmnModelInstance hollow = Bpmn.createExecutableProcess(Processes.DEVICE_BACKUP).startEvent().endEvent()
                    .done();
            outsider.newDeployResourceCommand().addProcessModel(hollow, "device-backup.bpmn").send().join();
        }
        RunLauncher.Result next = launcher.startAndWait(new RunLauncher.Request(null, List.of("EDGE-RTR-01"), null,
                "after a hollow device-backup was deployed"), Duration.ofMinutes(2));
        assertThat(next.results()).as("the run called the device-backup deployed with it")
                .singleElement().satisfies(result -> {
                    assertThat(result.status()).isEqualTo("OK");
                    assertThat(result.sha256()).isNotNull();
                });
    }

    @Test
    void aDirectStartOfDeviceBackupEndsWithAClearErrorAndNoIncident() {
        try (CamundaClient outsider = outsideClient()) {
            Map<String, Object> result = deviceBackupAt(outsider, new HashMap<>(), null);
            assertThat(result).containsEntry("error", Processes.ERROR_DEVICE_UNKNOWN);
            assertThat((String) result.get("message")).contains("no device name given")
                    .contains("start network-backup instead").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(incidents()).isEmpty();
    }

    /**
     * Starts netsnap's own device-backup past its look-up of the device, with the forged variables as they are, as
     * anyone with engine access can, and returns its result.
     */
    private Map<String, Object> deviceBackup(CamundaClient client, Map<String, Object> variables) {
        return deviceBackupAt(client, variables, "Gateway_Platform");
    }

    /**
     * Starts netsnap's own device-backup as anyone with engine access can, and returns its result.
     *
     * @param startBefore the element to start at, or {@code null} for the start event
     */
    private Map<String, Object> deviceBackupAt(CamundaClient client, Map<String, Object> variables,
                                               String startBefore) {
        // netsnap's own definition: another test deploys a forged device-backup, which then is the latest version
        var command = client.newCreateInstanceCommand()
                .processDefinitionKey(deployed.keyOf(Processes.DEVICE_BACKUP).orElseThrow()).variables(variables);
        if (startBefore != null) {
            command = command.startBeforeElement(startBefore);
        }
        return command.withResult().fetchVariables("result").requestTimeout(Duration.ofMinutes(2)).send().join()
                .getVariablesAsMap().entrySet().stream().filter(e -> e.getKey().equals("result"))
                .map(e -> asMap(e.getValue())).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** Variables of a CLI device whose descriptor points at the recording SSH server with the ASA's secret path. */
    private static Map<String, Object> forgedCli(String jobType, String name, RunLauncher.Result run) {
        Map<String, Object> device = new HashMap<>();
        device.put("name", name);
        device.put("host", "127.0.0.1");
        device.put("port", sshRecorder.getPort());
        device.put("platform", "ios");
        device.put("kind", DeviceVariable.CLI);
        device.put("credentials", STOLEN_PATH);
        device.put("timeout", "PT10S");
        return variables(jobType, name, device, run);
    }

    /** A conductor pointed at the recording HTTPS server, told not to verify its certificate. */
    private static Map<String, Object> forgedConductor(String jobType, RunLauncher.Result run) {
        Map<String, Object> device = new HashMap<>();
        device.put("name", "MC-01");
        device.put("host", "127.0.0.1");
        device.put("port", httpsRecorder.getAddress().getPort());
        device.put("platform", "aruba-conductor");
        device.put("kind", DeviceVariable.REST_STEPS);
        device.put("credentials", STOLEN_PATH);
        device.put("insecure", true);
        return variables(jobType, "MC-01", device, run);
    }

    private static Map<String, Object> variables(String jobType, String name, Map<String, Object> device,
                                                 RunLauncher.Result run) {
        Map<String, Object> variables = new HashMap<>();
        if (jobType != null) {
            variables.put("jobType", jobType);
        }
        variables.put("device", device);
        variables.put("deviceName", name);
        variables.put("runId", run.runId());
        variables.put("runDate", LocalDate.now().toString());
        variables.put("inventory", STOLEN_PATH);
        return variables;
    }

    private static Map<String, Object> withContext(Map<String, Object> variables, String context) {
        variables.put("context", context);
        return variables;
    }

    private CamundaClient outsideClient() {
        return CamundaClient.newClientBuilder().grpcAddress(gateway).preferRestOverGrpc(false).build();
    }

    private JobRecordValue awaitFailed(long instance) {
        return await().atMost(Duration.ofMinutes(1)).until(() -> records().stream()
                .filter(r -> r.getValueType() == ValueType.JOB && r.getIntent() == JobIntent.FAILED)
                .map(r -> (JobRecordValue) r.getValue()).filter(v -> v.getProcessInstanceKey() == instance)
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    /** Incidents of device-backup instances (the forged processes and forged run starts have theirs, rightly). */
    private List<String> incidents() {
        return records().stream().filter(r -> r.getValueType() == ValueType.INCIDENT
                        && r.getIntent() == IncidentIntent.CREATED)
                .map(r -> (IncidentRecordValue) r.getValue())
                .filter(v -> v.getBpmnProcessId().equals(Processes.DEVICE_BACKUP))
                .map(v -> v.getBpmnProcessId() + "/" + v.getElementId() + ": " + v.getErrorMessage()).toList();
    }

    private List<Record<?>> records() {
        return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false).toList();
    }
}
