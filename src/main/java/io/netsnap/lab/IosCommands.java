package io.netsnap.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The exec-mode commands the simulator knows, parsed the way IOS does: every keyword may be cut to any prefix that is
 * unique among the keywords visible at that privilege level ({@code sh run}, {@code term len 0}); a word that matches
 * nothing is marked at its first character that no keyword continues with.
 *
 * <pre>
 * LAB-SW1#show runx
 *                 ^
 * % Invalid input detected at '^' marker.
 * </pre>
 *
 * A line that is one unknown word is taken, as on a real box, for the name of a host to telnet to.
 */
final class IosCommands {

    enum Command {
        ENABLE, DISABLE, EXIT, SHOW_CLOCK, SHOW_PRIVILEGE, SHOW_RUNNING_CONFIG, SHOW_VERSION, TERMINAL_LENGTH,
        TERMINAL_WIDTH
    }

    sealed interface Parsed {
    }

    /** A blank line: IOS just prints the prompt again. */
    record Empty() implements Parsed {
    }

    /** {@code argument} is the number of {@code terminal length N} / {@code terminal width N}, else 0. */
    record Ok(Command command, int argument) implements Parsed {
    }

    /** {@code column} is the index in the line of the first character IOS could not parse. */
    record Invalid(int column) implements Parsed {
    }

    record Incomplete() implements Parsed {
    }

    record Ambiguous() implements Parsed {
    }

    record UnknownWord(String word) implements Parsed {
    }

    /** IOS privilege levels: where a user lands without enable, and after it. */
    static final int USER = 1;
    static final int PRIVILEGED = 15;
    /** The range IOS accepts for {@code terminal length} and {@code terminal width}. */
    private static final int MAX_TERMINAL_SIZE = 512;

    private record Node(String keyword, int privilege, Command command, boolean takesNumber, List<Node> children) {

        static Node command(String keyword, int privilege, Command command) {
            return new Node(keyword, privilege, command, false, List.of());
        }

        static Node numbered(String keyword, Command command) {
            return new Node(keyword, USER, command, true, List.of());
        }

        static Node group(String keyword, Node... children) {
            return new Node(keyword, USER, null, false, List.of(children));
        }
    }

    private static final Node ROOT = Node.group("",
            Node.command("disable", USER, Command.DISABLE),
            Node.command("enable", USER, Command.ENABLE),
            Node.command("exit", USER, Command.EXIT),
            Node.command("logout", USER, Command.EXIT),
            Node.group("show",
                    Node.command("clock", USER, Command.SHOW_CLOCK),
                    Node.command("privilege", USER, Command.SHOW_PRIVILEGE),
                    Node.command("running-config", PRIVILEGED, Command.SHOW_RUNNING_CONFIG),
                    Node.command("version", USER, Command.SHOW_VERSION)),
            Node.group("terminal",
                    Node.numbered("length", Command.TERMINAL_LENGTH),
                    Node.numbered("width", Command.TERMINAL_WIDTH)));

    private IosCommands() {
    }

    private record Token(String text, int start) {
    }

    static Parsed parse(String line, int privilege) {
        List<Token> tokens = tokenize(line);
        if (tokens.isEmpty()) {
            return new Empty();
        }
        Node node = ROOT;
        int i = 0;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            if (node.takesNumber()) {
                return number(node, tokens, i);
            }
            List<Node> visible = node.children().stream().filter(child -> child.privilege() <= privilege).toList();
            String word = token.text().toLowerCase(Locale.ROOT);
            List<Node> matches = visible.stream().filter(child -> child.keyword().startsWith(word)).toList();
            Node exact = matches.stream().filter(child -> child.keyword().equals(word)).findFirst().orElse(null);
            if (exact == null && matches.size() > 1) {
                return new Ambiguous();
            }
            if (exact == null && matches.isEmpty()) {
                if (i == 0 && tokens.size() == 1) {
                    return new UnknownWord(token.text());
                }
                return new Invalid(token.start() + longestPrefix(word, visible));
            }
            node = exact != null ? exact : matches.get(0);
            i++;
        }
        return node.command() == null || node.takesNumber() ? new Incomplete() : new Ok(node.command(), 0);
    }

    private static Parsed number(Node node, List<Token> tokens, int i) {
        Token token = tokens.get(i);
        String text = token.text();
        for (int c = 0; c < text.length(); c++) {
            if (!Character.isDigit(text.charAt(c))) {
                return new Invalid(token.start() + c);
            }
        }
        if (text.length() > 3 || Integer.parseInt(text) > MAX_TERMINAL_SIZE) {
            return new Invalid(token.start());
        }
        if (i + 1 < tokens.size()) {
            return new Invalid(tokens.get(i + 1).start());
        }
        return new Ok(node.command(), Integer.parseInt(text));
    }

    /** How far {@code word} runs along the keyword it follows furthest: the caret goes right after that. */
    private static int longestPrefix(String word, List<Node> candidates) {
        int best = 0;
        for (Node candidate : candidates) {
            String keyword = candidate.keyword();
            int n = 0;
            while (n < word.length() && n < keyword.length() && word.charAt(n) == keyword.charAt(n)) {
                n++;
            }
            best = Math.max(best, n);
        }
        return best;
    }

    private static List<Token> tokenize(String line) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                tokens.add(new Token(line.substring(start, i), start));
            }
        }
        return tokens;
    }
}
