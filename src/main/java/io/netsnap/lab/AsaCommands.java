package io.netsnap.lab;

import java.util.List;
import java.util.Locale;

/**
 * The ASA commands the simulator knows, parsed as the ASA does: every keyword may be cut to a prefix that is unique
 * among the keywords visible where the user stands ({@code sh run}, {@code term pag 0}, {@code changeto cont ctx1},
 * {@code conf t}). What is visible depends on the privilege level, on configuration mode (where every exec command
 * still works, as on the ASA, without {@code do}) and on the context mode: {@code changeto} and {@code show context}
 * exist only in multiple mode. {@code enable} is visible only unprivileged, which is why a privileged user's
 * {@code enable} is an error on the ASA (ISSUE ktbyers/netmiko#2213, ansible/ansible#18531):
 *
 * <pre>
 * ns2903-asa-02# enable
 *                 ^
 * ERROR: % Invalid input detected at '^' marker.
 * </pre>
 *
 * The caret stands under the first character that no visible keyword continues with (the {@code n}: {@code exit}
 * shares the {@code e}).
 *
 * <p>{@link CliSyntax} cannot express this grammar (keywords visible by where the user stands rather than above a
 * privilege level, {@code enable} only below 15, word arguments, numbers without a range), so the ASA parses on its
 * own, with CliSyntax's word splitting and caret rule.
 */
final class AsaCommands {

    enum Command {
        ENABLE, DISABLE, EXIT, CONFIGURE_TERMINAL, END, SHOW_CURPRIV, SHOW_MODE, SHOW_RUNNING_CONFIG, SHOW_CONTEXT,
        MORE, TERMINAL_PAGER, NO_TERMINAL_PAGER, TERMINAL_WIDTH, CHANGETO_SYSTEM, CHANGETO_CONTEXT
    }

    /** Where the user types: which keywords exist. */
    record Where(boolean privileged, boolean config, boolean multipleMode) {
    }

    sealed interface Parsed {
    }

    /** A blank line: the ASA prints the prompt again. */
    record Empty() implements Parsed {
    }

    /** {@code argument} is the number, file or context name the command takes, else {@code null}. */
    record Ok(Command command, String argument) implements Parsed {
    }

    /** {@code column} is the index in the line of the first character the ASA could not parse. */
    record Invalid(int column) implements Parsed {
    }

    record Incomplete() implements Parsed {
    }

    record Ambiguous() implements Parsed {
    }

    private enum Argument {
        NONE, NUMBER, WORD
    }

    private enum Access {
        /** Level 1: right after login without auto-enable. */
        ANYONE,
        /** Level 15, after {@code enable}. */
        PRIVILEGED,
        /** Level 1 only: {@code enable} disappears once privileged. */
        UNPRIVILEGED,
        /** Global configuration mode only. */
        CONFIG,
        /** Level 15 on a multiple-context ASA. */
        MULTIPLE
    }

    private record Node(String keyword, Access access, Command command, Argument argument, List<Node> children) {

        static Node leaf(String keyword, Access access, Command command) {
            return new Node(keyword, access, command, Argument.NONE, List.of());
        }

        static Node taking(String keyword, Access access, Command command, Argument argument, Node... children) {
            return new Node(keyword, access, command, argument, List.of(children));
        }

        static Node group(String keyword, Access access, Node... children) {
            return new Node(keyword, access, null, Argument.NONE, List.of(children));
        }

        boolean visible(Where where) {
            return switch (access) {
                case ANYONE -> true;
                case PRIVILEGED -> where.privileged();
                case UNPRIVILEGED -> !where.privileged();
                case CONFIG -> where.config();
                case MULTIPLE -> where.privileged() && where.multipleMode();
            };
        }
    }

    /** {@code terminal pager [lines] N}: the number may follow {@code pager} directly or after {@code lines}. */
    private static Node pager() {
        return Node.taking("pager", Access.ANYONE, Command.TERMINAL_PAGER, Argument.NUMBER,
                Node.taking("lines", Access.ANYONE, Command.TERMINAL_PAGER, Argument.NUMBER));
    }

