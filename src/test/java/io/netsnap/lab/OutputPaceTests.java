package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * How a device paces its output: a session of the IOS simulator runs in-process on a wire that records every byte,
 * flush and wait; the waits are counted, never slept, so nothing here depends on the machine's speed.
 */
class OutputPaceTests {

    private static final Duration LINE_DELAY = Duration.ofMillis(7);
    /** The pause after a 256-byte chunk at 1,000 bytes/s. */
    private static final Duration SLOW_CHUNK = Duration.ofMillis(256);
    private static final String PROMPT = "LAB-SW1#";
    private static final String UNPAGED = "terminal length 0\nshow running-config\nexit\n";
    /** About 100 lines: four pages and more. */
    private static final String BODY = LabConfigs.router("LAB-SW1", 1, 3);

    @Test
    void aLineDelayPutsEachLineOfTheOutputOnTheWireAloneAndWaitsAfterIt() throws IOException {
        Wire wire = shell(spec().withLineDelay(LINE_DELAY), UNPAGED);

        String text = wire.text();
        int from = outputStart(text);
        List<Integer> lineEnds = lineEnds(text, from, outputEnd(text, from));
        assertThat(lineEnds).as("the output's lines").hasSizeGreaterThan((int) BODY.lines().count());
        // one wait at the end of each line of the output, nowhere else: not in the echo, not after a prompt
        assertThat(wire.at(LINE_DELAY)).isEqualTo(lineEnds);
        for (Wire.Wait wait : wire.waits(LINE_DELAY)) {
            assertThat(wait.flushed()).as("everything before the wait is on the wire").isEqualTo(wait.at());
        }
    }

    @Test
    void withoutALineDelayTheDeviceNeverWaitsAfterALine() throws IOException {
        Wire wire = shell(spec(), UNPAGED);

        assertThat(wire.waits).as("only the chunks' usual pauses").isNotEmpty()
                .allMatch(wait -> wait.duration().equals(Duration.ofMillis(2)));
    }

    @Test
    void thePagerStillStopsAfterEachPageAndTheOutputIsTheSame() throws IOException {
        // more spaces than pages: the rest are blanks before exit
        Wire wire = shell(spec().withLineDelay(LINE_DELAY), "show running-config\n" + " ".repeat(10) + "exit\n");

        String text = wire.text();
        int from = outputStart(text);
        String paged = text.substring(from, outputEnd(text, from));
        String more = SimulatorProfile.of("ios").paging().more();
        List<Integer> pagers = new ArrayList<>();
        for (int at = paged.indexOf(more); at >= 0; at = paged.indexOf(more, at + 1)) {
            pagers.add(from + at);
        }
        assertThat(pagers).hasSizeGreaterThan(2);
        List<Integer> delayed = wire.at(LINE_DELAY);
        for (int i = 0; i < pagers.size(); i++) {
            assertThat(pagers.get(i)).as("pager %d comes right after the wait of the page's 24th line", i + 1)
                    .isEqualTo(delayed.get(24 * (i + 1) - 1));
        }
        String unpaged = paged.replace(more + SimulatorProfile.of("ios").paging().erase(), "");
        String reference = shell(spec(), UNPAGED).text();
        int start = outputStart(reference);
        assertThat(unpaged).isEqualTo(reference.substring(start, outputEnd(reference, start)));
        assertThat(delayed).hasSize(lineEnds(unpaged, 0, unpaged.length()).size());
    }

    @Test
    void aLineDelayLeavesTheRateLimitsPausesAsTheyWere() throws IOException {
        CliDeviceSpec slow = spec().withOutputRate(1000);
        Wire rateOnly = exec(slow, "show running-config");
        Wire both = exec(slow.withLineDelay(LINE_DELAY), "show running-config");

        assertThat(both.text()).isEqualTo(rateOnly.text());
        assertThat(rateOnly.at(SLOW_CHUNK)).isNotEmpty();
        assertThat(both.at(SLOW_CHUNK)).isEqualTo(rateOnly.at(SLOW_CHUNK));
        assertThat(both.at(LINE_DELAY)).isEqualTo(lineEnds(both.text(), 0, both.text().length()));
    }

    @Test
    void aNegativeLineDelayIsRefused() {
        assertThatThrownBy(() -> spec().withLineDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lineDelay must not be negative");
    }

    /** Where the output of {@code show running-config} starts, after its echo. */
    private static int outputStart(String transcript) {
        String echo = "show running-config\r\n";
        return transcript.indexOf(echo) + echo.length();
    }

    /** Where it ends: at the prompt's line end. */
    private static int outputEnd(String transcript, int start) {
        return transcript.indexOf("\r\n" + PROMPT, start) + 2;
    }

    private static CliDeviceSpec spec() {
        return CliDeviceSpec.of("ios", "LAB-SW1", "netsnap", "lab-password", BODY).withBuildDelay(Duration.ZERO)
                .withLoginDelay(Duration.ZERO);
    }

    /** A shell session that types {@code keys} ahead and ends when they run out. */
    private static Wire shell(CliDeviceSpec spec, String keys) throws IOException {
        return run(spec, null, keys);
    }

    private static Wire exec(CliDeviceSpec spec, String command) throws IOException {
        return run(spec, command, "");
    }

    private static Wire run(CliDeviceSpec spec, String execCommand, String keys) throws IOException {
        // one fixed instant: the volatile lines are the same in every session
        CliDevice device = new CliDevice(spec, Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC));
        Wire wire = new Wire();
        new ProfileSession(device, ProfileSession.syntax(spec.profile()), execCommand)
                .run(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)),
                        new TerminalOutput(wire, wire::sleep));
        return wire;
    }

    /** The offsets just after each {@code \r\n} in {@code text} between {@code from} and {@code to}. */
    private static List<Integer> lineEnds(String text, int from, int to) {
        List<Integer> ends = new ArrayList<>();
        for (int at = text.indexOf("\r\n", from); at >= 0 && at + 2 <= to; at = text.indexOf("\r\n", at + 2)) {
            ends.add(at + 2);
        }
        return ends;
    }

    /** The device's side of the connection: what it wrote, how much of it it flushed, and each wait. */
    private static final class Wire extends OutputStream {

        /** A wait of the device, after {@code at} bytes, {@code flushed} of them on the wire. */
        record Wait(Duration duration, int at, int flushed) {
        }

        private final StringBuilder written = new StringBuilder();
        private final List<Wait> waits = new ArrayList<>();
        private int flushed;

        @Override
        public void write(int b) {
            // the outputs here are ASCII: a byte is a character
            written.append((char) b);
        }

        @Override
        public void flush() {
            flushed = written.length();
        }

        void sleep(Duration duration) {
            waits.add(new Wait(duration, written.length(), flushed));
        }

        String text() {
            return written.toString();
        }

        List<Wait> waits(Duration duration) {
            return waits.stream().filter(wait -> wait.duration().equals(duration)).toList();
        }

        /** Where the waits of {@code duration} began, in bytes written. */
        List<Integer> at(Duration duration) {
            return waits(duration).stream().map(Wait::at).toList();
        }
    }
}
