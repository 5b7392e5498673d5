package io.netsnap.inventory;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks that a host is a bare host name, IPv4 or IPv6 literal. Purely syntactic: nothing is resolved, so loading
 * the inventory never waits on DNS.
 */
final class HostSyntax {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern NAME_WITH_PORT = Pattern.compile("[^:]+:[0-9]+");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private HostSyntax() {
    }

    /** Why {@code host} is not acceptable (a phrase to follow the quoted host), or empty when it is. */
    static Optional<String> problem(String host) {
        if (host.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("must not contain spaces");
        }
        if (host.contains("://")) {
            return Optional.of("must not include a scheme; give the bare host name or address");
        }
        if (host.startsWith("[")) {
            return Optional.of("must not be in brackets; give the bare IPv6 address (and the port in 'port')");
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            return isIpv4(host) ? Optional.empty() : Optional.of("is not a valid IPv4 address");
        }
        if (host.contains(":")) {
            if (isIpv6(host)) {
                return Optional.empty();
            }
            return Optional.of(NAME_WITH_PORT.matcher(host).matches()
                    ? "must not include a port; set it with 'port'"
                    : "is not a valid IPv6 address");
        }
        return isHostName(host) ? Optional.empty() : Optional.of("is not a valid host name or IP address");
    }

    /** Dotted quad, each part 0..255 without leading zeros (which some tools would read as octal). */
    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** RFC 4291 text form: eight groups, or fewer with one {@code ::}, optionally ending in a dotted quad. */
    static boolean isIpv6(String text) {
        int gap = text.indexOf("::");
        if (gap < 0) {
            return groups(text, true) == 8;
        }
        if (gap != text.lastIndexOf("::")) {
            return false;
        }
        String right = text.substring(gap + 2);
        int left = groups(text.substring(0, gap), false);
        int rest = groups(right, true);
        return left >= 0 && rest >= 0 && left + rest <= 7;
    }

    /** Number of 16-bit groups in a colon-separated run, or -1 when malformed. */
    private static int groups(String run, boolean mayEndInIpv4) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] parts = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            if (last && mayEndInIpv4 && parts[i].contains(".")) {
                if (!isIpv4(parts[i])) {
                    return -1;
                }
                count += 2;
            } else if (HEX_GROUP.matcher(parts[i]).matches()) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }

    private static boolean isHostName(String text) {
        if (text.length() > 253) {
            return false;
        }
        for (String label : text.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
