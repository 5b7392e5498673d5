package io.netsnap.workflow;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.impl.encoding.MsgPackConverter;
import io.camunda.zeebe.protocol.impl.record.RecordMetadata;
import io.camunda.zeebe.protocol.impl.record.UnifiedRecordValue;
import io.camunda.zeebe.protocol.impl.record.value.usertask.UserTaskRecord;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.util.buffer.BufferUtil;

/**
 * Completes Camunda user tasks ({@code zeebe:userTask}) in both run modes. Remote: the client's user-task command
 * (REST). Embedded: the in-memory engine serves gRPC only, and gRPC has no user-task command, so the COMPLETE
 * command is written to the engine's log directly, where the gateway would have put it. That reaches into the test
 * engine's internals (one place, here); the engine then processes it exactly as a Tasklist completion.
 *
 * <p>Writing to the log answers nothing, so in embedded mode {@link #complete} reads the engine's verdict from the
 * record stream before it returns: the task's COMPLETED event, or the command's rejection with the engine's reason.
 */
@Component
public class UserTasks {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the engine may take to process the command; it is seconds even on a busy machine. */
    private static final Duration VERDICT_TIMEOUT = Duration.ofSeconds(30);

    private final CamundaClient client;
    private final ObjectProvider<ZeebeTestEngine> embeddedEngine;

    UserTasks(CamundaClient client, ObjectProvider<ZeebeTestEngine> embeddedEngine) {
        this.client = client;
        this.embeddedEngine = embeddedEngine;
    }

    /**
     * Completes the user task {@code userTaskKey} with {@code variables} (e.g. {@code decision=retry}) and returns
     * once the engine has completed it.
     *
     * @throws TaskException {@code REFUSED} when the engine rejects the completion (no such task, already completed,
     *                       denied by a task listener), {@code FAILED} when it gives no verdict in time or its
     *                       internals are not the ones this class knows
     */
    public void complete(long userTaskKey, Map<String, Object> variables) {
        ZeebeTestEngine engine = embeddedEngine.getIfAvailable();
        if (engine == null) {
            client.newCompleteUserTaskCommand(userTaskKey).variables(variables).send().join();
            return;
        }
        long before = lastPosition(engine);
        write(engine, userTaskKey, variables);
        awaitVerdict(engine, userTaskKey, before);
    }

    private static void write(ZeebeTestEngine engine, long userTaskKey, Map<String, Object> variables) {
        UserTaskRecord record = new UserTaskRecord().setUserTaskKey(userTaskKey).setAction("complete");
        record.setVariables(BufferUtil.wrapArray(MsgPackConverter.convertToMsgPack(json(variables))));
        RecordMetadata metadata = new RecordMetadata().recordType(RecordType.COMMAND)
                .valueType(ValueType.USER_TASK).intent(UserTaskIntent.COMPLETE);
        try {
            Object gateway = field(engine, "gateway");
            Object writer = field(gateway, "writer");
            Method write = writer.getClass().getDeclaredMethod("writeCommandWithKey", Long.class,
                    UnifiedRecordValue.class, RecordMetadata.class);
            write.setAccessible(true);
            write.invoke(writer, userTaskKey, record, metadata);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new TaskException(TaskException.Code.FAILED, "cannot complete user task " + userTaskKey
                    + " on the embedded engine (its internals changed?): " + e);
        }
    }

    /** Waits for what the engine made of the COMPLETE command written after {@code before}. */
    private static void awaitVerdict(ZeebeTestEngine engine, long userTaskKey, long before) {
        long deadline = System.nanoTime() + VERDICT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Record<?> record : EngineRecords.snapshot(engine)) {
                if (record.getPosition() <= before || record.getValueType() != ValueType.USER_TASK
                        || record.getKey() != userTaskKey) {
                    continue;
                }
                if (record.getRecordType() == RecordType.EVENT && record.getIntent() == UserTaskIntent.COMPLETED) {
                    return;
                }
                if (record.getRecordType() == RecordType.COMMAND_REJECTION
                        && record.getIntent() == UserTaskIntent.COMPLETE) {
                    throw new TaskException(TaskException.Code.REFUSED, "the engine refused to complete user task "
                            + userTaskKey + ": " + record.getRejectionReason());
                }
                if (record.getIntent() == UserTaskIntent.COMPLETION_DENIED) {
                    throw new TaskException(TaskException.Code.REFUSED, "a task listener denied completing user task "
                            + userTaskKey);
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new TaskException(TaskException.Code.FAILED, "the embedded engine did not confirm completing user task "
                + userTaskKey + " within " + VERDICT_TIMEOUT.toSeconds() + " s");
    }

    private static long lastPosition(ZeebeTestEngine engine) {
        var records = EngineRecords.snapshot(engine);
        return records.isEmpty() ? -1 : records.get(records.size() - 1).getPosition();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    private static String json(Map<String, Object> variables) {
        try {
            return JSON.writeValueAsString(variables);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("variables are not JSON", e);
        }
    }
}
