package io.netsnap.workflow;

import java.lang.reflect.Field;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.stream.impl.StreamProcessor;
import io.camunda.zeebe.stream.impl.StreamProcessorContext;

/**
 * Works around a data race in the embedded engine (zeebe-process-test-engine 8.8.21) that lost job retries: a job
 * failed with a retry backoff was, now and then, never activated again.
 *
 * <p>The mechanism: the stream processor runs its scheduled tasks (the job backoff check, the job timeout check, the
 * timer check, message expiry) on a separate actor, {@code AsyncProcessingScheduleActor}, because
 * {@code StreamProcessorContext.enableAsyncScheduledTasks} defaults to {@code true} and
 * {@code ExtendedProcessingScheduleServiceImpl} then sends every {@code runAt}/{@code runDelayed} there. Those tasks
 * read the engine state while the stream processor writes it. Zeebe's RocksDB allows that; the in-memory engine's
 * {@code InMemoryDb} does not: it is one plain {@code TreeMap} that {@code InMemoryDbTransaction.commit()} writes
 * into and that every read copies whole ({@code InMemoryDbTransaction.newIterator()}). When the two actors run on
 * different threads (the engine has {@code availableProcessors - 2} CPU actor threads, so from four cores on), the
 * backoff check ({@code JobBackoffCheckScheduler} through {@code DueDateCheckScheduler.execute}) either fails with a
 * {@code ConcurrentModificationException} ("Uncaught exception in 'AsyncProcessingScheduleActor-1'") or reads a torn
 * map and misses a job. Either way it has already cleared its next execution and plans none for the job it did not
 * see; only the next job failed with a backoff plans a check again. The last retry of a quiet engine, one device
 * that is down, waits forever. The job timeout check dies the same way and plans no check at all after it.
 *
 * <p>The fix: before the engine starts, the stream processor is told to run these tasks on its own actor, the only
 * one that writes the state, as Zeebe did before asynchronous scheduled tasks. Reads and writes are then
 * serialized by the actor. Tasks the engine explicitly asks to run asynchronously (batch operations, usage metrics)
 * stay where they are; netsnap uses none of them.
 */
final class EngineScheduleGuard {

    private static final String CONTEXT_FIELD = "streamProcessorContext";

    private EngineScheduleGuard() {
    }

    /**
     * Must be called before {@link ZeebeTestEngine#start()}: the stream processor reads the setting when it opens.
     *
     * @return {@code true} when the engine's scheduled tasks will run on its stream processor's actor; {@code false}
     *         when this engine version is built differently (the caller logs it: the race may then be there or not)
     */
    static boolean guard(ZeebeTestEngine engine) {
        StreamProcessorContext context = contextOf(engine);
        if (context == null) {
            return false;
        }
        context.setEnableAsyncScheduledTasks(false);
        return !context.enableAsyncScheduledTasks();
    }

    /** Whether the engine's scheduled tasks run on its stream processor's actor; for tests. */
    static boolean guarded(ZeebeTestEngine engine) {
        StreamProcessorContext context = contextOf(engine);
        return context != null && !context.enableAsyncScheduledTasks();
    }

    private static StreamProcessorContext contextOf(ZeebeTestEngine engine) {
        try {
            StreamProcessor processor = null;
            for (Field field : engine.getClass().getDeclaredFields()) {
                if (field.getType() == StreamProcessor.class) {
                    field.setAccessible(true);
                    processor = (StreamProcessor) field.get(engine);
                }
            }
            if (processor == null) {
                return null;
            }
            Field context = StreamProcessor.class.getDeclaredField(CONTEXT_FIELD);
            context.setAccessible(true);
            return (StreamProcessorContext) context.get(processor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
