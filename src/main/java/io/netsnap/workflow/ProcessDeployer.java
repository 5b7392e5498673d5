package io.netsnap.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.DeployResourceCommandStep1;
import io.camunda.client.api.command.DeployResourceCommandStep1.DeployResourceCommandStep2;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.TimeCycle;
import io.netsnap.backup.BackupProperties;

/**
 * Deploys every model under {@code bpmn/} and every form under {@code forms/} at start-up. The nightly timer's cron
 * is set from {@code netsnap.schedule.cron} on the way, so the schedule is configuration, not a model edit.
 */
@Component
class ProcessDeployer {

    private static final Logger log = LoggerFactory.getLogger(ProcessDeployer.class);

    private final CamundaClient client;
    private final BackupProperties properties;
    private final DeployedProcesses deployed;

    ProcessDeployer(CamundaClient client, BackupProperties properties, DeployedProcesses deployed) {
        this.client = client;
        this.properties = properties;
        this.deployed = deployed;
    }

    @EventListener(ApplicationReadyEvent.class)
    void deploy() {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        try {
            DeployResourceCommandStep1 command = client.newDeployResourceCommand();
            DeployResourceCommandStep2 next = null;
            for (Resource form : resolver.getResources("classpath*:forms/*.form")) {
                try (InputStream in = form.getInputStream()) {
                    next = (next == null ? command : next).addResourceBytes(in.readAllBytes(),
                            form.getFilename());
                }
            }
            for (Resource model : resolver.getResources("classpath*:bpmn/*.bpmn")) {
                try (InputStream in = model.getInputStream()) {
                    BpmnModelInstance instance = withSchedule(Bpmn.readModelFromStream(in));
                    next = (next == null ? command : next).addProcessModel(instance, model.getFilename());
                }
            }
            if (next == null) {
                throw new IllegalStateException("no process models found under classpath bpmn/");
            }
            DeploymentEvent event = next.send().join();
            deployed.record(event);
            log.info("Deployed {} process(es) and {} form(s): {}", event.getProcesses().size(),
                    event.getForm().size(), event.getProcesses().stream()
                            .map(p -> p.getBpmnProcessId() + " v" + p.getVersion()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the process models", e);
        }
    }

    private BpmnModelInstance withSchedule(BpmnModelInstance model) {
        StartEvent nightly = model.getModelElementById(Processes.NIGHTLY_START);
        if (nightly != null) {
            nightly.getChildElementsByType(io.camunda.zeebe.model.bpmn.instance.TimerEventDefinition.class)
                    .forEach(timer -> {
                        TimeCycle cycle = timer.getTimeCycle();
                        cycle.setTextContent(properties.schedule().cron());
                    });
        }
        return model;
    }
}
