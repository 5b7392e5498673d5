package io.netsnap.lab;

import static io.netsnap.lab.SimulatorProfile.PRIVILEGED;
import static io.netsnap.lab.SimulatorProfile.USER;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.sshd.server.channel.ChannelSession;

import io.netsnap.lab.CliSyntax.Ambiguous;
import io.netsnap.lab.CliSyntax.Argument;
import io.netsnap.lab.CliSyntax.Empty;
import io.netsnap.lab.CliSyntax.Incomplete;
import io.netsnap.lab.CliSyntax.Invalid;
import io.netsnap.lab.CliSyntax.Node;
import io.netsnap.lab.CliSyntax.Ok;
import io.netsnap.lab.CliSyntax.OutOfRange;
import io.netsnap.lab.CliSyntax.Parsed;
import io.netsnap.lab.SimulatorProfile.CommandSpec;

/**
 * One session on a simulated CLI device, as its {@link SimulatorProfile} says: an interactive shell (login delay,
 * the extension's login step, banner, login lines, prompt, echo, pager, enable, configuration mode) or, for an SSH
 * {@code exec} request, a single command whose output is sent bare (no echo, no prompt, no pager) before the channel
 * closes. The device counts it in {@link CliDevice#maxConcurrentSessions()} while the channel is open.
 */
final class ProfileSession implements DialogueChannel.Dialogue, CliDevice.Values, CliSimulator.Extension.Shell {

    private final CliDevice device;
    private final CliDeviceSpec spec;
    private final SimulatorProfile profile;
    private final CliSyntax<CommandSpec> syntax;
    private final String execCommand;
    private final CliSimulator.Extension.Session extension;
    private volatile String clientAddress = SimulatorServer.HOST;
    private volatile ChannelSession channel;

    // Only touched by the session thread.
    private TerminalOutput out;
    private TerminalInput in;
    private int privilege;
    private boolean config;
    /** Who holds the privilege: the login name, or the profile's {@code enable.as} after {@code enable}. */
    private String privilegeUser;
    private int length;
    private CliDevice.Login lastLogin;
    /** The command being performed and the line it was typed as. */
    private CommandSpec command;
    private Ok<CommandSpec> parsed;
    private String line = "";

    /** @param execCommand the command of an {@code exec} request, or {@code null} for a shell */
    ProfileSession(CliDevice device, CliSyntax<CommandSpec> syntax, String execCommand) {
        this.device = device;
        this.spec = device.spec();
        this.profile = spec.profile();
        this.syntax = syntax;
        this.execCommand = execCommand;
        this.extension = device.extension().session();
    }

    /**
     * The profile's commands as a keyword tree: each keyword abbreviable, the last one maybe taking a number or a
     * word; a keyword may be a command and lead to others ({@code terminal pager N}, {@code terminal pager lines N}).
     */
    static CliSyntax<CommandSpec> syntax(SimulatorProfile profile) {
        Branch root = new Branch();
        for (CommandSpec command : profile.commands()) {
            List<String> words = command.words();
            String last = words.get(words.size() - 1);
            // A word argument is a keyword that any word fits (CliSyntax.ANY_WORD), at the end or in the middle.
            boolean takes = last.startsWith("<") && !last.equals(CliSyntax.ANY_WORD);
            Branch branch = root;
            for (String word : takes ? words.subList(0, words.size() - 1) : words) {
                branch = branch.children.computeIfAbsent(word, w -> new Branch());
            }
            if (branch.command != null) {
                throw new IllegalArgumentException(profile.platform() + ": command '" + String.join(" ", words)
                        + "' is defined twice");
            }
            branch.command = command;
            if (takes) {
                String[] range = last.substring(1, last.length() - 1).split("-");
                branch.argument = Argument.NUMBER;
                branch.min = Integer.parseInt(range[0]);
                branch.max = Integer.parseInt(range[1]);
            }
        }
        return new CliSyntax<>(root.nodes());
    }

    /** One keyword of the tree while it is being built. */
    private static final class Branch {
        private final Map<String, Branch> children = new LinkedHashMap<>();
        private CommandSpec command;
        private Argument argument = Argument.NONE;
        private int min;
        private int max;

        List<Node<CommandSpec>> nodes() {
            List<Node<CommandSpec>> nodes = new ArrayList<>();
            children.forEach((word, child) -> nodes.add(new Node<>(word, child.command, child.argument, child.min,
                    child.max, child.nodes())));
            return nodes;
        }
    }

