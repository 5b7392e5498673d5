package io.netsnap.workflow;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.FlowElement;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.protocol.record.value.UserTaskRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.camunda.zeebe.protocol.record.value.deployment.Form;
import io.camunda.zeebe.protocol.record.value.deployment.Process;

/**
 * The open user tasks of the embedded engine, which has no Tasklist: listed and shown from the engine's record
 * stream, completed through {@link UserTasks}, each completion recorded first in netsnap's own store
 * ({@link TaskCompletions}) with the identity the caller cannot choose. The task channel serves it to
 * {@code netsnap tasks}; tests use it directly.
 */
@Component
@ConditionalOnProperty(name = EngineModeEnvironment.ACTIVE, havingValue = "embedded")
class TaskService {

    /** Longest variable value shown; a task's variables are references and figures, a long one is a list. */
    static final int MAX_VALUE_LENGTH = 200;
    /** Set on every completion: who completed it, for people reading the instance. Not proof: see {@link #COMPLETION_ID}. */
    static final String COMPLETED_BY = "completedBy";
    /** Set on every completion: the id of netsnap's own record of it ({@link TaskCompletion}). */
    static final String COMPLETION_ID = "completionId";
    private static final Set<String> RESERVED = Set.of(COMPLETED_BY, COMPLETION_ID);
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** A name given with {@code --as}: a plain account name. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ZeebeTestEngine engine;
    private final UserTasks userTasks;
    private final TaskCompletions completions;
    private final TasksProperties properties;
    private final Map<Long, Map<String, String>> elementNames = new ConcurrentHashMap<>();

    TaskService(ZeebeTestEngine engine, UserTasks userTasks, TaskCompletions completions,
                TasksProperties properties) {
        this.engine = engine;
        this.userTasks = userTasks;
        this.completions = completions;
        this.properties = properties;
    }

    /** Open user tasks, oldest first, without their variables. */
    List<OpenTask> list() {
        List<Record<?>> records = EngineRecords.snapshot(engine);
        return open(records).values().stream()
                .map(created -> view(records, created, false))
                .sorted(Comparator.comparing(OpenTask::created).thenComparing(OpenTask::key))
                .toList();
    }

    /** One open user task with its variables. */
    OpenTask show(long key) {
        List<Record<?>> records = EngineRecords.snapshot(engine);
        Record<?> created = open(records).get(key);
        if (created == null) {
            throw notFound(key);
        }
        return view(records, created, true);
    }

