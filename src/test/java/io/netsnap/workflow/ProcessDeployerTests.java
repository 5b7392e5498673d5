package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.netsnap.backup.BackupProperties;

/** Redeploying unchanged models, from any replica, leaves the engine's versions as they are. */
class ProcessDeployerTests {

    /** The cron network-backup.bpmn carries. */
    private static final String FILE_CRON = "0 0 2 * * ?";
    /** Rare crons: the engine's clock follows wall time and must not start a run mid-test. */
    private static final String CRON = "0 0 3 1 1 ?";
    private static final String OTHER_CRON = "0 0 4 1 1 ?";

    private static ZeebeTestEngine engine;
    private static CamundaClient client;

    @BeforeAll
    static void startEngine() {
        int port = freeLoopbackPort();
        engine = EngineFactory.create(port);
        engine.start();
        client = CamundaClient.newClientBuilder().grpcAddress(URI.create("http://127.0.0.1:" + port))
                .preferRestOverGrpc(false).defaultRequestTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stopEngine() {
        client.close();
        engine.stop();
    }

    @Test
    void aSecondDeploymentWithTheSameSettingsCreatesNoNewVersion() {
        Map<String, Long> first = keys(deployer(CRON).deploy());
        // another replica, same settings
        Map<String, Long> second = keys(deployer(CRON).deploy());

        assertThat(first).containsKeys(Processes.NETWORK_BACKUP, Processes.DEVICE_BACKUP,
                Processes.FORM_PREFLIGHT_FAILED);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aChangedCronCreatesNewVersionsOfTheModelsButNotOfTheForms() {
        List<DeploymentEvent> before = deployer(CRON).deploy();

        List<DeploymentEvent> after = deployer(OTHER_CRON).deploy();

        List<String> models = List.of(Processes.NETWORK_BACKUP, Processes.DEVICE_BACKUP, Processes.CONFIG_RESTORE);
        for (String model : models) {
            assertThat(versions(after)).as("the models travel together (bindingType deployment)")
                    .containsEntry(model, versions(before).get(model) + 1);
        }
        Map<String, Long> unchanged = keys(after);
        Map<String, Long> was = keys(before);
        models.forEach(unchanged::remove);
        models.forEach(was::remove);
        assertThat(unchanged).as("the forms").isNotEmpty().isEqualTo(was);
    }

    @Test
    void sendsEachFileAsItIsWithOnlyTheCronReplaced() throws IOException {
        byte[] file = Files.readAllBytes(Path.of("bpmn", "network-backup.bpmn"));
        assertThat(new String(file, StandardCharsets.UTF_8)).contains(">" + FILE_CRON + "<");

        Map<String, byte[]> asFile = deployer(FILE_CRON).resources();
        Map<String, byte[]> edited = deployer(CRON).resources();

        assertThat(asFile.get("network-backup.bpmn")).isEqualTo(file);
        assertThat(asFile.get("device-backup.bpmn")).isEqualTo(Files.readAllBytes(Path.of("bpmn",
                "device-backup.bpmn")));
        assertThat(asFile.get("preflight-failed.form")).isEqualTo(Files.readAllBytes(Path.of("forms",
                "preflight-failed.form")));
        assertThat(new String(edited.get("network-backup.bpmn"), StandardCharsets.UTF_8))
                .isEqualTo(new String(file, StandardCharsets.UTF_8).replace(">" + FILE_CRON + "<", ">" + CRON + "<"));
    }

    /** Sent when the deployer is created, while the context's other beans are; awaited before the workers open. */
    @Test
    void theDeploymentIsUnderWayBeforeTheOtherBeansAndRecordedBeforeTheWorkersOpen() {
        DeployedProcesses deployed = new DeployedProcesses(RETRY, ARCHIVE);
        ProcessDeployer deployer = deployer("0 0 5 1 1 ?", deployed);
        long before = deploymentsOnTheEngine();
        // one deployment a form, one for the models together
        long sent = deployer.resources().keySet().stream().filter(name -> name.endsWith(".form")).count() + 1;

        deployer.afterPropertiesSet();

        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1))
                .until(() -> deploymentsOnTheEngine() >= before + sent);
        assertThat(deployed.keyOf(Processes.NETWORK_BACKUP)).as("recorded only once awaited").isEmpty();
        deployer.afterSingletonsInstantiated();
        assertThat(deployed.keyOf(Processes.NETWORK_BACKUP)).isPresent();
        assertThat(deploymentsOnTheEngine()).as("sent once, not again").isEqualTo(before + sent);
    }

    /** An engine that cannot take the models fails the start-up, where it is seen, before any worker opens. */
    @Test
    void aDeploymentThatFailsFailsTheStartUp() {
        try (CamundaClient nowhere = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://127.0.0.1:" + freeLoopbackPort())).preferRestOverGrpc(false)
                .defaultRequestTimeout(Duration.ofSeconds(30)).build()) {
            DeployedProcesses deployed = new DeployedProcesses(RETRY, ARCHIVE);
            ProcessDeployer deployer = new ProcessDeployer(nowhere, new BackupProperties(Path.of("inventory.yaml"),
                    new BackupProperties.Schedule(CRON)), RETRY, new io.netsnap.backup.RunProperties(
                    Duration.ofHours(4)), new DeployProperties(true), "remote", deployed);

            deployer.afterPropertiesSet();

            org.assertj.core.api.Assertions.assertThatThrownBy(deployer::afterSingletonsInstantiated)
                    .isInstanceOf(RuntimeException.class);
            assertThat(deployed.known()).isFalse();
        }
    }

