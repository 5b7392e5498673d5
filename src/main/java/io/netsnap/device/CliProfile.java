package io.netsnap.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one CLI platform looks like on the wire: the declarative part of a driver. {@link CliSession} and
 * {@link CliFetcher} do the talking; a platform contributes this profile (built with {@link #builder()}) and, where
 * the platform needs it, a few lines of its own flow.
 *
 * @param prompt         matches a prompt at the very end ({@code \z}) of the received text; named groups {@code host} and
 *                       {@code mode} ({@code #} privileged, {@code >} not)
 * @param passwordPrompt matches the enable password prompt at the end of the received text
 * @param enableCommand  command that raises privilege, or {@code null} when the platform has none
 * @param loginAnswers   questions some devices ask between login and the first prompt, with the key that moves on
 * @param sessionSetup   commands sent once after login (paging off, width); a refusal is tolerated because the pager
 *                       is answered anyway
 * @param fetchCommand   the command whose output is the configuration
 * @param pager          matches a pager prompt at the end of the received text
 * @param pagerAnswer    what to send to get the next page
 * @param pagerResidue   what the device leaves behind after the pager is answered (erase sequences), removed from
 *                       the output
 * @param errorLines     output lines that mean the device refused a command
 * @param volatileLines  lines that change between two fetches of an unchanged device; dropped by normalization
 * @param secrets        rules that mask secrets in text shown to people; the archive keeps what the device sent
 * @param exitCommand    command that ends the session politely
 */
public record CliProfile(Pattern prompt,
                         Pattern passwordPrompt,
                         String enableCommand,
                         List<Answer> loginAnswers,
                         List<String> sessionSetup,
                         String fetchCommand,
                         Pattern pager,
                         String pagerAnswer,
                         Pattern pagerResidue,
                         List<Pattern> errorLines,
                         List<Pattern> volatileLines,
                         List<Secret> secrets,
                         String exitCommand) {

    /** What is put in place of a masked secret. */
    public static final String MASK = "<removed>";

    public CliProfile {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(fetchCommand, "fetchCommand");
        Objects.requireNonNull(pager, "pager");
        Objects.requireNonNull(exitCommand, "exitCommand");
        loginAnswers = List.copyOf(loginAnswers);
        sessionSetup = List.copyOf(sessionSetup);
        errorLines = List.copyOf(errorLines);
        volatileLines = List.copyOf(volatileLines);
        secrets = List.copyOf(secrets);
    }

    /**
     * A question asked before the first prompt and what answers it.
     *
     * @param question matches the question at the end of the received text
     * @param answer   the keys sent, line end included when the device wants one
     */
    public record Answer(Pattern question, String answer) {
    }

    /**
     * One secret-masking rule: in every line that {@code line} finds, the text of its group {@code secret} is
     * replaced by {@link #MASK}. Lines are matched with {@link Matcher#find()}, so a rule needs no anchors.
     */
    public record Secret(Pattern line) {

        public Secret {
            if (!line.pattern().contains("(?<secret>")) {
                throw new IllegalArgumentException("secret rule without a (?<secret>...) group: " + line);
            }
        }

        public static Secret of(String regex) {
            return new Secret(Pattern.compile(regex));
        }

        String mask(String text) {
            Matcher matcher = line.matcher(text);
            StringBuilder out = new StringBuilder();
            int copied = 0;
            while (matcher.find()) {
                out.append(text, copied, matcher.start("secret")).append(MASK);
                copied = matcher.end("secret");
            }
            return copied == 0 ? text : out.append(text, copied, text.length()).toString();
        }
    }

    public static Builder builder() {
        return new Builder();
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

    /** {@code config} with every secret the platform's rules know replaced by {@link #MASK}, line by line. */
    public String mask(String config) {
        StringBuilder out = new StringBuilder(config.length());
        for (String line : config.split("\n", -1)) {
            String masked = line;
            for (Secret secret : secrets) {
                masked = secret.mask(masked);
            }
            out.append(masked).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
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
        return String.join("\n", Arrays.copyOfRange(lines, start, end)) + "\n";
    }

    /** Builds a profile; lists start empty, the pager answer is a space, the exit command {@code exit}. */
    public static final class Builder {
        private Pattern prompt;
        private Pattern passwordPrompt = Pattern.compile("(?i)password: ?\\z");
        private String enableCommand;
        private final List<Answer> loginAnswers = new ArrayList<>();
        private final List<String> sessionSetup = new ArrayList<>();
        private String fetchCommand;
        private Pattern pager;
        private String pagerAnswer = " ";
        private Pattern pagerResidue = Pattern.compile("(?!)");
        private final List<Pattern> errorLines = new ArrayList<>();
        private final List<Pattern> volatileLines = new ArrayList<>();
        private final List<Secret> secrets = new ArrayList<>();
        private String exitCommand = "exit";

        private Builder() {
        }

        public Builder prompt(String regex) {
            prompt = Pattern.compile(regex);
            return this;
        }

        /** Enables with {@code command}; the device then asks for a password matching {@code passwordRegex}. */
        public Builder enable(String command, String passwordRegex) {
            enableCommand = command;
            passwordPrompt = Pattern.compile(passwordRegex);
            return this;
        }

        public Builder loginAnswer(String questionRegex, String answer) {
            loginAnswers.add(new Answer(Pattern.compile(questionRegex), answer));
            return this;
        }

        public Builder sessionSetup(String... commands) {
            sessionSetup.addAll(List.of(commands));
            return this;
        }

        public Builder fetch(String command) {
            fetchCommand = command;
            return this;
        }

        public Builder pager(String regex, String answer, String residueRegex) {
            pager = Pattern.compile(regex);
            pagerAnswer = answer;
            pagerResidue = Pattern.compile(residueRegex);
            return this;
        }

        public Builder errors(String... regexes) {
            Arrays.stream(regexes).map(Pattern::compile).forEach(errorLines::add);
            return this;
        }

        public Builder volatileLines(String... regexes) {
            Arrays.stream(regexes).map(Pattern::compile).forEach(volatileLines::add);
            return this;
        }

        public Builder secrets(String... regexes) {
            Arrays.stream(regexes).map(Secret::of).forEach(secrets::add);
            return this;
        }

        public Builder exit(String command) {
            exitCommand = command;
            return this;
        }

        public CliProfile build() {
            return new CliProfile(prompt, passwordPrompt, enableCommand, loginAnswers, sessionSetup, fetchCommand,
                    pager, pagerAnswer, pagerResidue, errorLines, volatileLines, secrets, exitCommand);
        }
    }
}
