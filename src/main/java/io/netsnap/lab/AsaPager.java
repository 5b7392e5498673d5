package io.netsnap.lab;

import java.io.EOFException;
import java.io.IOException;

/**
 * The ASA pager. With {@code pager lines 24} (the default; a session changes it with {@code terminal pager N}, and
 * {@code 0} turns it off), after 24 lines the ASA prints {@value #MORE} at the start of a line and waits for one key:
 * space shows the next page, Enter one more line, {@code q} ends the output; any other key counts as space. The key is
 * not echoed. Before going on, the device wipes the pager string off the line:
 *
 * <pre>
 * access-list OUTSIDE-IN extended permit tcp any any eq https
 * &lt;--- More ---&gt;\r              \r object network WEB
 * </pre>
 *
 * The wipe is {@code \r}, one space per character of the pager string, {@code \r}: the simulator's choice, as no
 * byte-exact capture of it was found. The pager only appears when there is another line to show, never right before
 * the prompt. (IOS's {@link Pager} differs in string and in wipe, which is why the ASA has its own.)
 */
final class AsaPager {

    static final String MORE = "<--- More --->";
    static final String WIPE = "\r" + " ".repeat(MORE.length()) + "\r";

    private final TerminalOutput out;
    private final TerminalInput in;
    private final int lines;
    private int shown;

    /** @param lines the page length; 0 for no paging */
    AsaPager(TerminalOutput out, TerminalInput in, int lines) {
        this.out = out;
        this.in = in;
        this.lines = lines;
    }

    /** Prints one output line. Returns {@code false} when the user quit at the pager: print nothing more. */
    boolean line(String text) throws IOException {
        if (lines > 0 && shown >= lines) {
            out.print(MORE);
            out.flush();
            int key = in.readKey();
            if (key < 0) {
                throw new EOFException("client closed its input at the pager");
            }
            out.print(WIPE);
            if (key == 'q' || key == 'Q') {
                return false;
            }
            shown = key == '\r' || key == '\n' ? lines - 1 : 0;
        }
        out.println(text);
        shown++;
        return true;
    }
}
