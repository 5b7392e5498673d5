package io.netsnap.lab;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The device side of the terminal. Everything leaves in chunks of {@value #CHUNK} bytes with a short pause after each,
 * cut without regard to line ends, so a client sees a long output in many partial reads as it would over a real
 * WAN link, not one convenient packet. A device with a line delay also puts each line of a command's output on the
 * wire by itself and waits after it, as a slow box writes its configuration line by line.
 */
final class TerminalOutput {

    static final String NEWLINE = "\r\n";
    private static final int CHUNK = 256;
    private static final Duration PAUSE = Duration.ofMillis(2);

    /** How the device waits: the lab's blocks its session thread; a test counts the waits instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedIOException;
    }

    private final OutputStream out;
    private final Sleeper sleeper;
    /** Bytes written since the last chunk ended; a line delay's flush does not end a chunk, so the rate holds. */
    private int inChunk;
    private Duration chunkPause = PAUSE;
    private Duration lineDelay = Duration.ZERO;

    TerminalOutput(OutputStream out) {
        this(out, TerminalOutput::pause);
    }

    TerminalOutput(OutputStream out, Sleeper sleeper) {
        this.out = out;
        this.sleeper = sleeper;
    }

    /**
     * Paces the output at about {@code bytesPerSecond}: the same chunks, further apart (never closer than the usual
     * pause). 0 keeps the usual pace.
     */
    void limitRate(int bytesPerSecond) {
        chunkPause = bytesPerSecond <= 0 ? PAUSE
                : Duration.ofMillis(Math.max(PAUSE.toMillis(), Math.round(CHUNK * 1000.0 / bytesPerSecond)));
    }

    /**
     * Waits {@code delay} after each line of a command's output ({@link #outputLine}), on top of the rate; zero for
     * none. Echoed keys, prompts and pager prompts are not delayed.
     */
    void delayLines(Duration delay) {
        lineDelay = delay;
    }

    void print(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void println(String text) throws IOException {
        print(text + NEWLINE);
    }

    /** One line of a command's output: with a line delay, it goes on the wire at once and the device waits. */
    void outputLine(String text) throws IOException {
        println(text);
        if (lineDelay.isPositive()) {
            // not flush(): the line's bytes still count toward the chunk, so the rate limit's pauses stay as they were
            out.flush();
            sleeper.sleep(lineDelay);
        }
    }

    void write(byte[] bytes) throws IOException {
        int offset = 0;
        while (offset < bytes.length) {
            int length = Math.min(CHUNK - inChunk, bytes.length - offset);
            out.write(bytes, offset, length);
            offset += length;
            inChunk += length;
            if (inChunk == CHUNK) {
                flush();
                sleeper.sleep(chunkPause);
            }
        }
    }

    /** Puts everything written so far on the wire; call before waiting for input or pausing. */
    void flush() throws IOException {
        out.flush();
        inChunk = 0;
    }

    static void pause(long millis) throws InterruptedIOException {
        pause(Duration.ofMillis(millis));
    }

    /** Blocks the thread, without spinning, for {@code duration} (to the microsecond where the OS allows). */
    static void pause(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("session closed");
        }
    }
}