    @Override
    public void opened(ChannelSession channel) {
        this.channel = channel;
        if (channel.getSession().getClientAddress() instanceof InetSocketAddress inet) {
            clientAddress = inet.getAddress().getHostAddress();
        }
        device.sessionStarted();
    }

    @Override
    public void closed() {
        device.sessionEnded();
    }

    @Override
    public void run(InputStream rawIn, TerminalOutput terminal) throws IOException {
        out = terminal;
        out.limitRate(spec.outputRate());
        out.delayLines(spec.lineDelay());
        in = new TerminalInput(rawIn, out, spec.echoLineEnd());
        privilege = spec.landsPrivileged() ? PRIVILEGED : USER;
        privilegeUser = spec.username();
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
        TerminalOutput.pause(spec.loginDelay().toMillis());
        if (extension.login(this)) {
            out.print(profile.beforeBanner());
            print(List.of("{banner}"));
            out.print(profile.afterBanner());
            if (profile.lastLogin() != null) {
                lastLogin = device.login(clientAddress);
            }
            print(profile.login());
        }
        CommandLoop.run(in, out, device.commands(), this::prompt, typed -> {
            if (execute(typed, true)) {
                return true;
            }
            out.print(profile.goodbye());
            return false;
        });
    }

    private String prompt() {
        String template = config ? profile.configPrompt()
                : privilege == PRIVILEGED ? profile.privilegedPrompt() : profile.userPrompt();
        return String.join("\n", device.render(List.of(template), this, false));
    }

    private boolean visible(CommandSpec candidate) {
        boolean level = switch (candidate.level()) {
            case USER -> true;
            case PRIVILEGED -> privilege == PRIVILEGED;
            case UNPRIVILEGED -> privilege != PRIVILEGED;
            case CONFIG -> config;
        };
        return level && (candidate.condition() == null || extension.holds(candidate.condition()));
    }

    /** Runs one command line; returns {@code false} when the session should end. */
    private boolean execute(String typed, boolean interactive) throws IOException {
        Parsed<CommandSpec> result = syntax.parse(typed, this::visible);
        if (!interactive && !(result instanceof Ok) && !profile.execErrors().isEmpty()) {
            error(profile.execErrors(), typed, column(result), interactive);
            return false;
        }
        switch (result) {
            case Empty<CommandSpec> empty -> {
            }
            case Invalid<CommandSpec> invalid when invalid.loneWord() && profile.errors().containsKey("lone-word") ->
                    error(profile.error("lone-word"), typed, invalid.column(), interactive);
            case Invalid<CommandSpec> invalid when invalid.firstWord() ->
                    error(profile.error("first-word"), typed, invalid.column(), interactive);
            case Invalid<CommandSpec> invalid -> error(profile.error("invalid"), typed, invalid.column(), interactive);
            case OutOfRange<CommandSpec> range ->
                    error(profile.error("out-of-range"), typed, range.column(), interactive);
            case Incomplete<CommandSpec> incomplete ->
                    error(profile.error("incomplete"), typed, incomplete.column(), interactive);
            case Ambiguous<CommandSpec> ambiguous ->
                    error(profile.error("ambiguous"), typed, ambiguous.column(), interactive);
            case Ok<CommandSpec> ok -> {
                parsed = ok;
                command = ok.command();
                line = typed.strip();
                return perform();
            }
        }
        return true;
    }

