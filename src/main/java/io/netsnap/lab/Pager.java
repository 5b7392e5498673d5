package io.netsnap.lab;

import java.io.EOFException;
import java.io.IOException;

/**
 * The IOS {@code --More--} prompt. With a terminal length of N (24 unless the client ran {@code terminal length 0}),
 * after N lines the device prints {@value #MORE} and waits: space shows the next page, Enter one more line, {@code q}
 * ends the output; any other key counts as space. Before continuing, IOS wipes the pager with backspaces, spaces and
 * backspaces again, which is what clients have to strip:
 *
 * <pre>
 * interface Vlan1
 *  --More-- \b\b\b\b\b\b\b\b\b         \b\b\b\b\b\b\b\b\b no ip address
 * </pre>
 *
 * The pager only appears when there is another line to show, never right before the prompt.
 */
final class Pager {

    static final String MORE = " --More-- ";
    static final String ERASE = "\b".repeat(9) + " ".repeat(9) + "\b".repeat(9);

    private final TerminalOutput out;
    private final TerminalInput in;
    private final int length;
    private int shown;

    Pager(TerminalOutput out, TerminalInput in, int length) {
        this.out = out;
        this.in = in;
        this.length = length;
    }

    /** Prints one output line. Returns {@code false} when the user quit at the pager: print nothing more. */
    boolean line(String text) throws IOException {
        if (length > 0 && shown >= length) {
            out.print(MORE);
            out.flush();
            int key = in.readKey();
            if (key < 0) {
                throw new EOFException("client closed its input at the pager");
            }
            out.print(ERASE);
            if (key == 'q' || key == 'Q') {
                return false;
            }
            shown = key == '\r' || key == '\n' ? length - 1 : 0;
        }
        out.println(text);
        shown++;
        return true;
    }
}
