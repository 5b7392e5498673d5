package io.netsnap.device;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What one CLI platform looks like on the wire: the declarative part of a driver. {@link CliSession} and
 * {@link CliFetcher} do the talking; a platform contributes only this record (and, where the platform needs it, a
 * few lines of its own flow).
 *
 * @param prompt         matches a prompt at the very end ({@code \z}) of the received text; named groups {@code host} and
 *                       {@code mode} ({@code #} privileged, {@code >} not)
 * @param passwordPrompt matches the enable password prompt at the end of the received text
 * @param enableCommand  command that raises privilege, or {@code null} when the platform has none
 * @param sessionSetup   commands sent once after login (paging off, width); a refusal is tolerated because the pager
 *                       is answered anyway
 * @param fetchCommand   the command whose output is the configuration
 * @param pager          matches a pager prompt at the end of the received text
 * @param pagerAnswer    what to send to get the next page
 * @param pagerResidue   what the device leaves behind after the pager is answered (erase sequences), removed from
 *                       the output
 * @param errorLines     output lines that mean the device refused a command
 * @param volatileLines  lines that change between two fetches of an unchanged device; dropped by normalization
 * @param exitCommand    command that ends the session politely
 */
public record CliProfile(Pattern prompt,
                         Pattern passwordPrompt,
                         String enableCommand,
                         List<String> sessionSetup,
                         String fetchCommand,
                         Pattern pager,
                         String pagerAnswer,
                         Pattern pagerResidue,
                         List<Pattern> errorLines,
                         List<Pattern> volatileLines,
                         String exitCommand) {

    public CliProfile {
        sessionSetup = List.copyOf(sessionSetup);
        errorLines = List.copyOf(errorLines);
        volatileLines = List.copyOf(volatileLines);
    }

    /** The first line of {@code output} that the platform uses to refuse a command, or {@code null}. */
    public String firstError(String output) {
        for (String line : output.split("\n", -1)) {
            for (Pattern error : errorLines) {
                if (error.matcher(line).find()) {
                    return line.strip();
                }
            }
        }
        return null;
    }

    /**
     * Removes volatile lines and blank lines at the start and end, so that two fetches of an unchanged device give
     * the same text. Everything else, trailing spaces included, is kept as the device sent it.
     */
    public String normalize(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (String line : raw.split("\n", -1)) {
            if (volatileLines.stream().noneMatch(p -> p.matcher(line).matches())) {
                out.append(line).append('\n');
            }
        }
        return trimBlankLines(out.toString());
    }

    static String trimBlankLines(String text) {
        String[] lines = text.split("\n", -1);
        int start = 0;
        int end = lines.length;
        while (start < end && lines[start].isBlank()) {
            start++;
        }
        while (end > start && lines[end - 1].isBlank()) {
            end--;
        }
        if (start == end) {
            return "";
        }
        return String.join("\n", java.util.Arrays.copyOfRange(lines, start, end)) + "\n";
    }
}