    private static int column(Parsed<CommandSpec> result) {
        return switch (result) {
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
    private void error(List<String> template, String typed, int column, boolean interactive) throws IOException {
        String shownPrompt = interactive ? prompt().replaceFirst("^[\\r\\n]+", "") : "";
        int start = Math.min(column, typed.length());
        while (start > 0 && typed.charAt(start - 1) != ' ') {
            start--;
        }
        String word = typed.substring(start).split(" ", 2)[0];
        for (String text : template) {
            if (text.equals("{caret}")) {
                out.println(" ".repeat(shownPrompt.length() + column) + "^");
            } else {
                out.println(text.replace("{line}", typed.strip()).replace("{word}", word));
            }
        }
    }

    private boolean perform() throws IOException {
        switch (command.action()) {
            case "exit" -> {
                if (!config) {
                    return false;
                }
                config = false;
            }
            case "enable" -> enable();
            case "disable" -> {
                privilege = profile.userPrompt() == null ? privilege : USER;
                privilegeUser = spec.username();
                config = false;
            }
            case "configure" -> config = true;
            case "end" -> config = false;
            case "paging" -> {
                if (spec.pagingLocked()) {
                    error(profile.paging().refused(), line, 0, false);
                    return true;
                }
                length = parsed.argument();
                show(command.output());
            }
            case "output" -> show(command.output());
            default -> extension.perform(command.action(), this);
        }
        return true;
    }

    /**
     * Local enable secret: {@code attempts} tries, the typed secret never echoed (or masked, on the ASA), then the
     * profile's refusal. With a passwordless enable (AAA {@code enable default none}) there is no password prompt.
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
            error(enable.noSecret(), "", 0, false);
            return;
        }
        for (int attempt = 1; attempt <= enable.attempts(); attempt++) {
            out.print(enable.passwordPrompt());
            String secret = in.readSecret(enable.echo());
            if (secret == null) {
                throw new IOException("client closed its input at the enable password prompt");
            }
            if (secret.equals(spec.enableSecret())) {
                privilege = PRIVILEGED;
                privilegeUser = enable.as() == null ? spec.username() : enable.as();
                return;
            }
            if (attempt < enable.attempts()) {
                error(enable.retry(), "", 0, false);
            }
        }
        error(enable.refused(), "", 0, false);
    }

    // --- what templates and the extension see ---

    @Override
    public String value(String name, String argument) {
        return switch (name) {
            case "hostname" -> spec.hostname();
            case "username" -> spec.username();
            case "privilege" -> Integer.toString(privilege);
            case "privilege-user" -> privilegeUser;
            case "argument" -> parsed == null || parsed.word() == null ? "0"
                    : command.words().get(command.words().size() - 1).matches("<\\d+-\\d+>")
                    ? Integer.toString(parsed.argument()) : parsed.word();
            case "line" -> line;
            case "mode" -> mode(argument);
            case "last-login" -> lastLogin == null ? null : device.format(argument, lastLogin.time());
            case "last-login-from" -> lastLogin == null ? null : lastLogin.from();
            case "logins" -> lastLogin == null ? null : Integer.toString(lastLogin.count() + 1);
            default -> extension.value(name, argument);
        };
    }

    /** {@code {mode:USER|PRIVILEGED|CONFIG}}: the text for where the session stands. */
    private String mode(String choices) {
        String[] texts = choices == null ? new String[0] : choices.split("\\|", -1);
        int index = config ? 2 : privilege == PRIVILEGED ? 1 : 0;
        return index < texts.length ? texts[index] : null;
    }

    @Override
    public String configBody(String body) {
        return extension.configBody(body);
    }

    @Override
    public String argument() {
        return parsed == null ? null : parsed.word();
    }

    @Override
    public List<String> output() {
        return command.output();
    }

    @Override
    public void print(List<String> template) throws IOException {
        for (String text : device.render(template, this, false)) {
            out.println(text);
        }
    }

    /** Prints an output through the pager, pausing (or hanging, for a hanging device) at {@code {build}}. */
    @Override
    public void show(List<String> template) throws IOException {
        List<String> lines = device.render(template, this, command.masked());
        int pageLength = command.noPager() ? 0 : length;
        Pager pager = new Pager(out, in, pageLength, new Pager.Style(profile.paging().more(),
                profile.paging().erase().equals("overwrite") ? null : profile.paging().erase()))
                .expecting((int) lines.stream()
                        .filter(l -> !l.equals(CliDevice.BUILD) && !l.equals(CliDevice.MID_OUTPUT_PAUSE)).count());
        for (String text : lines) {
            if (text.equals(CliDevice.BUILD)) {
                out.flush();
                if (spec.hangOnBuild()) {
                    DialogueChannel.hang();
                }
                TerminalOutput.pause(spec.buildDelay().toMillis());
            } else if (text.equals(CliDevice.MID_OUTPUT_PAUSE)) {
                out.flush();
                TerminalOutput.pause(spec.midOutputPause().toMillis());
            } else if (!pager.line(text)) {
                return;
            }
        }
    }

    @Override
    public String ask(String question) throws IOException {
        out.print(question);
        String answer = in.readLine(true);
        if (answer == null) {
            throw new EOFException("client closed its input at: " + question.strip());
        }
        return answer;
    }

    @Override
    public void leaveConfigMode() {
        config = false;
    }

    @Override
    public void replaceConfigBody(String body) {
        device.updateConfigBody(body);
    }

    @Override
    public void dropConnection() throws IOException {
        out.flush();
        channel.getSession().close(true);
        throw new InterruptedIOException("the device dropped the connection");
    }
}
