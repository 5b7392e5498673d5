package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.camunda.client.annotation.JobWorker;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.BaseElement;
import io.camunda.zeebe.model.bpmn.instance.Error;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnEdge;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeFormDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;

/** The models, forms and workers agree with each other, and every model draws in Operate and the Modeler. */
class ProcessModelTests {

    private static final Path BPMN = Path.of("bpmn");
    private static final Path FORMS = Path.of("forms");

    static Stream<Path> models() throws IOException {
        return Files.list(BPMN).filter(p -> p.toString().endsWith(".bpmn")).sorted();
    }

    @ParameterizedTest
    @MethodSource("models")
    void fileNameIsTheProcessIdAndTheModelIsValid(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        Bpmn.validateModel(model);
        Set<String> ids = model.getModelElementsByType(Process.class).stream().map(Process::getId)
                .collect(Collectors.toSet());
        assertThat(ids).containsExactly(file.getFileName().toString().replace(".bpmn", ""));
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyFlowNodeAndFlowIsDrawn(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        Set<String> drawn = new HashSet<>();
        model.getModelElementsByType(BpmnShape.class).forEach(s -> drawn.add(s.getBpmnElement().getId()));
        model.getModelElementsByType(BpmnEdge.class).forEach(e -> drawn.add(e.getBpmnElement().getId()));
        Stream.concat(model.getModelElementsByType(FlowNode.class).stream(),
                        model.getModelElementsByType(SequenceFlow.class).stream())
                .map(BaseElement::getId)
                .forEach(id -> assertThat(drawn).as("diagram element for %s in %s", id, file).contains(id));
    }

    @Test
    void everyTaskTypeHasAWorkerAndEveryWorkerATask() throws IOException {
        Set<String> taskTypes = new HashSet<>();
        try (Stream<Path> files = models()) {
            files.forEach(file -> Bpmn.readModelFromFile(file.toFile())
                    .getModelElementsByType(ZeebeTaskDefinition.class)
                    .forEach(definition -> taskTypes.add(definition.getType())));
        }
        Set<String> workerTypes = Stream.of(BackupWorkers.class, ArubaWorkers.class, RestoreWorkers.class)
                .flatMap(workers -> Arrays.stream(workers.getMethods()))
                .filter(m -> m.isAnnotationPresent(JobWorker.class))
                .map(m -> m.getAnnotation(JobWorker.class).type()).collect(Collectors.toSet());
        assertThat(workerTypes).isEqualTo(taskTypes);
    }

    @Test
    void everyReferencedFormExistsAndIsNamedByItsId() throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> forms = Files.list(FORMS)) {
            for (Path form : forms.toList()) {
                assertThat(json.readTree(form.toFile()).get("id").asText())
                        .isEqualTo(form.getFileName().toString().replace(".form", ""));
            }
        }
        try (Stream<Path> files = models()) {
            files.forEach(file -> Bpmn.readModelFromFile(file.toFile())
                    .getModelElementsByType(ZeebeFormDefinition.class)
                    .forEach(form -> assertThat(FORMS.resolve(form.getFormId() + ".form")).exists()));
        }
    }

    /**
     * Tasklist 8.6 and 8.7 render forms with a form-js older than 1.16, which answers a failed {@code pattern}
     * with "Field must match pattern" and the raw regular expression; a form describes the format instead.
     */
    @Test
    void noFormValidatesWithARegularExpression() throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> forms = Files.list(FORMS)) {
            for (Path form : forms.toList()) {
                assertThat(json.readTree(form.toFile()).findValues("validate"))
                        .as("validations in %s", form)
                        .allSatisfy(validate -> assertThat(validate.has("pattern")).isFalse());
            }
        }
    }

    /** Two runs waiting on a failed preflight must be told apart in Tasklist: the task shows run, scope and reason. */
    @Test
    void thePreflightTaskShowsTheRunItsScopeAndItsReason() throws IOException {
        String texts = new ObjectMapper().readTree(FORMS.resolve("preflight-failed.form").toFile())
                .findValues("text").toString();

        assertThat(texts).contains("{{if runId = null").contains("scope = \\\"group\\\"").contains("deviceNames")
                .contains("reason").contains("{{#loop preflightProblems}}");
    }

    /**
     * Compared with what the code can throw, not with the list of constants: a BPMN error is made in one place
     * ({@link Faults}, checked here), with a code that {@code Faults} or a worker names as a {@code Processes.ERROR_*}
     * constant. Those names are read from the main sources (comments left out), so a constant that nothing throws
     * does not count, and a model that catches it fails.
     */
    @Test
    void everyCaughtErrorCodeIsOneTheWorkersThrow() throws IOException, ReflectiveOperationException {
        Path main = Path.of("src/main/java");
        Path workflow = main.resolve("io/netsnap/workflow");
        Map<Path, String> sources = new HashMap<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(file, withoutComments(Files.readString(file)));
            }
        }
        assertThat(sources.entrySet().stream().filter(e -> e.getValue().contains("bpmnError("))
                .map(Map.Entry::getKey)).as("where BPMN errors are made").containsExactly(
                workflow.resolve("Faults.java"));

        Set<String> thrown = new HashSet<>();
        Matcher named = Pattern.compile("\\bProcesses\\.(ERROR_[A-Z_]+)\\b").matcher("");
        for (Map.Entry<Path, String> source : sources.entrySet()) {
            if (source.getKey().startsWith(workflow) && !source.getKey().endsWith("Processes.java")) {
                named.reset(source.getValue());
                while (named.find()) {
                    thrown.add((String) Processes.class.getDeclaredField(named.group(1)).get(null));
                }
            }
        }
        Set<String> caught = new HashSet<>();
        try (Stream<Path> files = models()) {
            files.forEach(file -> Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(Error.class)
                    .forEach(error -> caught.add(error.getErrorCode())));
        }
        assertThat(caught).as("error codes the models catch by name").isNotEmpty();
        assertThat(thrown).as("error codes Faults and the workers throw").containsAll(caught);
    }

    private static String withoutComments(String java) {
        // a line comment starts at "//" that is not part of a URL ("https://") in a string
        return java.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?<!:)//[^\\n]*", "");
    }

    /** The model names no platform: it routes on the kind the driver's traits give, so a new platform adds no flow. */
    @Test
    void devicesAreRoutedByKindNeverByPlatformName() throws IOException {
        BpmnModelInstance model = Bpmn.readModelFromFile(BPMN.resolve("device-backup.bpmn").toFile());
        Map<String, String> conditions = model.getModelElementsByType(SequenceFlow.class).stream()
                .filter(flow -> flow.getSource().getId().equals("Gateway_Platform")
                        && flow.getConditionExpression() != null)
                .collect(Collectors.toMap(BaseElement::getId, flow -> flow.getConditionExpression().getTextContent()));

        assertThat(conditions).containsOnly(
                Map.entry("Flow_PlatformToDiscover", "=device.kind = \"" + DeviceVariable.CLI_CONTEXTS + "\""),
                Map.entry("Flow_PlatformToAruba", "=device.kind = \"" + DeviceVariable.REST_STEPS + "\""));
        try (Stream<Path> files = models()) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("device.platform");
            }
        }
    }

    @Test
    void deviceBackupRetriesMatchTheBackoffSchedule() {
        BpmnModelInstance model = Bpmn.readModelFromFile(BPMN.resolve("device-backup.bpmn").toFile());
        ServiceTask backup = model.getModelElementById("Task_BackupDevice");
        ZeebeTaskDefinition definition = backup.getSingleExtensionElement(ZeebeTaskDefinition.class);
        assertThat(definition.getType()).isEqualTo(Processes.JOB_BACKUP_DEVICE);
        assertThat(definition.getRetries()).isEqualTo(String.valueOf(Processes.DEVICE_ATTEMPTS));
    }
}
