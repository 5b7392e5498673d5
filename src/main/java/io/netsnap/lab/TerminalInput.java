package io.netsnap.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keystrokes from the client, with the line discipline of a Cisco CLI: a line ends at {@code \r}, {@code \n} or
 * {@code \r\n} (one end, not two), typed characters are echoed as they are processed and the end of a line is echoed
 * as the platform does it ({@code \r\n} on IOS, {@code \r\r\n} on a Nexus 5000). Input the client typed ahead waits
 * here until the device asks for it, so its echo follows the previous prompt.
 */
final class TerminalInput {

    private static final int BACKSPACE = 0x08;
    private static final int DELETE = 0x7f;

    private final InputStream in;
    private final TerminalOutput echo;
    private final String echoedLineEnd;
    private final byte[] buffer = new byte[1024];
    private int position;
    private int limit;
    private boolean afterCarriageReturn;

    /** IOS line discipline: the end of a line is echoed as {@code \r\n}. */
    TerminalInput(InputStream in, TerminalOutput echo) {
        this(in, echo, TerminalOutput.NEWLINE);
    }

    /** @param echoedLineEnd what the device sends back when the user ends a line */
    TerminalInput(InputStream in, TerminalOutput echo, String echoedLineEnd) {
        this.in = in;
        this.echo = echo;
        this.echoedLineEnd = echoedLineEnd;
    }

    /**
     * Reads one line. With {@code echoTyped} false (a password) only the line end is echoed.
     *
     * @return the line without its end, or {@code null} when the client closed its side
     */
    String readLine(boolean echoTyped) throws IOException {
        return read(echoTyped ? null : "");
    }

    /**
     * Reads a secret, echoing {@code mask} once per typed character (not per UTF-8 byte), as the ASA shows its enable
     * password in asterisks; an empty mask echoes nothing but the line end.
     */
    String readSecret(String mask) throws IOException {
        return read(mask);
    }

    /** @param mask {@code null}: echo what is typed; else what to echo per typed character */
    private String read(String mask) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = nextAfterLineEnd();
            if (b < 0) {
                return null;
            }
            if (b == '\r' || b == '\n') {
                echo.print(echoedLineEnd);
                echo.flush();
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == BACKSPACE || b == DELETE) {
                if (line.size() > 0) {
                    byte[] kept = line.toByteArray();
                    int cut = kept.length - 1;
                    // a masked secret loses a whole character, as its mask showed one per character
                    while (mask != null && !mask.isEmpty() && cut > 0 && (kept[cut] & 0xc0) == 0x80) {
                        cut--;
                    }
                    line.reset();
                    line.write(kept, 0, cut);
                    if (mask == null || !mask.isEmpty()) {
                        echo.print("\b \b");
                    }
                }
            } else if (b >= 0x20) {
                line.write(b);
                if (mask == null) {
                    echo.write(new byte[] {(byte) b});
                } else if ((b & 0xc0) != 0x80) {
                    echo.print(mask);
                }
            }
            // Other control characters (Ctrl-C, escape sequences' ESC) are dropped, not echoed.
        }
    }

    /** Reads one key press, e.g. at the pager; Enter sent as {@code \r\n} is one key. Returns -1 at end of input. */
    int readKey() throws IOException {
        return nextAfterLineEnd();
    }

    private int nextAfterLineEnd() throws IOException {
        int b = next();
        if (b == '\n' && afterCarriageReturn) {
            b = next();
        }
        afterCarriageReturn = b == '\r';
        return b;
    }

    private int next() throws IOException {
        if (position == limit) {
            echo.flush();
            int n = in.read(buffer);
            if (n < 0) {
                return -1;
            }
            position = 0;
            limit = n;
        }
        return buffer[position++] & 0xff;
    }
}
