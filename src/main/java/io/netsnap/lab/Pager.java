package io.netsnap.lab;

import java.io.EOFException;
import java.io.IOException;

/**
 * The {@code --More--} prompt of a Cisco CLI. With a terminal length of N (24 unless the client ran
 * {@code terminal length 0}), after N lines the device prints its pager string and waits: space shows the next page,
 * Enter one more line, {@code q} ends the output; any other key counts as space. Before continuing (or, after
 * {@code q}, before the prompt) the device wipes the pager string, which is what clients have to strip. On IOS:
 *
 * <pre>
 * interface Vlan1
 *  --More-- \b\b\b\b\b\b\b\b\b         \b\b\b\b\b\b\b\b\b no ip address
 * </pre>
 *
 * The pager only appears when there is another line to show, never right before the prompt.
 */
final class Pager {

    /**
     * How one platform draws and wipes its pager.
     *
     * @param more  what the device prints, without line end, when a page is full
     * @param erase what it prints after the user's key, before the next line or the prompt
     */
    record Style(String more, String erase) {

        /** What the pager shows when {@code percent} of the output has been shown: Junos writes {@code ---(more 45%)---}. */
        String more(int percent) {
            return more.replace("{percent}", Integer.toString(percent));
        }

        /** What wipes {@code shown}; a style built by {@link #overwritten} fits its erase to the text shown. */
        String erase(String shown) {
            return erase == null ? "\r" + " ".repeat(shown.length()) + "\r" : erase;
        }

        /**
         * A pager wiped by overwriting it: {@code \r}, one space per character of {@code more}, {@code \r}, so the
         * next line (or the prompt) starts where the pager stood.
         */
        static Style overwritten(String more) {
            return new Style(more, null);
        }
    }

    private final TerminalOutput out;
    private final TerminalInput in;
    private final int length;
    private final Style style;
    private int shown;
    private int total;
    private int printed;

    /** @param length lines per page; 0 for no paging */
    Pager(TerminalOutput out, TerminalInput in, int length, Style style) {
        this.out = out;
        this.in = in;
        this.length = length;
        this.style = style;
    }

    /** Prints one output line. Returns {@code false} when the user quit at the pager: print nothing more. */
    boolean line(String text) throws IOException {
        if (length > 0 && shown >= length) {
            String more = style.more(total > 0 ? printed * 100 / total : 0);
            out.print(more);
            out.flush();
            int key = in.readKey();
            if (key < 0) {
                throw new EOFException("client closed its input at the pager");
            }
            out.print(style.erase(more));
            if (key == 'q' || key == 'Q') {
                return false;
            }
            shown = key == '\r' || key == '\n' ? length - 1 : 0;
        }
        out.outputLine(text);
        shown++;
        printed++;
        return true;
    }

    /** Says how many lines the whole output has, for a pager that shows how far it got. */
    Pager expecting(int lines) {
        total = lines;
        return this;
    }

    /** Prints the lines in order; returns {@code false} when the user quit at the pager. */
    boolean lines(Iterable<String> texts) throws IOException {
        for (String text : texts) {
            if (!line(text)) {
                return false;
            }
        }
        return true;
    }
}
