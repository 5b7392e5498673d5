package io.netsnap.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.DeploymentIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;

/**
 * When each step of a network-backup run ran and how long each device's backup took, as the embedded engine's record
 * stream tells it (the records' own timestamps): for {@code netsnap bench}. In remote mode the records are in the
 * cluster's exporters, not here, and there is no timeline.
 */
@Component
public class RunTimeline {

    /** The steps of network-backup that a run's time goes to, in the order they run. */
    public static final List<String> STEPS = List.of("Task_ResolveScope", "Task_Preflight",
            "CallActivity_BackupDevices", "Task_CommitHistory", "Task_Upload", "Task_ApplyRetention",
            "Task_WriteReport", "Task_NotifyRunEnd");

    private final ObjectProvider<ZeebeTestEngine> engine;
    private final ObjectProvider<EmbeddedEngineStart> engineStart;

    RunTimeline(ObjectProvider<ZeebeTestEngine> engine, ObjectProvider<EmbeddedEngineStart> engineStart) {
        this.engine = engine;
        this.engineStart = engineStart;
    }

    /** When the embedded engine had started, or empty in remote mode. */
    public Optional<Instant> engineReady() {
        EmbeddedEngineStart start = engineStart.getIfAvailable();
        return Optional.ofNullable(start == null ? null : start.ready());
    }

    /** From the first activation of an element to its last completion (or termination). */
    public record Span(Instant start, Instant end) {

        public Duration duration() {
            return Duration.between(start, end);
        }
    }

    /**
     * @param run     the network-backup instance, from its activation to its completion
     * @param steps   each of {@link #STEPS} that ran, by element id, in model order
     * @param devices each device-backup instance the run called, from its activation to its end, in start order
     * @param modelsDeployed when the engine wrote the last deployment before the run started, or {@code null} when it
     *                       holds none (the models were deployed by another process)
     */
    public record Timeline(Span run, Map<String, Span> steps, List<Span> devices, Instant modelsDeployed) {
    }

    /** The timeline of an ended network-backup instance, or empty when no embedded engine holds its records. */
    public Optional<Timeline> of(long networkBackupKey) {
        ZeebeTestEngine embedded = engine.getIfAvailable();
        if (embedded == null) {
            return Optional.empty();
        }
        Map<String, Instant[]> elements = new LinkedHashMap<>();
        Map<Long, Instant[]> children = new LinkedHashMap<>();
        Instant[] run = new Instant[2];
        List<Instant> deployments = new ArrayList<>();
        for (Record<?> record : EngineRecords.snapshot(embedded)) {
            if (record.getValueType() == ValueType.DEPLOYMENT && record.getIntent() == DeploymentIntent.CREATED) {
                deployments.add(Instant.ofEpochMilli(record.getTimestamp()));
            }
            if (record.getValueType() != ValueType.PROCESS_INSTANCE
                    || !(record.getIntent() instanceof ProcessInstanceIntent intent)) {
                continue;
            }
            boolean start = intent == ProcessInstanceIntent.ELEMENT_ACTIVATING;
            boolean end = intent == ProcessInstanceIntent.ELEMENT_COMPLETED
                    || intent == ProcessInstanceIntent.ELEMENT_TERMINATED;
            if (!start && !end) {
                continue;
            }
            ProcessInstanceRecordValue value = (ProcessInstanceRecordValue) record.getValue();
            Instant at = Instant.ofEpochMilli(record.getTimestamp());
            if (value.getBpmnElementType() == BpmnElementType.PROCESS) {
                if (record.getKey() == networkBackupKey) {
                    mark(run, start, at);
                } else if (value.getParentProcessInstanceKey() == networkBackupKey) {
                    mark(children.computeIfAbsent(record.getKey(), k -> new Instant[2]), start, at);
                }
            } else if (value.getProcessInstanceKey() == networkBackupKey && STEPS.contains(value.getElementId())) {
                mark(elements.computeIfAbsent(value.getElementId(), k -> new Instant[2]), start, at);
            }
        }
        if (run[0] == null || run[1] == null) {
            return Optional.empty();
        }
        Map<String, Span> steps = new LinkedHashMap<>();
        for (String step : STEPS) {
            Instant[] span = elements.get(step);
            if (span != null && span[0] != null && span[1] != null) {
                steps.put(step, new Span(span[0], span[1]));
            }
        }
        List<Span> devices = new ArrayList<>();
        children.values().stream().filter(s -> s[0] != null && s[1] != null).map(s -> new Span(s[0], s[1]))
                .sorted(java.util.Comparator.comparing(Span::start)).forEach(devices::add);
        Instant deployed = deployments.stream().filter(at -> !at.isAfter(run[0])).max(Instant::compareTo)
                .orElse(null);
        return Optional.of(new Timeline(new Span(run[0], run[1]), steps, List.copyOf(devices), deployed));
    }

    /** The first start and the last end: a step that is retried or entered twice spans all of its passes. */
    private static void mark(Instant[] span, boolean start, Instant at) {
        if (start && span[0] == null) {
            span[0] = at;
        } else if (!start && (span[1] == null || at.isAfter(span[1]))) {
            span[1] = at;
        }
    }
}
