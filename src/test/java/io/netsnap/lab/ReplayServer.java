package io.netsnap.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;


/**
 * A device that replays one recorded shell session, strictly: it sends the login output, then for each exchange
 * reads what the client types, checks it against the recording and sends the recorded reply. The first difference
 * (a wrong or missing command, an extra one, a line where a key was expected) is kept as the replay's failure and
 * the session is closed, so a golden-file test fails with "expected 'X', client sent 'Y'" rather than a timeout.
 *
 * <p>The SSH side is the lab's {@link SimulatorServer}: loopback, a free port, password authentication for the
 * recording's user only, a pinned host key. One recording is one session; a second shell or an exec request is a
 * failure too.
 */
public final class ReplayServer implements AutoCloseable {

    /**
     * Output the device sends, after a pause (bursts of a slow device; {@link Duration#ZERO} for none).
     */
    public record Part(String text, Duration pause) {
    }

    /**
     * One step of the session.
     *
     * @param input  the line the client types, without its line end; or, for a key, the one character it presses
     * @param key    a single keystroke (a pager answer) instead of a line
     * @param secret the input is a secret (an enable password): compared, never shown in a failure
     * @param reply  what the device answers, echo included
     * @param hangup the device closes the session after the reply, as devices do after {@code exit}
     */
    public record Exchange(String input, boolean key, boolean secret, List<Part> reply, boolean hangup) {

        public Exchange {
            reply = List.copyOf(reply);
            if (key && input.length() != 1) {
                throw new IllegalArgumentException("a key exchange expects exactly one character, not '" + input + "'");
            }
        }
    }

    /**
     * A recorded session.
     *
     * @param secrets strings never to print in a failure, whatever the client typed (login password, enable secret)
     */
    public record Recording(String username, String password, List<Part> login, List<Exchange> exchanges,
                            List<String> secrets) {

        public Recording {
            login = List.copyOf(login);
            exchanges = List.copyOf(exchanges);
            secrets = List.copyOf(secrets);
        }
    }

    private static final String SECRET = "<secret>";

    private final Recording recording;
    private final SimulatorServer server;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicInteger consumed = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CountDownLatch over = new CountDownLatch(1);

    private ReplayServer(String name, Recording recording, KeyPair hostKey) throws IOException {
        this.recording = recording;
        this.server = SimulatorServer.start(name, "Replay-1.0", recording.username(), recording.password(), hostKey,
                execCommand -> (in, out) -> replay(execCommand, in, out));
    }

    public static ReplayServer start(String name, Recording recording, KeyPair hostKey) throws IOException {
        return new ReplayServer(name, recording, hostKey);
    }

    public String host() {
        return SimulatorServer.HOST;
    }

    public int port() {
        return server.port();
    }

    public PublicKey hostPublicKey() {
        return server.hostPublicKey();
    }

    /** How many exchanges the client went through as recorded. */
    public int consumed() {
        return consumed.get();
    }

