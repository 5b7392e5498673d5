package io.netsnap.notify;

import java.util.regex.Pattern;

/** What may go into a message from a report: one line, printable, short. */
final class Text {

    /** Longest device message shown; device messages are one line already, but come from devices and servers. */
    static final int MESSAGE = 200;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Text() {
    }

    /**
     * The first line of {@code text}, control characters dropped, cut to {@code max} characters. What a message says
     * after its first line (device output, a stack trace) never reaches a notification.
     */
    static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        String first = text.strip().lines().findFirst().orElse("");
        String flat = CONTROL.matcher(first).replaceAll(" ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 3).stripTrailing() + "...";
    }

    /** An error code as netsnap writes them ({@code AUTH_FAILED}); anything else is {@code FAILED}. */
    static String code(String code) {
        return code != null && CODE.matcher(code).matches() ? code : "FAILED";
    }
}
