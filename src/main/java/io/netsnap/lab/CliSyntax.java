package io.netsnap.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The exec-mode grammar of one simulated platform, parsed the way Cisco CLIs do: every keyword may be cut to any
 * prefix that is unique among the keywords visible at that privilege level ({@code sh run}, {@code term len 0}); a
 * word that matches nothing is marked at its first character that no keyword continues with. Each platform words the
 * result in its own way (see {@code profiles/*.yaml}, {@link IseCommands}); this class only says
 * what was typed and where it went wrong.
 *
 * @param <C> the platform's commands
 */
final class CliSyntax<C> {

    sealed interface Parsed<C> {
    }

    /** A blank line: every CLI just prints the prompt again. */
    record Empty<C>() implements Parsed<C> {
    }

    /** {@code argument} is the number of a command that takes one ({@code terminal length N}), else 0. */
    record Ok<C>(C command, int argument) implements Parsed<C> {
    }

    /**
     * {@code column} is the index in the line of the first character that could not be parsed; {@code loneWord} is
     * true when the whole line is one word that matches no command (IOS takes that for a host name to telnet to);
     * {@code firstWord} is true when the line's first word is the one that matches nothing (Junos: unknown command).
     */
    record Invalid<C>(int column, boolean loneWord, boolean firstWord) implements Parsed<C> {

        Invalid(int column, boolean loneWord) {
            this(column, loneWord, loneWord);
        }
    }

    /** A number outside the command's range; {@code column} is where the number starts. */
    record OutOfRange<C>(int column) implements Parsed<C> {
    }

    /** The line stops before a command is complete; {@code column} is right after its last character. */
    record Incomplete<C>(int column) implements Parsed<C> {
    }

    /** {@code column} is where the word starts that fits more than one keyword. */
    record Ambiguous<C>(int column) implements Parsed<C> {
    }

    /** One keyword of the tree: a command, a number-taking command, or a group of further keywords. */
    record Node<C>(String keyword, int privilege, C command, int min, int max, List<Node<C>> children) {

        private static final int NO_NUMBER = -1;

        boolean takesNumber() {
            return max != NO_NUMBER;
        }
    }

    private final Node<C> root;

    @SafeVarargs
    CliSyntax(Node<C>... topLevel) {
        this(List.of(topLevel));
    }

    CliSyntax(List<Node<C>> topLevel) {
        this.root = new Node<>("", 0, null, Node.NO_NUMBER, Node.NO_NUMBER, List.copyOf(topLevel));
    }

    static <C> Node<C> command(String keyword, int privilege, C command) {
        return command(keyword, privilege, command, List.of());
    }

    /** A command that further keywords may follow, e.g. Junos {@code show configuration} and its {@code | no-more}. */
    static <C> Node<C> command(String keyword, int privilege, C command, List<Node<C>> children) {
        return new Node<>(keyword, privilege, command, Node.NO_NUMBER, Node.NO_NUMBER, List.copyOf(children));
    }

    /** A command ending in one number between {@code min} and {@code max}, both included. */
    static <C> Node<C> numbered(String keyword, int privilege, C command, int min, int max) {
        return new Node<>(keyword, privilege, command, min, max, List.of());
    }

    @SafeVarargs
    static <C> Node<C> group(String keyword, int privilege, Node<C>... children) {
        return group(keyword, privilege, List.of(children));
    }

    static <C> Node<C> group(String keyword, int privilege, List<Node<C>> children) {
        return new Node<>(keyword, privilege, null, Node.NO_NUMBER, Node.NO_NUMBER, List.copyOf(children));
    }

    /** One word of a typed line and the index in the line where it starts. */
    record Token(String text, int start) {
    }

    /** Parses one line as typed by a user at {@code privilege}; keywords above that level are invisible. */
    Parsed<C> parse(String line, int privilege) {
        List<Token> tokens = tokenize(line);
        if (tokens.isEmpty()) {
            return new Empty<>();
        }
        Node<C> node = root;
        int i = 0;
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            if (node.takesNumber()) {
                return number(node, tokens, i);
            }
            List<Node<C>> visible = node.children().stream().filter(child -> child.privilege() <= privilege).toList();
            String word = token.text().toLowerCase(Locale.ROOT);
            List<Node<C>> matches = visible.stream().filter(child -> child.keyword().startsWith(word)).toList();
            Node<C> exact = matches.stream().filter(child -> child.keyword().equals(word)).findFirst().orElse(null);
            if (exact == null && matches.size() > 1) {
                return new Ambiguous<>(token.start());
            }
            if (exact == null && matches.isEmpty()) {
                return new Invalid<>(token.start() + longestPrefix(word, visible.stream().map(Node::keyword).toList()),
                        i == 0 && tokens.size() == 1, i == 0);
            }
            node = exact != null ? exact : matches.get(0);
            i++;
        }
        if (node.command() == null || node.takesNumber()) {
            return new Incomplete<>(line.stripTrailing().length());
        }
        return new Ok<>(node.command(), 0);
    }

    private Parsed<C> number(Node<C> node, List<Token> tokens, int i) {
        Token token = tokens.get(i);
        String text = token.text();
        for (int c = 0; c < text.length(); c++) {
            if (!Character.isDigit(text.charAt(c))) {
                return new Invalid<>(token.start() + c, false);
            }
        }
        // More digits than the maximum has can only be out of range, and would overflow an int.
        if (text.length() > String.valueOf(node.max()).length()) {
            return new OutOfRange<>(token.start());
        }
        int value = Integer.parseInt(text);
        if (value < node.min() || value > node.max()) {
            return new OutOfRange<>(token.start());
        }
        if (i + 1 < tokens.size()) {
            return new Invalid<>(tokens.get(i + 1).start(), false);
        }
        return new Ok<>(node.command(), value);
    }

    /**
     * How far {@code word} runs along the keyword it follows furthest: the caret goes right after that. Shared with
     * the platforms whose grammar this class cannot express ({@link AsaCommands}).
     */
    static int longestPrefix(String word, List<String> keywords) {
        int best = 0;
        for (String keyword : keywords) {
            int n = 0;
            while (n < word.length() && n < keyword.length() && word.charAt(n) == keyword.charAt(n)) {
                n++;
            }
            best = Math.max(best, n);
        }
        return best;
    }

    /** The words of a line, split at spaces, with where each starts. */
    static List<Token> tokenize(String line) {
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
