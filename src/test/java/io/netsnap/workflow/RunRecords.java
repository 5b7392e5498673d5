package io.netsnap.workflow;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.JobIntent;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.JobRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;

/** What the engine's record stream says about one network-backup instance. */
final class RunRecords {

    private final ZeebeTestEngine engine;

    RunRecords(ZeebeTestEngine engine) {
        this.engine = engine;
    }

    /** device-backup instances started by this network-backup instance. */
    long deviceBackupsOf(long networkBackupKey) {
        return records().stream().filter(r -> r.getValueType() == ValueType.PROCESS_INSTANCE)
                .map(r -> (ProcessInstanceRecordValue) r.getValue())
                .filter(v -> v.getBpmnProcessId().equals(Processes.DEVICE_BACKUP)
                        && v.getParentProcessInstanceKey() == networkBackupKey)
                .map(ProcessInstanceRecordValue::getProcessInstanceKey).distinct().count();
    }

    UserTaskRecordValue awaitUserTask(long run, String elementId) {
        return await().atMost(Duration.ofMinutes(1)).until(() -> records().stream()
                .filter(r -> r.getValueType() == ValueType.USER_TASK && r.getIntent() == UserTaskIntent.CREATED)
                .map(r -> (UserTaskRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == run && v.getElementId().equals(elementId))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    boolean ended(long run) {
        return records().stream().anyMatch(r -> r.getValueType() == ValueType.PROCESS_INSTANCE
                && r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
                && ((ProcessInstanceRecordValue) r.getValue()).getBpmnElementType() == BpmnElementType.PROCESS
                && r.getKey() == run);
    }

    /** The latest value (JSON) of a variable of the process instance's own scope, or {@code null}. */
    String variable(long run, String name) {
        return records().stream().filter(r -> r.getValueType() == ValueType.VARIABLE)
                .map(r -> (VariableRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == run && v.getScopeKey() == run && v.getName().equals(name))
                .reduce((first, second) -> second).map(VariableRecordValue::getValue).orElse(null);
    }

    /** The variables of the process instance's own scope, each with its latest value (JSON), by name. */
    Map<String, String> rootVariables(long run) {
        Map<String, String> latest = new java.util.TreeMap<>();
        rootVariableRecords(run).forEach(v -> latest.put(v.getName(), v.getValue()));
        return latest;
    }

    /** How often a variable of the process instance's own scope was created or updated. */
    long rootVariableWrites(long run) {
        return rootVariableRecords(run).count();
    }

    private java.util.stream.Stream<VariableRecordValue> rootVariableRecords(long run) {
        return records().stream().filter(r -> r.getValueType() == ValueType.VARIABLE)
                .map(r -> (VariableRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == run && v.getScopeKey() == run);
    }

    long activations(long run, String elementId) {
        return records().stream().filter(r -> r.getValueType() == ValueType.PROCESS_INSTANCE
                        && r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED)
                .map(r -> (ProcessInstanceRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == run && v.getElementId().equals(elementId)).count();
    }

    /** FAILED job records (retries) of the device-backup instance that backed up {@code device} in this run. */
    List<JobRecordValue> failedJobsOf(String device, long networkBackupKey) {
        long child = childInstanceOf(device, networkBackupKey);
        return records().stream().filter(r -> r.getValueType() == ValueType.JOB && r.getIntent() == JobIntent.FAILED)
                .map(r -> (JobRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == child)
                .toList();
    }

    /** Completed element instances of {@code elementId} and {@code type} in one process instance. */
    long completedElements(long processInstanceKey, String elementId, BpmnElementType type) {
        return records().stream().filter(r -> r.getValueType() == ValueType.PROCESS_INSTANCE
                        && r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED)
                .map(r -> (ProcessInstanceRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == processInstanceKey && v.getElementId().equals(elementId)
                        && v.getBpmnElementType() == type)
                .count();
    }

    /** The device-backup instance that backed up {@code device} in the given run. */
    long childInstanceOf(String device, long networkBackupKey) {
        List<Record<?>> records = records();
        Map<Long, Long> parentOf = new HashMap<>();
        records.stream().filter(r -> r.getValueType() == ValueType.PROCESS_INSTANCE)
                .map(r -> (ProcessInstanceRecordValue) r.getValue())
                .forEach(v -> parentOf.putIfAbsent(v.getProcessInstanceKey(), v.getParentProcessInstanceKey()));
        return records.stream().filter(r -> r.getValueType() == ValueType.VARIABLE)
                .map(r -> (VariableRecordValue) r.getValue())
                .filter(v -> v.getName().equals("deviceName") && v.getValue().equals("\"" + device + "\"")
                        && v.getBpmnProcessId().equals(Processes.DEVICE_BACKUP)
                        && parentOf.getOrDefault(v.getProcessInstanceKey(), -1L) == networkBackupKey)
                .map(VariableRecordValue::getProcessInstanceKey).findFirst().orElseThrow();
    }

    /** Every record of the engine as JSON, one a line: what a leak scan reads (variables, job errors). */
    String json() {
        StringBuilder json = new StringBuilder();
        records().forEach(record -> json.append(record.toJson()).append('\n'));
        return json.toString();
    }

    private List<Record<?>> records() {
        return StreamSupport.stream(engine.getRecordStreamSource().getRecords().spliterator(), false).toList();
    }
}
