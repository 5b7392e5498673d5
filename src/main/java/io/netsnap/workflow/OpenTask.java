package io.netsnap.workflow;

import java.util.List;

/**
 * An open user task of the embedded engine, as its record stream tells it: created, neither completed nor canceled.
 *
 * @param key                the user task key, which {@code netsnap tasks complete} names
 * @param elementId          the BPMN element, e.g. {@code UserTask_PreflightFailed}
 * @param name               the element's name in the model, or {@code null}
 * @param processId          the BPMN process id, e.g. {@code network-backup}
 * @param processInstanceKey the instance that waits for it
 * @param candidateGroups    who the model offers it to
 * @param formId             the linked form's id, or {@code null}
 * @param created            when it was created, ISO-8601
 * @param variables          what the task sees (empty in a listing): its local and its instance's variables
 */
public record OpenTask(long key, String elementId, String name, String processId, long processInstanceKey,
                       List<String> candidateGroups, String formId, String created, List<Variable> variables) {

    public OpenTask {
        candidateGroups = candidateGroups == null ? List.of() : List.copyOf(candidateGroups);
        variables = variables == null ? List.of() : List.copyOf(variables);
    }

    /**
     * A variable as the engine recorded it.
     *
     * @param name  its name
     * @param scope {@code local} (the task's own) or {@code process}
     * @param value its JSON value, cut to {@value TaskService#MAX_VALUE_LENGTH} characters
     */
    public record Variable(String name, String scope, String value) {
    }
}