    private static long deploymentsOnTheEngine() {
        return EngineRecords.snapshot(engine).stream()
                .filter(record -> record.getValueType() == io.camunda.zeebe.protocol.record.ValueType.DEPLOYMENT
                        && record.getIntent() == io.camunda.zeebe.protocol.record.intent.DeploymentIntent.CREATED)
                .count();
    }

    /** A run started on the models before an upgrade keeps its workers after it; an unknown definition does not. */
    @Test
    void theDefinitionsOfEarlierDeploymentsStayKnownAcrossRestarts() {
        Map<String, Long> before = keys(deployer(CRON).deploy());
        Map<String, Long> after = keys(deployer(OTHER_CRON).deploy());

        DeployedProcesses restarted = new DeployedProcesses(RETRY, ARCHIVE);
        assertThat(restarted.known()).as("nothing deployed by this process yet").isFalse();
        // the restarted replica deploys the same models again: same keys, no new version
        deployer(OTHER_CRON).deploy().forEach(restarted::record);
        assertThat(restarted.deployedByNetsnap(before.get(Processes.NETWORK_BACKUP)))
                .as("the earlier version, from the archive's state").isTrue();
        assertThat(restarted.deployedByNetsnap(after.get(Processes.NETWORK_BACKUP))).isTrue();
        assertThat(restarted.deployedByNetsnap(-1L)).isFalse();
    }

    /** Where the deployer keeps the keys it deployed. */
    private static final io.netsnap.archive.Archive ARCHIVE = new io.netsnap.archive.Archive(
            new io.netsnap.archive.ArchiveProperties(tempDir(), false, java.time.Period.ofDays(30)));

    private static Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("netsnap-deployer-test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final RetryProperties RETRY = new RetryProperties(List.of(Duration.ofSeconds(30),
            Duration.ofMinutes(2), Duration.ofMinutes(10)));

    /** With the settings the model files carry: the default retry schedule and run window. */
    private static ProcessDeployer deployer(String cron) {
        return deployer(cron, RETRY, Duration.ofHours(4));
    }

    private static ProcessDeployer deployer(String cron, DeployedProcesses deployed) {
        return new ProcessDeployer(client, new BackupProperties(Path.of("inventory.yaml"),
                new BackupProperties.Schedule(cron)), RETRY, new io.netsnap.backup.RunProperties(Duration.ofHours(4)),
                new DeployProperties(true), "remote", deployed);
    }

    private static ProcessDeployer deployer(String cron, RetryProperties retry, Duration window) {
        return new ProcessDeployer(client, new BackupProperties(Path.of("inventory.yaml"),
                new BackupProperties.Schedule(cron)), retry, new io.netsnap.backup.RunProperties(window),
                new DeployProperties(true), "remote",
                new DeployedProcesses(retry, ARCHIVE));
    }

    /** A device step gets one attempt per configured wait, plus the first; the run's own steps keep theirs. */
    @Test
    void deviceStepsGetAsManyAttemptsAsTheScheduleHasWaitsPlusOneAndTheRunItsWindow() {
        Map<String, byte[]> resources = deployer(CRON, new RetryProperties(List.of(Duration.ofSeconds(5),
                Duration.ofSeconds(50))), Duration.ofMinutes(90)).resources();

        io.camunda.zeebe.model.bpmn.BpmnModelInstance device = io.camunda.zeebe.model.bpmn.Bpmn.readModelFromStream(
                new java.io.ByteArrayInputStream(resources.get("device-backup.bpmn")));
        assertThat(device.getModelElementsByType(
                io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition.class))
                .isNotEmpty().allSatisfy(task -> assertThat(task.getRetries()).as(task.getType()).isEqualTo("3"));
        io.camunda.zeebe.model.bpmn.BpmnModelInstance network = io.camunda.zeebe.model.bpmn.Bpmn.readModelFromStream(
                new java.io.ByteArrayInputStream(resources.get("network-backup.bpmn")));
        assertThat(network.getModelElementsByType(
                io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition.class))
                .allSatisfy(task -> assertThat(task.getRetries()).isEqualTo("3"));
        io.camunda.zeebe.model.bpmn.instance.StartEvent window = network.getModelElementById(
                Processes.RUN_WINDOW_START);
        assertThat(window.getChildElementsByType(io.camunda.zeebe.model.bpmn.instance.TimerEventDefinition.class))
                .singleElement().satisfies(timer -> assertThat(timer.getTimeDuration().getTextContent())
                        .as("netsnap.run.window").isEqualTo("PT1H30M"));
    }

    /** Process and form ids to the key of the definition the deployments left as latest. */
    private static Map<String, Long> keys(List<DeploymentEvent> events) {
        Map<String, Long> keys = new HashMap<>();
        for (DeploymentEvent event : events) {
            event.getProcesses().forEach(p -> keys.put(p.getBpmnProcessId(), p.getProcessDefinitionKey()));
            event.getForm().forEach(f -> keys.put(f.getFormId(), f.getFormKey()));
        }
        return keys;
    }

    private static Map<String, Integer> versions(List<DeploymentEvent> events) {
        Map<String, Integer> versions = new HashMap<>();
        for (DeploymentEvent event : events) {
            event.getProcesses().forEach(p -> versions.put(p.getBpmnProcessId(), p.getVersion()));
            event.getForm().forEach(f -> versions.put(f.getFormId(), f.getVersion()));
        }
        return versions;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
