package io.netsnap.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The exec-mode grammar of one simulated platform, parsed the way Cisco CLIs do: every keyword may be cut to any
 * prefix that is unique among the keywords visible where the user stands ({@code sh run}, {@code term len 0}); a
 * word that matches nothing is marked at its first character that no keyword continues with. What is visible is the
 * caller's to say (privilege level, configuration mode, a platform's condition). Each platform words the result in
 * its own way (see {@code profiles/*.yaml}); this class only says what was typed and where it went wrong.
 *
 * @param <C> the platform's commands
 */
final class CliSyntax<C> {

    sealed interface Parsed<C> {
    }

    /** A blank line: every CLI just prints the prompt again. */
    record Empty<C>() implements Parsed<C> {
    }

    /**
     * {@code argument} is the number of a command that takes one ({@code terminal length N}), else 0; {@code word} is
     * the number's digits as typed, or the word typed where the command has {@link #ANY_WORD} (a file or context
     * name), else {@code null}.
     */
    record Ok<C>(C command, int argument, String word) implements Parsed<C> {
    }

    /**
     * {@code column} is the index in the line of the first character that could not be parsed; {@code loneWord} is
     * true when the whole line is one word that matches no command (IOS takes that for a host name to telnet to);
     * {@code firstWord} is true when the line's first word is the one that matches nothing (Junos: unknown command).
     */
    record Invalid<C>(int column, boolean loneWord, boolean firstWord) implements Parsed<C> {
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

    /**
     * The keyword that any word fits: a file or context name, at the end of a command ({@code changeto context
     * <word>}) or in its middle ({@code show file <word> md5sum}); keywords beside it win. One per command.
     */
    static final String ANY_WORD = "<word>";

    /** What a command takes after its keywords. */
    enum Argument {
        NONE, NUMBER
    }

    /**
     * One keyword of the tree: a command (maybe taking a number between {@code min} and {@code max}), a
     * group of further keywords, or both ({@code terminal pager N} and {@code terminal pager lines N}).
     */
    record Node<C>(String keyword, C command, Argument argument, int min, int max, List<Node<C>> children) {

        Node {
            children = List.copyOf(children);
        }

        boolean visible(Predicate<C> visible) {
            return command != null && visible.test(command) || children.stream().anyMatch(c -> c.visible(visible));
        }
    }

    private final Node<C> root;

    CliSyntax(List<Node<C>> topLevel) {
        this.root = new Node<>("", null, Argument.NONE, 0, 0, topLevel);
    }

    /** Parses one line; keywords of commands that {@code visible} rejects do not exist. */
    Parsed<C> parse(String line, Predicate<C> visible) {
        List<Token> tokens = tokenize(line);
        if (tokens.isEmpty()) {
            return new Empty<>();
        }
        Node<C> node = root;
        String argument = null;
        String anyWordTyped = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (argument != null) {
                return new Invalid<>(token.start(), false, false);
            }
            List<Node<C>> shown = node.children().stream().filter(child -> child.visible(visible)).toList();
            String word = token.text().toLowerCase(Locale.ROOT);
            List<Node<C>> matches = shown.stream()
                    .filter(child -> !child.keyword().equals(ANY_WORD) && child.keyword().startsWith(word)).toList();
            Node<C> anyWord = shown.stream().filter(child -> child.keyword().equals(ANY_WORD)).findFirst()
                    .orElse(null);
            Node<C> exact = matches.stream().filter(child -> child.keyword().equals(word)).findFirst().orElse(null);
            if (exact != null || matches.size() == 1) {
                node = exact != null ? exact : matches.get(0);
            } else if (matches.size() > 1) {
                return new Ambiguous<>(token.start());
            } else if (node.argument() == Argument.NUMBER) {
                Parsed<C> wrong = checkNumber(node, token);
                if (wrong != null) {
                    return wrong;
                }
                argument = token.text();
            } else if (anyWord != null && anyWordTyped == null) {
                node = anyWord;
                anyWordTyped = token.text();
            } else {
                return new Invalid<>(token.start() + longestPrefix(word, shown.stream().map(Node::keyword)
                                .filter(keyword -> !keyword.equals(ANY_WORD)).toList()),
                        i == 0 && tokens.size() == 1, i == 0);
            }
        }
        if (node.command() == null || node.argument() != Argument.NONE && argument == null) {
            return new Incomplete<>(line.stripTrailing().length());
        }
        int number = node.argument() == Argument.NUMBER ? Integer.parseInt(argument) : 0;
        return new Ok<>(node.command(), number, argument != null ? argument : anyWordTyped);
    }

    /** {@code null} when the token is a number in the node's range, else what is wrong with it. */
    private static <C> Parsed<C> checkNumber(Node<C> node, Token token) {
        String text = token.text();
        for (int c = 0; c < text.length(); c++) {
            if (!Character.isDigit(text.charAt(c))) {
                return new Invalid<>(token.start() + c, false, false);
            }
        }
        // More digits than the maximum has can only be out of range, and would overflow an int.
        if (text.length() > String.valueOf(node.max()).length()) {
            return new OutOfRange<>(token.start());
        }
        int value = Integer.parseInt(text);
        return value < node.min() || value > node.max() ? new OutOfRange<>(token.start()) : null;
    }

    /** How far {@code word} runs along the keyword it follows furthest: the caret goes right after that. */
    private static int longestPrefix(String word, List<String> keywords) {
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

    /** One word of a typed line and the index in the line where it starts. */
    record Token(String text, int start) {
    }

    /** The words of a line, split at spaces, with where each starts. */
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
