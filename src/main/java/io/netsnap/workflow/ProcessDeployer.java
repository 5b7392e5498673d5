package io.netsnap.workflow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.CamundaFuture;
import io.camunda.client.api.command.FinalCommandStep;
import io.camunda.client.api.command.DeployResourceCommandStep1.DeployResourceCommandStep2;
import io.camunda.client.api.response.DeploymentEvent;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.TimerEventDefinition;
import io.netsnap.backup.BackupProperties;

/**
 * Deploys every model under {@code bpmn/} and every form under {@code forms/} at start-up, when this process is the
 * one that deploys ({@link DeployProperties}). Three settings are written into the models on the way, so that they
 * are configuration, not model edits: the nightly timer's cron ({@code netsnap.schedule.cron}), the run window's
 * duration ({@code netsnap.run.window}) and the device steps' attempts (one more than {@code netsnap.retry.backoff}
 * has waits).
 * <p>
 * Zeebe keeps the latest version of a process or form when a deployment brings the same bytes again. The deployer
 * therefore sends each file's own bytes, with only the cron's text replaced, rather than a re-serialized model:
 * replicas with the same settings send the same bytes whatever library version they run, and with the cron the file
 * carries the bytes are the file's, as Modeler would deploy them.
 * <p>
 * The deployment is sent as soon as this bean exists, while Spring creates the beans after it, and awaited before the
 * job workers open: a deployment that fails still fails the start-up. A remote engine gets the models at every
 * start-up, changed or not: it answers unchanged models with the definitions it has (no new version), and that answer
 * is the only proof that it still has them (an engine whose state was wiped has none); the round trip is the cost.
 */
