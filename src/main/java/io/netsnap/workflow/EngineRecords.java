package io.netsnap.workflow;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.Record;

/**
 * The embedded engine's record stream as a list that stays put while it is read. The engine's
 * {@code getRecords()} returns a view of the list it appends to on every call, so a reader on one thread can see it
 * grow under its iteration when another thread asks for records; such a read is simply taken again.
 */
final class EngineRecords {

    private static final int ATTEMPTS = 50;

    private EngineRecords() {
    }

    static List<Record<?>> snapshot(ZeebeTestEngine engine) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<Record<?>> copy = new ArrayList<>();
                engine.getRecordStreamSource().getRecords().forEach(copy::add);
                return copy;
            } catch (ConcurrentModificationException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
