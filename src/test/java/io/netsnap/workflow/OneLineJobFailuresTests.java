package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** What a failed job tells the engine, and so Operate: one line, never a stack trace. */
class OneLineJobFailuresTests {

    @Test
    void aStackTraceKeepsItsFirstLineOnly() {
        StringWriter trace = new StringWriter();
        new IllegalStateException("device variable missing").printStackTrace(new PrintWriter(trace));

        assertThat(trace.toString()).contains("\tat ");
        assertThat(OneLineJobFailures.oneLine(trace.toString()))
                .isEqualTo("java.lang.IllegalStateException: device variable missing");
    }

    @Test
    void aMultiLineMessageIsJoinedAndALongOneCut() {
        assertThat(OneLineJobFailures.oneLine("inventory x has 2 problems:\n  x:3: bad host\n  x:7: bad port"))
                .isEqualTo("inventory x has 2 problems:; x:3: bad host; x:7: bad port");
        assertThat(OneLineJobFailures.oneLine("y".repeat(2000))).hasSize(OneLineJobFailures.MAX_MESSAGE + 3);
        assertThat(OneLineJobFailures.oneLine(null)).isEqualTo("failed without a message");
    }
}
