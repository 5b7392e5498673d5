package io.netsnap.device;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interactive shell on a device. Reads are driven by patterns matched at the end of what has arrived, never by
 * fixed sleeps: a read ends when the prompt (or a pager) shows up, fails with {@link DeviceException.Timeout} when the
 * device stays silent longer than the idle timeout, and fails at the per-device ceiling whatever the device does.
 */
final class CliSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CliSession.class);
    /** Prompts and pagers are short: matching against the last bytes keeps long outputs linear. */
    private static final int TAIL = 512;
    private static final Pattern LINE_ENDINGS = Pattern.compile("\r+\n");
    /** How long a device may take to hang up after the exit command before the channel is closed anyway. */
    private static final Duration LOGOUT_GRACE = Duration.ofSeconds(3);
    /** A device asking more questions than this before its first prompt is stuck in a loop. */
    private static final int MAX_LOGIN_ANSWERS = 5;
    /** Terminal control sequences (NX-OS colours its pager, some banners are coloured): never part of a config. */
    private static final Pattern ANSI_CONTROL = Pattern.compile(
            "\\x1b(?:\\[[0-9;?]*[ -/]*[@-~]|\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)|[()][A-Za-z0-9]|[=>78])");

    private final String device;
    private final ClientSession session;
    private final ChannelShell channel;
    private final CliProfile profile;
    private final Duration idleTimeout;
    private final Instant deadline;
    private final Inbox inbox = new Inbox();
    private final Runnable released;
    private boolean closed;
    private String hostname;
    private char mode;
    /** The last read ended at the prompt: the device will take a command (the exit command at close). */
    private boolean atPrompt;

    /**
     * @param released run once when the session is over, whatever happened
     */
    CliSession(String device, ClientSession session, CliProfile profile, Duration idleTimeout, Instant deadline,
               Duration openTimeout, Runnable released) throws IOException {
        this.device = device;
        this.released = released;
        this.session = session;
        this.profile = profile;
        this.idleTimeout = idleTimeout;
        this.deadline = deadline;
        this.channel = session.createShellChannel();
        channel.setPtyType("vt100");
        channel.setPtyColumns(511);
        channel.setPtyLines(24);
        channel.setOut(inbox);
        channel.setErr(inbox);
        channel.setRedirectErrorStream(true);
        channel.addCloseFutureListener(future -> inbox.close());
        channel.open().verify(openTimeout);
    }

    /**
     * Waits for the first prompt after login. Banners and messages of the day come before it; questions some devices
     * ask first (ISE's "sessions available to resume" menu) are answered as the profile says.
     */
    String awaitLoginPrompt() {
        StringBuilder received = new StringBuilder();
        Pattern promptOrQuestion = anyOf(profile.prompt(),
                profile.loginAnswers().stream().map(CliProfile.Answer::question).toList());
        for (int answered = 0; ; answered++) {
            received.append(readUntil(promptOrQuestion, "the login prompt", false, true));
            if (profile.prompt().matcher(tailOf(received.toString())).find()) {
                break;
            }
            CliProfile.Answer answer = profile.loginAnswers().stream()
                    .filter(a -> a.question().matcher(tailOf(received.toString())).find())
                    .findFirst().orElseThrow();
            if (answered == MAX_LOGIN_ANSWERS) {
                throw new DeviceException.Protocol(device, "the device keeps asking questions after login (last: "
                        + lastLine(tailOf(received.toString())) + ")");
            }
            log.debug("{}: answering {} after login", device, lastLine(tailOf(received.toString())));
            writeRaw(answer.answer(), "<login answer>");
        }
        Matcher prompt = lastPrompt(received.toString());
        hostname = prompt.group("host");
        mode = prompt.group("mode").charAt(0);
        atPrompt = true;
        return received.toString();
    }

    private static Pattern anyOf(Pattern first, List<Pattern> others) {
        StringBuilder regex = new StringBuilder("(?:").append(first.pattern()).append(')');
        int flags = first.flags();
        for (Pattern other : others) {
            regex.append("|(?:").append(other.pattern()).append(')');
            flags |= other.flags();
        }
        return Pattern.compile(regex.toString(), flags);
    }

    boolean privileged() {
        return mode == '#';
    }

    String hostname() {
        return hostname;
    }

    /**
     * Sends a command and returns its output: echo and the trailing prompt removed, pager answered and its residue
     * removed, line endings as {@code \n}.
     */
    String command(String command) {
        write(command);
        String received = readUntil(profile.prompt(), "the prompt after '" + command + "'", true, false);
        mode = lastPrompt(received).group("mode").charAt(0);
        atPrompt = true;
        return stripEchoAndPrompt(clean(received), command);
    }

    /**
     * As {@link #command}, but a prompt with another host name also ends the read, and becomes the known one: a
     * configuration replace may change the host name under the session (NAPALM re-learns the prompt after one).
     */
    String commandRelearningHost(String command) {
        write(command);
        String received = readUntil(profile.prompt(), "the prompt after '" + command + "'", false, false);
        Matcher prompt = lastPrompt(received);
        hostname = prompt.group("host");
        mode = prompt.group("mode").charAt(0);
        atPrompt = true;
        return stripEchoAndPrompt(clean(received), command);
    }

    /** Sends a line and waits for {@code expected} or the prompt, whichever comes first; returns what arrived. */
    String sendAndExpect(String line, Pattern expected, String what) {
        write(line);
        return expectOrPrompt(expected, what);
    }

    /** Sends a secret (enable password): never logged, never echoed into errors. */
    String sendSecret(String secret, Pattern expected, String what) {
        writeRaw(secret + "\n", "<secret>");
        return expectOrPrompt(expected, what);
    }

    /**
     * Reads until {@code expected} or the prompt. A prompt gives the new mode: {@code enable} without a password
     * (AAA {@code authentication enable default none}) answers with the privileged prompt at once.
     */
    private String expectOrPrompt(Pattern expected, String what) {
        Pattern either = anyOf(expected, List.of(profile.prompt()));
        String received = clean(readUntil(either, what, true, true));
        Matcher prompt = profile.prompt().matcher(tailOf(received));
        atPrompt = prompt.find();
        if (atPrompt) {
            mode = prompt.group("mode").charAt(0);
        }
        return received;
    }

    private Matcher lastPrompt(String received) {
        Matcher prompt = profile.prompt().matcher(tailOf(received));
        if (!prompt.find()) {
            throw new DeviceException.Protocol(device, "prompt vanished from the received text");
        }
        return prompt;
    }

    private static String tailOf(String text) {
        return text.length() <= TAIL ? text : text.substring(text.length() - TAIL);
    }

    private void write(String line) {
        writeRaw(line + "\n", line);
    }

    private void writeRaw(String keys, String shownAs) {
        log.debug("{} <- {}", device, shownAs);
        try {
            OutputStream in = channel.getInvertedIn();
            in.write(keys.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new DeviceException.Unreachable(device, "connection lost while sending '" + shownAs + "': "
                    + e.getMessage(), null);
        }
    }

    /**
     * Collects output until {@code end} matches the end of it. A prompt only counts when it carries the host name
     * seen at login, so a config line that happens to end in {@code #} cannot end a read early.
     */
    private String readUntil(Pattern end, String what, boolean requireKnownHost, boolean quoteOutput) {
        long idleNanos = idleTimeout.toNanos();
        atPrompt = false;
        synchronized (inbox) {
            while (true) {
                String tail = inbox.tail(TAIL);
                Matcher pager = profile.pager().matcher(tail);
                if (pager.find()) {
                    inbox.dropLast(tail.length() - pager.start());
                    // A key, not a line: a trailing newline would be a second key that answers the next pager
                    // before netsnap sees it, leaving that ' --More-- ' in the output.
                    writeRaw(profile.pagerAnswer(), "<pager answer>");
                    continue;
                }
                Matcher done = end.matcher(tail);
                if (done.find() && (!requireKnownHost || hostMatches(done))) {
                    return inbox.drain();
                }
                if (inbox.closed) {
                    throw new DeviceException.Unreachable(device, "the device closed the session while netsnap "
                            + "waited for " + what + seen(tail, quoteOutput), null);
                }
                long now = System.nanoTime();
                long idleLeft = inbox.lastDataNanos + idleNanos - now;
                long ceilingLeft = Duration.between(Instant.now(), deadline).toNanos();
                if (ceilingLeft <= 0) {
                    throw new DeviceException.Timeout(device, "the per-device ceiling was reached while waiting for "
                            + what + seen(tail, quoteOutput));
                }
                if (idleLeft <= 0) {
                    throw new DeviceException.Timeout(device, "no output for " + idleTimeout.toSeconds()
                            + " s while waiting for " + what + seen(tail, quoteOutput));
                }
                long waitNanos = Math.min(idleLeft, ceilingLeft);
                try {
                    inbox.wait(Math.max(1, waitNanos / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeviceException.Timeout(device, "interrupted while waiting for " + what);
                }
            }
        }
    }

    /**
     * What the device had sent, for an error message. The output of a command may be configuration, secrets
     * included, and error messages end up in process variables and reports: only its size is told.
     */
    private String seen(String tail, boolean quoteOutput) {
        return quoteOutput ? " (last output: " + lastLine(tail) + ")"
                : " (" + inbox.size() + " bytes of output so far)";
    }

    private boolean hostMatches(Matcher match) {
        String host;
        try {
            host = match.group("host");
        } catch (IllegalArgumentException noSuchGroup) {
            return true;
        }
        return host == null || hostname == null || host.equals(hostname);
    }

    private static String lastLine(String tail) {
        String trimmed = tail.strip();
        int cut = Math.max(trimmed.lastIndexOf('\n'), trimmed.lastIndexOf('\r'));
        String line = cut < 0 ? trimmed : trimmed.substring(cut + 1);
        line = line.replaceAll("\\p{Cntrl}", "");
        return line.isEmpty() ? "nothing" : "'" + (line.length() > 80 ? line.substring(0, 80) + "..." : line) + "'";
    }

    private String clean(String received) {
        String text = profile.pagerResidue().matcher(received).replaceAll("");
        text = ANSI_CONTROL.matcher(text).replaceAll("");
        text = LINE_ENDINGS.matcher(text).replaceAll("\n");
        return text.replace("\r", "");
    }

    private static String stripEchoAndPrompt(String text, String command) {
        int firstBreak = text.indexOf('\n');
        if (firstBreak >= 0 && text.substring(0, firstBreak).contains(command)) {
            text = text.substring(firstBreak + 1);
        }
        int lastBreak = text.lastIndexOf('\n');
        return lastBreak < 0 ? "" : text.substring(0, lastBreak + 1);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            // Only at the prompt: typed at a Password: prompt or into a hung command, the exit command would be
            // taken as a secret or ignored. The device hangs up itself (as Oxidized waits for); closing at once
            // would drop the exit command still in flight.
            if (atPrompt && channel.isOpen() && !inbox.closed) {
                write(profile.exitCommand());
                Duration ceilingLeft = Duration.between(Instant.now(), deadline);
                Duration grace = Collections.min(List.of(LOGOUT_GRACE, idleTimeout, ceilingLeft));
                if (grace.isPositive()) {
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), grace);
                }
            }
        } catch (RuntimeException ignored) {
            // the session is going away anyway
        }
        try {
            channel.close(true);
            session.close(true);
        } finally {
            closed = true;
            released.run();
        }
    }

    /** Receives the channel's output on MINA's I/O thread and wakes up the reader. */
    private static final class Inbox extends OutputStream {
        private byte[] buffer = new byte[8192];
        private int count;
        private long lastDataNanos = System.nanoTime();
        private boolean closed;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            if (count + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + length));
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
            lastDataNanos = System.nanoTime();
            notifyAll();
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }

        /** The last bytes as Latin-1, so that character offsets equal byte offsets. */
        synchronized String tail(int max) {
            int from = Math.max(0, count - max);
            return new String(buffer, from, count - from, StandardCharsets.ISO_8859_1);
        }

        synchronized int size() {
            return count;
        }

        synchronized void dropLast(int bytes) {
            count = Math.max(0, count - bytes);
        }

        synchronized String drain() {
            String text = new String(buffer, 0, count, StandardCharsets.UTF_8);
            count = 0;
            return text;
        }
    }
}