    /**
     * Waits until the session is over (the device or the client hung up, or the replay failed) and returns what went
     * wrong: a difference from the recording, exchanges the client never reached, or nothing.
     */
    public Optional<String> awaitOutcome(Duration timeout) throws InterruptedException {
        if (!started.get()) {
            return Optional.of("the client never opened a shell");
        }
        if (!over.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of("the session was still open after " + timeout.toSeconds() + " s, at exchange "
                    + (consumed() + 1) + " of " + recording.exchanges().size());
        }
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void close() {
        server.close();
    }

    private void fail(String message) {
        failure.compareAndSet(null, message);
    }

    /** One channel: the replay for the first shell, an immediate failure for anything else. */
    private void replay(String execCommand, InputStream in, TerminalOutput out) throws IOException {
        if (execCommand != null || !started.compareAndSet(false, true)) {
            fail(execCommand != null ? "the client sent an exec request '" + shown(execCommand)
                    + "'; the recording is a shell session" : "the client opened a second shell");
            return;
        }
        try {
            new Replay(in, out).run();
        } catch (IOException e) {
            if (consumed() < recording.exchanges().size()) {
                fail("the session broke at exchange " + (consumed() + 1) + " of " + recording.exchanges().size()
                        + ": " + e);
            }
            throw e;
        } finally {
            over.countDown();
        }
    }

    /** The recorded session played on one channel's streams; returns when the device closes the session. */
    private final class Replay {

        private final InputStream in;
        private final TerminalOutput out;
        private boolean afterCarriageReturn;

        Replay(InputStream in, TerminalOutput out) {
            this.in = in;
            this.out = out;
        }

        void run() throws IOException {
            send(recording.login());
            List<Exchange> exchanges = recording.exchanges();
            for (int index = 0; index < exchanges.size(); index++) {
                Exchange exchange = exchanges.get(index);
                Typed typed = exchange.key() ? readKey() : readLine(exchange.input());
                if (!typed.complete() || !typed.text().equals(exchange.input())) {
                    fail("exchange " + (index + 1) + " of " + exchanges.size() + ": expected "
                            + shown(exchange, exchange.input()) + ", client " + describe(typed, exchange));
                    return;
                }
                consumed.incrementAndGet();
                send(exchange.reply());
                if (exchange.hangup()) {
                    return;
                }
            }
            // The recording ends here: the client may only hang up now.
            Typed extra = readLine("");
            if (!extra.text().isEmpty() || extra.complete()) {
                fail("after the last exchange, client " + describe(extra, null));
            }
        }

        private void send(List<Part> parts) throws IOException {
            for (Part part : parts) {
                if (part.pause().isPositive()) {
                    out.flush();
                    TerminalOutput.pause(part.pause().toMillis());
                }
                out.write(part.text().getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }

        /**
         * Reads a line ending in {@code \n} or {@code \r} ({@code \r\n} is one end). Stops early, with what the client
         * had already sent, as soon as the typed text can no longer become {@code expected}: a client that pressed a
         * key where a line was recorded waits for output and would never send a line end.
         */
        private Typed readLine(String expected) throws IOException {
            byte[] wanted = expected.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream typed = new ByteArrayOutputStream();
            while (true) {
                int b = next();
                if (b < 0) {
                    return new Typed(typed.toString(StandardCharsets.UTF_8), false);
                }
                if (b == '\r' || b == '\n') {
                    return new Typed(typed.toString(StandardCharsets.UTF_8), true);
                }
                typed.write(b);
                int at = typed.size() - 1;
                if (at >= wanted.length || wanted[at] != (byte) b) {
                    while (in.available() > 0) {
                        int more = in.read();
                        if (more < 0 || more == '\r' || more == '\n') {
                            break;
                        }
                        typed.write(more);
                    }
                    return new Typed(typed.toString(StandardCharsets.UTF_8), true);
                }
            }
        }

        private Typed readKey() throws IOException {
            int b = next();
            return b < 0 ? new Typed("", false) : new Typed(String.valueOf((char) b), true);
        }

        /** The next byte, skipping the {@code \n} of a {@code \r\n} line end. */
        private int next() throws IOException {
            int b = in.read();
            if (b == '\n' && afterCarriageReturn) {
                b = in.read();
            }
            afterCarriageReturn = b == '\r';
            return b;
        }
    }

    /** What the client typed; {@code complete} is false when it hung up instead of finishing. */
    private record Typed(String text, boolean complete) {
    }

    private String describe(Typed typed, Exchange exchange) {
        if (!typed.complete()) {
            return typed.text().isEmpty() ? "hung up" : "sent " + shown(exchange, typed.text()) + " and hung up";
        }
        return "sent " + shown(exchange, typed.text());
    }

    private String shown(Exchange exchange, String text) {
        if (exchange != null && exchange.secret()) {
            return SECRET;
        }
        return "'" + shown(text) + "'";
    }

    /** {@code text} with control characters visible and every secret of the recording replaced. */
    private String shown(String text) {
        String shown = text;
        for (String secret : recording.secrets()) {
            if (!secret.isEmpty()) {
                shown = shown.replace(secret, SECRET);
            }
        }
        StringBuilder visible = new StringBuilder();
        for (char c : shown.toCharArray()) {
            switch (c) {
                case '\r' -> visible.append("\\r");
                case '\n' -> visible.append("\\n");
                default -> visible.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : c);
            }
        }
        return visible.toString();
    }
}