    private static final Node ROOT = Node.group("", Access.ANYONE,
            Node.group("changeto", Access.MULTIPLE,
                    Node.taking("context", Access.MULTIPLE, Command.CHANGETO_CONTEXT, Argument.WORD),
                    Node.leaf("system", Access.MULTIPLE, Command.CHANGETO_SYSTEM)),
            Node.group("configure", Access.PRIVILEGED,
                    Node.leaf("terminal", Access.PRIVILEGED, Command.CONFIGURE_TERMINAL)),
            Node.leaf("disable", Access.PRIVILEGED, Command.DISABLE),
            Node.leaf("enable", Access.UNPRIVILEGED, Command.ENABLE),
            Node.leaf("end", Access.CONFIG, Command.END),
            Node.leaf("exit", Access.ANYONE, Command.EXIT),
            Node.leaf("logout", Access.ANYONE, Command.EXIT),
            Node.taking("more", Access.PRIVILEGED, Command.MORE, Argument.WORD),
            Node.group("no", Access.ANYONE,
                    Node.group("terminal", Access.ANYONE,
                            Node.leaf("pager", Access.ANYONE, Command.NO_TERMINAL_PAGER))),
            Node.leaf("quit", Access.ANYONE, Command.EXIT),
            Node.group("show", Access.ANYONE,
                    Node.leaf("context", Access.MULTIPLE, Command.SHOW_CONTEXT),
                    Node.leaf("curpriv", Access.ANYONE, Command.SHOW_CURPRIV),
                    Node.leaf("mode", Access.ANYONE, Command.SHOW_MODE),
                    Node.leaf("running-config", Access.PRIVILEGED, Command.SHOW_RUNNING_CONFIG)),
            Node.group("terminal", Access.ANYONE,
                    pager(),
                    Node.taking("width", Access.CONFIG, Command.TERMINAL_WIDTH, Argument.NUMBER)));

    private AsaCommands() {
    }

    static Parsed parse(String line, Where where) {
        List<CliSyntax.Token> words = CliSyntax.tokenize(line);
        if (words.isEmpty()) {
            return new Empty();
        }
        Node node = ROOT;
        String argument = null;
        for (CliSyntax.Token word : words) {
            if (argument != null) {
                return new Invalid(word.start());
            }
            List<Node> visible = node.children().stream().filter(child -> child.visible(where)).toList();
            String typed = word.text().toLowerCase(Locale.ROOT);
            List<Node> matches = visible.stream().filter(child -> child.keyword().startsWith(typed)).toList();
            Node exact = matches.stream().filter(child -> child.keyword().equals(typed)).findFirst().orElse(null);
            if (exact != null || matches.size() == 1) {
                node = exact != null ? exact : matches.get(0);
            } else if (matches.size() > 1) {
                return new Ambiguous();
            } else if (node.argument() == Argument.WORD) {
                argument = word.text();
            } else if (node.argument() == Argument.NUMBER) {
                int bad = firstNonDigit(word.text());
                if (bad >= 0) {
                    return new Invalid(word.start() + bad);
                }
                argument = word.text();
            } else {
                return new Invalid(word.start() + CliSyntax.longestPrefix(typed,
                        visible.stream().map(Node::keyword).toList()));
            }
        }
        if (node.command() == null || node.argument() != Argument.NONE && argument == null) {
            return new Incomplete();
        }
        return new Ok(node.command(), argument);
    }

    /** The index of the first character that is not a digit, or of the first too many for an int; -1 if none. */
    private static int firstNonDigit(String text) {
        for (int c = 0; c < text.length(); c++) {
            if (!Character.isDigit(text.charAt(c))) {
                return c;
            }
        }
        return text.length() > 9 ? 9 : -1;
    }
}
