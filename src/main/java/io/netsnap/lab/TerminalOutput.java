package io.netsnap.lab;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The device side of the terminal. Everything leaves in chunks of {@value #CHUNK} bytes with a short pause after each,
 * cut without regard to line ends, so a client sees a long output in many partial reads as it would over a real
 * WAN link, not one convenient packet.
 */
final class TerminalOutput {

    static final String NEWLINE = "\r\n";
    private static final int CHUNK = 256;
    private static final long PAUSE_MILLIS = 2;

    private final OutputStream out;
    private int unflushed;
    private long chunkPauseMillis = PAUSE_MILLIS;

    TerminalOutput(OutputStream out) {
        this.out = out;
    }

    /**
     * Paces the output at about {@code bytesPerSecond}: the same chunks, further apart (never closer than the usual
     * pause). 0 keeps the usual pace.
     */
    void limitRate(int bytesPerSecond) {
        chunkPauseMillis = bytesPerSecond <= 0 ? PAUSE_MILLIS
                : Math.max(PAUSE_MILLIS, Math.round(CHUNK * 1000.0 / bytesPerSecond));
    }

    void print(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void println(String text) throws IOException {
        print(text + NEWLINE);
    }

    void write(byte[] bytes) throws IOException {
        int offset = 0;
        while (offset < bytes.length) {
            int length = Math.min(CHUNK - unflushed, bytes.length - offset);
            out.write(bytes, offset, length);
            offset += length;
            unflushed += length;
            if (unflushed == CHUNK) {
                flush();
                pause(chunkPauseMillis);
            }
        }
    }

    /** Puts everything written so far on the wire; call before waiting for input or pausing. */
    void flush() throws IOException {
        out.flush();
        unflushed = 0;
    }

    static void pause(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("session closed");
        }
    }
}
