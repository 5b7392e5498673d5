package io.netsnap.lab;

import static io.netsnap.lab.SimulatorProfile.PRIVILEGED;
import static io.netsnap.lab.SimulatorProfile.USER;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netsnap.lab.CliSyntax.Ambiguous;
import io.netsnap.lab.CliSyntax.Empty;
import io.netsnap.lab.CliSyntax.Incomplete;
import io.netsnap.lab.CliSyntax.Invalid;
import io.netsnap.lab.CliSyntax.Node;
import io.netsnap.lab.CliSyntax.Ok;
import io.netsnap.lab.CliSyntax.OutOfRange;
import io.netsnap.lab.CliSyntax.Parsed;
import io.netsnap.lab.SimulatorProfile.CommandSpec;

/**
 * One session on a simulated CLI device, as its {@link SimulatorProfile} says: an interactive shell (banner, prompt,
 * echo, pager, enable) or, for an SSH {@code exec} request, a single command whose output is sent bare (no echo, no
 * prompt, no pager) before the channel closes.
 */
final class ProfileSession implements DialogueChannel.Dialogue {

    private final CliDevice device;
    private final CliDeviceSpec spec;
    private final SimulatorProfile profile;
    private final CliSyntax<CommandSpec> syntax;
    private final String execCommand;

    // Only touched by the session thread.
    private TerminalOutput out;
    private TerminalInput in;
    private int privilege;
    private int length;

    /** @param execCommand the command of an {@code exec} request, or {@code null} for a shell */
    ProfileSession(CliDevice device, CliSyntax<CommandSpec> syntax, String execCommand) {
        this.device = device;
        this.spec = device.spec();
        this.profile = spec.profile();
        this.syntax = syntax;
        this.execCommand = execCommand;
    }

    /** The profile's commands as a keyword tree: each keyword abbreviable, the last one maybe taking a number. */
    static CliSyntax<CommandSpec> syntax(SimulatorProfile profile) {
        Keyword root = new Keyword();
        for (CommandSpec command : profile.commands()) {
            List<String> words = command.words();
            int last = words.size() - 1;
            int end = words.get(last).startsWith("<") ? last - 1 : last;
            Keyword keyword = root;
            for (int i = 0; i <= end; i++) {
                keyword = keyword.children.computeIfAbsent(words.get(i), w -> new Keyword());
            }
            if (keyword.command != null) {
                throw new IllegalArgumentException(profile.platform() + ": command '" + String.join(" ", words)
                        + "' is defined twice");
            }
            keyword.command = command;
        }
        return new CliSyntax<>(root.nodes());
    }

    /** One keyword while the tree is built: a command, further keywords, or both ({@code show configuration}). */
    private static final class Keyword {
        private CommandSpec command;
        private final Map<String, Keyword> children = new LinkedHashMap<>();

        List<Node<CommandSpec>> nodes() {
            List<Node<CommandSpec>> nodes = new ArrayList<>();
            children.forEach((word, keyword) -> nodes.add(keyword.node(word)));
            return nodes;
        }

        private Node<CommandSpec> node(String word) {
            List<Node<CommandSpec>> below = nodes();
            if (command == null) {
                int visibleFrom = below.stream().mapToInt(Node::privilege).min().orElse(USER);
                return CliSyntax.group(word, visibleFrom, below);
            }
            String last = command.words().get(command.words().size() - 1);
            if (last.startsWith("<")) {
                String[] range = last.substring(1, last.length() - 1).split("-");
                return CliSyntax.numbered(word, command.level(), command, Integer.parseInt(range[0]),
                        Integer.parseInt(range[1]));
            }
            return CliSyntax.command(word, command.level(), command, below);
        }
    }

    @Override
    public void run(InputStream rawIn, TerminalOutput terminal) throws IOException {
        out = terminal;
        in = new TerminalInput(rawIn, out, spec.echoLineEnd());
        privilege = spec.landsPrivileged() ? PRIVILEGED : USER;
        if (execCommand == null) {
            length = profile.paging().length();
            shell();
        } else {
            length = 0;
            device.commands().record(execCommand);
            execute(execCommand, false);
        }
    }

    private void shell() throws IOException {
        out.print(profile.beforeBanner());
        for (String line : device.render(List.of("{banner}"), values(0, ""))) {
            out.println(line);
        }
        out.print(profile.afterBanner());
        CommandLoop.run(in, out, device.commands(), this::prompt, line -> execute(line, true));
    }

    private String prompt() {
        String template = privilege == PRIVILEGED ? profile.privilegedPrompt() : profile.userPrompt();
        return template.replace("{hostname}", spec.hostname()).replace("{username}", spec.username());
    }

