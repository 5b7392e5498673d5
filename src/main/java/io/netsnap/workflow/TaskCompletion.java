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
 */
public record TaskCompletion(String completionId, long task, String elementId, String processId,
                             long processInstanceKey, String user, String osUser, String time,
                             List<String> variables) {

    public TaskCompletion {
        variables = variables == null ? List.of() : List.copyOf(variables);
    }
}