@Component
class ProcessDeployer implements InitializingBean, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ProcessDeployer.class);

    /** The nightly start event, from its opening tag to its closing tag, whatever the namespace prefix. */
    private static final Pattern NIGHTLY_START = Pattern.compile("<(\\w+:|)startEvent\\b[^>]*\\bid=\""
            + Processes.NIGHTLY_START + "\".*?</\\1startEvent>", Pattern.DOTALL);
    /** The retries of a task definition: the text up to the number, the number, the closing quote. */
    private static final Pattern TASK_RETRIES = Pattern.compile("(<(?:\\w+:|)taskDefinition\\b[^>]*\\bretries=\")(\\d+)(\")");
    /** The run window's start event, from its opening tag to its closing tag. */
    private static final Pattern RUN_WINDOW_START = Pattern.compile("<(\\w+:|)startEvent\\b[^>]*\\bid=\""
            + Processes.RUN_WINDOW_START + "\".*?</\\1startEvent>", Pattern.DOTALL);
    /** A timer's duration: opening tag, text, closing tag. */
    private static final Pattern TIME_DURATION = Pattern.compile(
            "(<(\\w+:|)timeDuration\\b[^>]*>)([^<]*)(</\\2timeDuration>)");
    /** A timer's cycle: opening tag, text, closing tag. */
    private static final Pattern TIME_CYCLE = Pattern.compile("(<(\\w+:|)timeCycle\\b[^>]*>)([^<]*)(</\\2timeCycle>)");

    /** How long the embedded engine may take to answer a deployment. */
    static final java.time.Duration EMBEDDED_DEPLOY_TIMEOUT = java.time.Duration.ofMinutes(2);

    private final CamundaClient client;
    private final BackupProperties properties;
    private final RetryProperties retry;
    private final io.netsnap.backup.RunProperties run;
    private final DeployProperties deploy;
    private final boolean embedded;
    private final DeployedProcesses deployed;
    /** The deployment under way, from {@link #afterPropertiesSet()} to {@link #afterSingletonsInstantiated()}. */
    private List<CamundaFuture<DeploymentEvent>> sent;
    /** When the last {@link #send()} began: for the log line. */
    private long started;

    ProcessDeployer(CamundaClient client, BackupProperties properties, RetryProperties retry,
                    io.netsnap.backup.RunProperties run, DeployProperties deploy,
                    @Value("${" + EngineModeEnvironment.ACTIVE + "}") String engine, DeployedProcesses deployed) {
        this.client = client;
        this.run = run;
        this.properties = properties;
        this.retry = retry;
        this.deploy = deploy;
        this.embedded = "embedded".equals(engine);
        this.deployed = deployed;
    }

    /** Sends the deployment while the rest of the context is created: the engine works on it meanwhile. */
    @Override
    public void afterPropertiesSet() {
        if (deploys()) {
            sent = send();
        }
    }

    /** Before the job workers open (they start with the context's lifecycle), so that they know netsnap's keys. */
    @Override
    public void afterSingletonsInstantiated() {
        if (deploys()) {
            List<CamundaFuture<DeploymentEvent>> underWay = sent == null ? send() : sent;
            sent = null;
            record(underWay);
        } else {
            log.info("Models not deployed (netsnap.deploy.enabled=false): the engine runs what netsnap run deployed;"
                    + " job workers here, if any, refuse every job");
        }
    }

    /**
     * The forms one by one, the models together. Since Camunda 8.6 a deployment in which any resource changed gives
     * every resource in it a new version: a new cron versions every model (config-restore too), but not the forms. The models travel
     * together because network-backup calls device-backup with {@code bindingType="deployment"}: a device-backup
     * someone else deployed later is never the one a run calls.
     */
    List<DeploymentEvent> deploy() {
        return record(send());
    }

    private boolean deploys() {
        return embedded || deploy.enabled();
    }

    /** Every deployment command sent at once, the forms' and the models'; the engine takes them in turn. */
    private List<CamundaFuture<DeploymentEvent>> send() {
        started = System.nanoTime();
        Map<String, byte[]> resources = resources();
        if (resources.keySet().stream().noneMatch(name -> name.endsWith(".bpmn"))) {
            throw new IllegalStateException("no process models found under classpath bpmn/");
        }
        List<CamundaFuture<DeploymentEvent>> futures = new ArrayList<>();
        resources.forEach((name, bytes) -> {
            if (name.endsWith(".form")) {
                futures.add(timed(client.newDeployResourceCommand().addResourceBytes(bytes, name)).send());
            }
        });
        DeployResourceCommandStep2 models = null;
        for (Map.Entry<String, byte[]> model : resources.entrySet()) {
            if (model.getKey().endsWith(".bpmn")) {
                models = (models == null ? client.newDeployResourceCommand() : models)
                        .addResourceBytes(model.getValue(), model.getKey());
            }
        }
        futures.add(timed(models).send());
        return futures;
    }

    /**
     * The embedded engine shares this JVM's CPUs with the start-up around it, and its first deployment loads its
     * model transformers: it gets longer than the client's request timeout. A remote engine gets the client's.
     */
    private FinalCommandStep<DeploymentEvent> timed(DeployResourceCommandStep2 command) {
        return embedded ? command.requestTimeout(EMBEDDED_DEPLOY_TIMEOUT) : command;
    }

    private List<DeploymentEvent> record(List<CamundaFuture<DeploymentEvent>> futures) {
        List<DeploymentEvent> events = futures.stream().map(CamundaFuture::join).toList();
        events.forEach(deployed::record);
        log.info("Deployed in {} ms: {}", (System.nanoTime() - started) / 1_000_000, events.stream().flatMap(event ->
                Stream.concat(event.getProcesses().stream().map(p -> p.getBpmnProcessId() + " v" + p.getVersion()),
                        event.getForm().stream().map(f -> f.getFormId() + " v" + f.getVersion()))).toList());
        return events;
    }

    /** What {@link #deploy()} sends, by file name: the forms, then the models, each set in name order. */
    Map<String, byte[]> resources() {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        Map<String, byte[]> resources = new LinkedHashMap<>();
        try {
            for (Resource form : sorted(resolver.getResources("classpath*:forms/*.form"))) {
                resources.put(form.getFilename(), read(form));
            }
            for (Resource model : sorted(resolver.getResources("classpath*:bpmn/*.bpmn"))) {
                resources.put(model.getFilename(),
                        withAttempts(model.getFilename(), withWindow(model.getFilename(),
                                withSchedule(model.getFilename(), read(model)))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the process models", e);
        }
        return resources;
    }

    private byte[] withSchedule(String name, byte[] model) {
        String text = new String(model, StandardCharsets.UTF_8);
        Matcher nightly = NIGHTLY_START.matcher(text);
        if (!nightly.find()) {
            return model;
        }
        String cron = properties.schedule().cron();
        Matcher cycle = TIME_CYCLE.matcher(nightly.group());
        if (!cycle.find()) {
            throw new IllegalStateException(name + ": " + Processes.NIGHTLY_START + " has no timeCycle to set");
        }
        String start = nightly.group().substring(0, cycle.start(3)) + xmlText(cron)
                + nightly.group().substring(cycle.end(3));
        byte[] edited = (text.substring(0, nightly.start()) + start + text.substring(nightly.end()))
                .getBytes(StandardCharsets.UTF_8);
        // the edit was made on text, not on the model: read it back to be sure it set what the engine will read
        String deployed = cycleOf(edited);
        if (!cron.equals(deployed)) {
            throw new IllegalStateException(name + ": the nightly timer's cron reads '" + deployed
                    + "' after setting it to '" + cron + "'");
        }
        return edited;
    }

    /** network-backup's run window timer set to {@code netsnap.run.window}. */
    private byte[] withWindow(String name, byte[] model) {
        String text = new String(model, StandardCharsets.UTF_8);
        Matcher start = RUN_WINDOW_START.matcher(text);
        if (!start.find()) {
            return model;
        }
        Matcher duration = TIME_DURATION.matcher(start.group());
        if (!duration.find()) {
            throw new IllegalStateException(name + ": " + Processes.RUN_WINDOW_START + " has no timeDuration to set");
        }
        String edited = start.group().substring(0, duration.start(3)) + run.window()
                + start.group().substring(duration.end(3));
        return (text.substring(0, start.start()) + edited + text.substring(start.end())).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * device-backup's steps with as many attempts as {@code netsnap.retry.backoff} has waits, plus one. The other
     * models keep theirs.
     */
    private byte[] withAttempts(String name, byte[] model) {
        if (!(Processes.DEVICE_BACKUP + ".bpmn").equals(name)) {
            return model;
        }
        String attempts = String.valueOf(retry.attempts());
        Matcher retries = TASK_RETRIES.matcher(new String(model, StandardCharsets.UTF_8));
        StringBuilder edited = new StringBuilder();
        while (retries.find()) {
            retries.appendReplacement(edited, Matcher.quoteReplacement(retries.group(1) + attempts + retries.group(3)));
        }
        retries.appendTail(edited);
        return edited.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cycleOf(byte[] model) {
        StartEvent nightly = Bpmn.readModelFromStream(new ByteArrayInputStream(model))
                .getModelElementById(Processes.NIGHTLY_START);
        return nightly.getChildElementsByType(TimerEventDefinition.class).stream()
                .map(timer -> timer.getTimeCycle().getTextContent()).findFirst().orElse(null);
    }

    private static String xmlText(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Iterable<Resource> sorted(Resource[] resources) {
        return Stream.of(resources).sorted(Comparator.comparing(Resource::getFilename))::iterator;
    }

    private static byte[] read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
