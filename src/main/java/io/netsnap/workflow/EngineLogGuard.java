package io.netsnap.workflow;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;

/**
 * Works around a data race in the embedded engine (zeebe-process-test-engine 8.8.21): its in-memory log keeps records
 * in a plain {@code ArrayList} that one actor appends to while others read it. A reader can see the new size before
 * the new element and fail with "buffer is null" in {@code InMemoryLogStorage$ListLogStorageReader.next}, which stops
 * the stream processor for good: every run then hangs. Seen under load with a few thousand records. The list is
 * swapped for a synchronized one before the engine starts; reads and appends then see each other whole.
 */
final class EngineLogGuard {

    private static final String STORAGE_CLASS = "io.camunda.zeebe.process.test.engine.InMemoryLogStorage";
    private static final String ENTRIES_FIELD = "logEntries";
    private static final int MAX_DEPTH = 4;

    private EngineLogGuard() {
    }

    /**
     * @return {@code true} when the engine's log was made safe; {@code false} when this engine version is built
     *         differently (the caller logs it: the race may then be there or not)
     */
    static boolean guard(ZeebeTestEngine engine) {
        Object storage = find(engine);
        if (storage == null) {
            return false;
        }
        try {
            Field entries = storage.getClass().getDeclaredField(ENTRIES_FIELD);
            entries.setAccessible(true);
            @SuppressWarnings("unchecked")
            List<ByteBuffer> current = (List<ByteBuffer>) entries.get(storage);
            synchronized (current) {
                entries.set(storage, Collections.synchronizedList(new ArrayList<>(current)));
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** A breadth-first walk over the engine's fields to its in-memory log storage. */
    private static Object find(Object root) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object[]> queue = new ArrayDeque<>();
        queue.add(new Object[] {root, 0});
        while (!queue.isEmpty()) {
            Object[] next = queue.poll();
            Object object = next[0];
            int depth = (int) next[1];
            if (object == null || seen.put(object, Boolean.TRUE) != null) {
                continue;
            }
            if (object.getClass().getName().equals(STORAGE_CLASS)) {
                return object;
            }
            if (depth == MAX_DEPTH || !object.getClass().getName().startsWith("io.camunda.zeebe")) {
                continue;
            }
            for (Class<?> type = object.getClass(); type != null; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        field.setAccessible(true);
                        queue.add(new Object[] {field.get(object), depth + 1});
                    } catch (RuntimeException | IllegalAccessException inaccessible) {
                        // a field of a JDK or module-protected type: not on the way to the storage
                    }
                }
            }
        }
        return null;
    }
}
