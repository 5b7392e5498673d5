package io.netsnap.lab;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * A PTY shell on a simulator, opened the way CLI clients open one (vt100, 511 columns, 1000 lines), reading what
 * arrives and waiting, with a deadline, for what is expected. Expectations consume the output: each one returns the
 * text since the previous one.
 */
final class SimulatorTerminal implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ClientSession session;
    private final ChannelShell channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final OutputStream toDevice;
    private volatile int mark;

    SimulatorTerminal(ClientSession session) throws IOException {
        this.session = session;
        this.channel = session.createShellChannel();
        channel.setPtyType("vt100");
        channel.setPtyColumns(511);
        channel.setPtyLines(1000);
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (received) {
                    received.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (received) {
                    received.write(b, off, len);
                }
            }
        };
        channel.setOut(sink);
        channel.setErr(sink);
        channel.open().verify(TIMEOUT);
        toDevice = channel.getInvertedIn();
    }

    void send(String keys) throws IOException {
        toDevice.write(keys.getBytes(StandardCharsets.UTF_8));
        toDevice.flush();
    }

    /** Everything received so far, expected or not. */
    String transcript() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /** What arrived after the last expectation, without consuming it. */
    String pending() {
        return transcript().substring(mark);
    }

    /** Waits until the output since the last expectation contains {@code text}; returns it up to there. */
    String until(String text) {
        return expect(Pattern.compile(Pattern.quote(text)));
    }

    /** Waits until the output ends with {@code prompt} (a prompt is the last thing a device sends). */
    String untilPrompt(String prompt) {
        return expect(Pattern.compile(Pattern.quote(prompt) + "\\z"));
    }

    /** Waits for the device to close the channel; returns its exit status. */
    Integer awaitClosed() {
        if (!channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT).contains(ClientChannelEvent.CLOSED)) {
            throw new AssertionError("the device did not close the channel within " + TIMEOUT);
        }
        return channel.getExitStatus();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    private String expect(Pattern pattern) {
        AtomicReference<String> seen = new AtomicReference<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> {
            String text = transcript();
            Matcher matcher = pattern.matcher(text);
            if (!matcher.find(mark)) {
                return false;
            }
            seen.set(text.substring(mark, matcher.end()));
            mark = matcher.end();
            return true;
        });
        return seen.get();
    }

    @Override
    public void close() throws IOException {
        channel.close(true);
        session.close(true);
    }
}