    /** Runs one command line; returns {@code false} when the session should end. */
    private boolean execute(String line, boolean interactive) throws IOException {
        Parsed<CommandSpec> parsed = syntax.parse(line, privilege);
        if (!interactive && !(parsed instanceof Ok) && !profile.execErrors().isEmpty()) {
            print(profile.execErrors(), line, column(parsed), interactive);
            return false;
        }
        switch (parsed) {
            case Empty<CommandSpec> empty -> {
            }
            case Invalid<CommandSpec> invalid when invalid.loneWord() && profile.errors().containsKey("lone-word") ->
                    print(profile.error("lone-word"), line, invalid.column(), interactive);
            case Invalid<CommandSpec> invalid when invalid.firstWord() ->
                    print(profile.error("first-word"), line, invalid.column(), interactive);
            case Invalid<CommandSpec> invalid -> print(profile.error("invalid"), line, invalid.column(), interactive);
            case OutOfRange<CommandSpec> range ->
                    print(profile.error("out-of-range"), line, range.column(), interactive);
            case Incomplete<CommandSpec> incomplete ->
                    print(profile.error("incomplete"), line, incomplete.column(), interactive);
            case Ambiguous<CommandSpec> ambiguous ->
                    print(profile.error("ambiguous"), line, ambiguous.column(), interactive);
            case Ok<CommandSpec> ok -> {
                return perform(ok, line);
            }
        }
        return true;
    }

    private static int column(Parsed<CommandSpec> parsed) {
        return switch (parsed) {
            case Invalid<CommandSpec> invalid -> invalid.column();
            case OutOfRange<CommandSpec> range -> range.column();
            case Incomplete<CommandSpec> incomplete -> incomplete.column();
            case Ambiguous<CommandSpec> ambiguous -> ambiguous.column();
            default -> 0;
        };
    }

    /**
     * Prints an error: a line {@code {caret}} puts {@code ^} under {@code column}, counted from the start of the
     * prompt line; {@code {line}} is the typed line, {@code {word}} the word at {@code column}.
     */
    private void print(List<String> template, String line, int column, boolean interactive) throws IOException {
        String shownPrompt = interactive ? prompt().replaceFirst("^[\\r\\n]+", "") : "";
        int start = Math.min(column, line.length());
        while (start > 0 && line.charAt(start - 1) != ' ') {
            start--;
        }
        String word = line.substring(start).split(" ", 2)[0];
        for (String text : template) {
            if (text.equals("{caret}")) {
                out.println(" ".repeat(shownPrompt.length() + column) + "^");
            } else {
                out.println(text.replace("{line}", line.strip()).replace("{word}", word));
            }
        }
    }

    private boolean perform(Ok<CommandSpec> ok, String line) throws IOException {
        CommandSpec command = ok.command();
        switch (command.action()) {
            case "exit" -> {
                return false;
            }
            case "enable" -> enable();
            case "disable" -> privilege = profile.userPrompt() == null ? privilege : USER;
            case "paging" -> {
                if (spec.pagingLocked()) {
                    print(profile.paging().refused(), line, 0, false);
                    return true;
                }
                length = ok.argument();
                show(command, ok, line);
            }
            default -> show(command, ok, line);
        }
        return true;
    }

    /**
     * Local enable secret: {@code attempts} tries, the typed secret never echoed, then the profile's refusal. With a
     * passwordless enable (AAA {@code enable default none}) there is no password prompt at all.
     */
    private void enable() throws IOException {
        SimulatorProfile.Enable enable = profile.enable();
        if (privilege == PRIVILEGED || enable == null) {
            return;
        }
        if (spec.passwordlessEnable()) {
            privilege = PRIVILEGED;
            return;
        }
        if (spec.enableSecret() == null) {
            print(enable.noSecret(), "", 0, false);
            return;
        }
        for (int attempt = 0; attempt < enable.attempts(); attempt++) {
            out.print(enable.passwordPrompt());
            String secret = in.readLine(false);
            if (secret == null) {
                throw new IOException("client closed its input at the enable password prompt");
            }
            if (secret.equals(spec.enableSecret())) {
                privilege = PRIVILEGED;
                return;
            }
        }
        print(enable.refused(), "", 0, false);
    }

    private CliDevice.SessionValues values(int argument, String line) {
        return new CliDevice.SessionValues(spec.hostname(), spec.username(), privilege, argument, line);
    }

    /** Prints the command's output through the pager, pausing (or hanging, for a hanging device) at {@code {build}}. */
    private void show(CommandSpec command, Ok<CommandSpec> ok, String line) throws IOException {
        List<String> lines = device.render(command.output(), values(ok.argument(), line.strip()));
        int pageLength = command.noPager() ? 0 : length;
        Pager pager = new Pager(out, in, pageLength, new Pager.Style(profile.paging().more(),
                profile.paging().erase().equals("overwrite") ? null : profile.paging().erase()))
                .expecting((int) lines.stream().filter(l -> !l.equals(CliDevice.BUILD)).count());
        for (String text : lines) {
            if (text.equals(CliDevice.BUILD)) {
                out.flush();
                if (spec.hangOnBuild()) {
                    DialogueChannel.hang();
                }
                TerminalOutput.pause(spec.buildDelay().toMillis());
            } else if (!pager.line(text)) {
                return;
            }
        }
    }
}