    /**
     * Completes an open user task with the variables a person set, as {@code osUser}, the caller's OS user as the
     * kernel named it; in the lab ({@code netsnap.tasks.allow-as}) {@code as} may name someone else.
     *
     * @param as a user name to act as, or {@code null}
     * @return what was recorded
     */
    synchronized TaskCompletion complete(long key, Map<String, Object> variables, String osUser, String as) {
        String user = actingUser(osUser, as, properties,
                "the task is completed as the OS user running netsnap tasks");
        for (String name : variables.keySet()) {
            if (RESERVED.contains(name)) {
                throw new TaskException(TaskException.Code.BAD_REQUEST, name + " is set by netsnap, not by --set");
            }
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new TaskException(TaskException.Code.BAD_REQUEST, "'" + abbreviate(name)
                        + "' is not a variable name (a letter or '_', then letters, digits, '_')");
            }
        }
        OpenTask task = show(key);
        TaskCompletion completion = new TaskCompletion(UUID.randomUUID().toString(), key, task.elementId(),
                task.processId(), task.processInstanceKey(), user, osUser, Instant.now().toString(),
                List.copyOf(variables.keySet()), TaskCompletion.valuesOf(variables));
        // recorded before the engine hears of it: a completion whose id is in the instance is always on record
        completions.append(completion);
        Map<String, Object> all = new LinkedHashMap<>(variables);
        all.put(COMPLETED_BY, user);
        all.put(COMPLETION_ID, completion.completionId());
        userTasks.complete(key, all);
        return completion;
    }

    /**
     * Who a request over the task channel acts as: {@code osUser}, the caller's OS user as the kernel named it; in the
     * lab ({@code netsnap.tasks.allow-as}) {@code as} if given, a plain account name.
     *
     * @param otherwise what happens outside the lab, for the refusal of {@code as}: "the task is completed as ..."
     */
    static String actingUser(String osUser, String as, TasksProperties properties, String otherwise) {
        if (osUser == null || osUser.isBlank()) {
            throw new TaskException(TaskException.Code.REFUSED, "the caller's OS user is unknown");
        }
        if (as == null) {
            return osUser;
        }
        if (!properties.allowAs()) {
            throw new TaskException(TaskException.Code.REFUSED, "--as is accepted only in the lab"
                    + " (netsnap.tasks.allow-as); here " + otherwise + " (" + osUser + ")");
        }
        if (!USER_NAME.matcher(as).matches()) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "--as " + abbreviate(as)
                    + ": not a user name (letters, digits, '.', '_', '-')");
        }
        return as;
    }

    /** CREATED records of the user tasks not yet completed or canceled, by key. */
    private static Map<Long, Record<?>> open(List<Record<?>> records) {
        Map<Long, Record<?>> open = new LinkedHashMap<>();
        for (Record<?> record : records) {
            if (record.getValueType() != ValueType.USER_TASK || record.getRecordType() != RecordType.EVENT) {
                continue;
            }
            if (record.getIntent() == UserTaskIntent.CREATED) {
                open.put(record.getKey(), record);
            } else if (record.getIntent() == UserTaskIntent.COMPLETED
                    || record.getIntent() == UserTaskIntent.CANCELED) {
                open.remove(record.getKey());
            }
        }
        return open;
    }

    private OpenTask view(List<Record<?>> records, Record<?> created, boolean withVariables) {
        UserTaskRecordValue task = (UserTaskRecordValue) created.getValue();
        long millis = task.getCreationTimestamp() > 0 ? task.getCreationTimestamp() : created.getTimestamp();
        return new OpenTask(task.getUserTaskKey(), task.getElementId(), elementName(records, task),
                task.getBpmnProcessId(), task.getProcessInstanceKey(), task.getCandidateGroupsList(),
                formId(records, task.getFormKey()), Instant.ofEpochMilli(millis).toString(),
                withVariables ? variables(records, task) : List.of());
    }

    /** The task's local variables, then its instance's, each at its latest value. */
    private static List<OpenTask.Variable> variables(List<Record<?>> records, UserTaskRecordValue task) {
        Map<String, String> local = new HashMap<>();
        Map<String, String> process = new HashMap<>();
        for (Record<?> record : records) {
            if (record.getValueType() != ValueType.VARIABLE || record.getRecordType() != RecordType.EVENT) {
                continue;
            }
            VariableRecordValue variable = (VariableRecordValue) record.getValue();
            if (variable.getProcessInstanceKey() != task.getProcessInstanceKey()) {
                continue;
            }
            if (variable.getScopeKey() == task.getElementInstanceKey()) {
                local.put(variable.getName(), variable.getValue());
            } else if (variable.getScopeKey() == task.getProcessInstanceKey()) {
                process.put(variable.getName(), variable.getValue());
            }
        }
        List<OpenTask.Variable> all = new ArrayList<>();
        local.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> all.add(new OpenTask.Variable(e.getKey(), "local", cap(e.getValue()))));
        process.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> all.add(new OpenTask.Variable(e.getKey(), "process", cap(e.getValue()))));
        return all;
    }

    private String elementName(List<Record<?>> records, UserTaskRecordValue task) {
        Map<String, String> names = elementNames.computeIfAbsent(task.getProcessDefinitionKey(),
                definition -> namesOf(records, definition));
        return names.get(task.getElementId());
    }

    /** Element id to name in the deployed model, read once per process definition. */
    private static Map<String, String> namesOf(List<Record<?>> records, long processDefinitionKey) {
        for (Record<?> record : records) {
            if (record.getValueType() == ValueType.PROCESS && record.getValue() instanceof Process process
                    && process.getProcessDefinitionKey() == processDefinitionKey) {
                Map<String, String> names = new HashMap<>();
                try {
                    BpmnModelInstance model = Bpmn.readModelFromStream(
                            new ByteArrayInputStream(process.getResource()));
                    for (FlowElement element : model.getModelElementsByType(FlowElement.class)) {
                        if (element.getName() != null) {
                            names.put(element.getId(), element.getName());
                        }
                    }
                } catch (RuntimeException unreadable) {
                    // a model the engine accepted but this parser does not: the tasks are shown without names
                }
                return Map.copyOf(names);
            }
        }
        return Map.of();
    }

    private static String formId(List<Record<?>> records, long formKey) {
        if (formKey <= 0) {
            return null;
        }
        for (Record<?> record : records) {
            if (record.getValueType() == ValueType.FORM && record.getValue() instanceof Form form
                    && form.getFormKey() == formKey) {
                return form.getFormId();
            }
        }
        return null;
    }

    private static String cap(String value) {
        return value.length() <= MAX_VALUE_LENGTH ? value
                : value.substring(0, MAX_VALUE_LENGTH) + "... (" + value.length() + " characters)";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    static TaskException notFound(long key) {
        return new TaskException(TaskException.Code.NOT_FOUND, "no open user task " + key
                + " (netsnap tasks list shows the open ones)");
    }
}
