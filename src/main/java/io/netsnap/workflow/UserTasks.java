package io.netsnap.workflow;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.camunda.zeebe.util.buffer.BufferUtil;

/**
 * Completes Camunda user tasks ({@code zeebe:userTask}) in both run modes. Remote: the client's user-task command
 * (REST). Embedded: the in-memory engine serves gRPC only, and gRPC has no user-task command, so the COMPLETE
 * command is written to the engine's log directly, where the gateway would have put it. That reaches into the test
 * engine's internals (one place, here); the engine then processes it exactly as a Tasklist completion.
 */
@Component
public class UserTasks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamundaClient client;
    private final ObjectProvider<ZeebeTestEngine> embeddedEngine;

    UserTasks(CamundaClient client, ObjectProvider<ZeebeTestEngine> embeddedEngine) {
        this.client = client;
        this.embeddedEngine = embeddedEngine;
    }

    /** Completes the user task {@code userTaskKey} with {@code variables} (e.g. {@code decision=retry}). */
    public void complete(long userTaskKey, Map<String, Object> variables) {
        ZeebeTestEngine engine = embeddedEngine.getIfAvailable();
        if (engine == null) {
            client.newCompleteUserTaskCommand(userTaskKey).variables(variables).send().join();
            return;
        }
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
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot complete user task " + userTaskKey
                    + " on the embedded engine (its internals changed?)", e);
        }
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
