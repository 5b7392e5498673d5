package io.netsnap.workflow;

import java.util.List;

/**
 * One completed user task as netsnap recorded it in {@code <archive root>/state/task-completions.jsonl}, before the
 * engine was asked to complete it. The completion also carries {@code completionId} as a variable; a check that
 * needs to know who completed a task (four eyes) looks the id up here and compares task and instance, rather than
 * trusting a variable anyone with engine access could have written.
 *
 * @param completionId       random id, also set as the variable {@value TaskService#COMPLETION_ID}
 * @param task               the user task key
 * @param elementId          its BPMN element
 * @param processId          its process
 * @param processInstanceKey its instance
 * @param user               who completed it: the OS user the kernel named for the caller, or with {@code --as}
 *                           in the lab the name given
 * @param osUser             the OS user the kernel named for the caller, always
 * @param time               when, ISO-8601
 * @param variables          the names of the variables the person set
 * @param values             what the person set, each value as text cut to {@value #MAX_VALUE} characters: a
 *                           check that acts on a decision (approve or reject) reads it here, not from a variable that
 *                           anyone with engine access could have changed since
 */
public record TaskCompletion(String completionId, long task, String elementId, String processId,
                             long processInstanceKey, String user, String osUser, String time,
                             List<String> variables, java.util.Map<String, String> values) {

    /** Longest value kept; decisions and reasons are short. */
    public static final int MAX_VALUE = 500;

    public TaskCompletion {
        variables = variables == null ? List.of() : List.copyOf(variables);
        values = values == null ? java.util.Map.of() : java.util.Map.copyOf(values);
    }

    /** The values a person set, as kept in the record. */
    static java.util.Map<String, String> valuesOf(java.util.Map<String, Object> variables) {
        java.util.Map<String, String> values = new java.util.TreeMap<>();
        variables.forEach((name, value) -> {
            String text = String.valueOf(value);
            values.put(name, text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE) : text);
        });
        return values;
    }
}
