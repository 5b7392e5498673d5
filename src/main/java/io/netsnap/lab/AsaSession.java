package io.netsnap.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.server.channel.ChannelSession;

import io.netsnap.lab.AsaCommands.Ambiguous;
import io.netsnap.lab.AsaCommands.Empty;
import io.netsnap.lab.AsaCommands.Incomplete;
import io.netsnap.lab.AsaCommands.Invalid;
import io.netsnap.lab.AsaCommands.Ok;
import io.netsnap.lab.AsaCommands.Parsed;
import io.netsnap.lab.AsaCommands.Where;

/**
 * One session on the simulated ASA: an interactive shell, or for an SSH {@code exec} request a single command whose
 * output is sent bare (no echo, no prompt, no pager; the simulator's choice, ASA exec support is not verified).
 * {@link DialogueChannel} runs it on its own thread and tells it when it is over, which is when the device counts the
 * session out of {@link AsaDevice#maxConcurrentSessions()}.
 *
 * <p>Every prompt starts with {@code \r} and ends with a space, as the ASA sends them:
 * {@code \rfw1> }, {@code \rfw1# }, {@code \rfw1(config)# }, {@code \rasa/ctx1# }.
 */
final class AsaSession implements DialogueChannel.Dialogue {

    /**
     * The ASA pager, printed at the start of a line after a full page:
     *
     * <pre>
     * access-list OUTSIDE-IN extended permit tcp any any eq https
     * &lt;--- More ---&gt;\r              \r object network WEB
     * </pre>
     */
    static final String MORE = "<--- More --->";
    /**
     * After the key pressed at the pager the ASA wipes it with {@code \r}, one space per character of {@link #MORE},
     * {@code \r}: the simulator's choice, as no byte-exact capture of it was found.
     */
    static final Pager.Style PAGER = Pager.Style.overwritten(MORE);
    /** The ASA default {@code pager lines 24}: paging is on until the session runs {@code terminal pager 0}. */
    private static final int DEFAULT_PAGER_LINES = 24;
    private static final int ENABLE_ATTEMPTS = 3;
    private static final int BACKSPACE = 0x08;
    private static final int DELETE = 0x7f;

    static final String INVALID_INPUT = "ERROR: % Invalid input detected at '^' marker.";
    /** Not verified on a device: the ASA prefixes its parser errors with {@code ERROR: }, so this does too. */
    static final String INCOMPLETE = "ERROR: % Incomplete command";
    static final String AUTHORIZATION_FAILED = "Command authorization failed";

    private final AsaDevice device;
    private final AsaDeviceSpec spec;
    private final String execCommand;
    private volatile String clientAddress = "127.0.0.1";

    // Only touched by the session thread.
    private TerminalOutput out;
    private TerminalInput in;
    private boolean privileged;
    /** The user behind the privilege: the login name, or {@code enable_15} after a plain {@code enable}. */
    private String privilegeUser;
    private boolean config;
    /** The security context the session is in; {@code null} for single mode or the system execution space. */
    private String context;
    private int pagerLines;

    /** @param execCommand the command of an {@code exec} request, or {@code null} for a shell */
    AsaSession(AsaDevice device, String execCommand) {
        this.device = device;
        this.spec = device.spec();
        this.execCommand = execCommand;
        this.privileged = spec.autoEnable();
        this.privilegeUser = spec.username();
        this.context = spec.loginToAdminContext() ? device.adminContext() : null;
        this.pagerLines = execCommand == null ? DEFAULT_PAGER_LINES : 0;
    }

    @Override
    public void opened(ChannelSession channel) {
        if (channel.getSession().getClientAddress() instanceof InetSocketAddress inet) {
            clientAddress = inet.getAddress().getHostAddress();
        }
        device.sessionStarted();
    }

    @Override
    public void run(InputStream rawIn, TerminalOutput terminal) throws IOException {
        out = terminal;
        in = new TerminalInput(rawIn, out);
        if (execCommand == null) {
            shell();
        } else {
            device.commands().record(execCommand);
            execute(execCommand);
        }
    }

    @Override
    public void closed() {
        device.sessionEnded();
    }

    private void shell() throws IOException {
        if (spec.banner() != null) {
            for (String line : spec.banner().split("\r?\n", -1)) {
                out.println(line);
            }
        }
        for (String line : device.loginLines(clientAddress)) {
            out.println(line);
        }
        CommandLoop.run(in, out, device.commands(), this::prompt, line -> {
            if (execute(line)) {
                return true;
            }
            logoff();
            return false;
        });
    }

    /** {@code \rHOST/CONTEXT(config)# }: every part but the hostname and the sign is optional. */
    private String prompt() {
        return "\r" + visiblePrompt();
    }

    private String visiblePrompt() {
        return spec.hostname() + (context == null ? "" : "/" + context) + (config ? "(config)" : "")
                + (privileged ? "# " : "> ");
    }

    /** Runs one command line; returns {@code false} when the session should end. */
    private boolean execute(String line) throws IOException {
        Parsed parsed = AsaCommands.parse(line, new Where(privileged, config, device.multiple()));
        switch (parsed) {
            case Empty empty -> {
            }
            case Invalid invalid -> {
                // The caret lines up with the typed line as the terminal shows it, prompt included.
                out.println(" ".repeat(visiblePrompt().length() + invalid.column()) + "^");
                out.println(INVALID_INPUT);
            }
            case Incomplete incomplete -> out.println(INCOMPLETE);
            case Ambiguous ambiguous -> out.println("ERROR: % Ambiguous command:  \"" + line.strip() + "\"");
            case Ok ok -> {
                return perform(ok);
            }
        }
        return true;
    }

    private boolean perform(Ok command) throws IOException {
        switch (command.command()) {
            case EXIT -> {
                if (!config) {
                    return false;
                }
                config = false;
            }
            case END -> config = false;
            case ENABLE -> enable();
            case DISABLE -> {
                privileged = false;
                config = false;
                privilegeUser = spec.username();
            }
            case CONFIGURE_TERMINAL -> config = true;
            case SHOW_CURPRIV -> page(List.of(
                    "Username : " + privilegeUser,
                    "Current privilege level : " + (privileged ? 15 : 1),
                    "Current Mode/s : " + (config ? "P_CONF" : privileged ? "P_PRIV" : "P_UNPR")));
            case SHOW_MODE -> page(List.of("Security context mode: " + (device.multiple() ? "multiple" : "single")
                    + " "));
            case SHOW_RUNNING_CONFIG -> page(device.configFile(context, true));
            case SHOW_CONTEXT -> page(contextTable());
            case MORE -> more(command.argument());
            case TERMINAL_PAGER -> setPager(Integer.parseInt(command.argument()));
            case NO_TERMINAL_PAGER -> setPager(0);
            case TERMINAL_WIDTH -> {
                // Lines are never wrapped here; accepting the command is all netmiko needs.
            }
            case CHANGETO_SYSTEM -> {
                context = null;
                config = false;
            }
            case CHANGETO_CONTEXT -> changeToContext(command.argument());
        }
        return true;
    }

    /**
     * The ASA's goodbye after the echoed {@code exit\r\n}: a blank line, Logoff, a blank line, then it closes the
     * channel (the Logoff wording is not verified on a device). Only a shell says it, an exec request never does:
     *
     * <pre>
     * fw1# exit
     *
     * Logoff
     *
     * </pre>
     */
    private void logoff() throws IOException {
        out.print(TerminalOutput.NEWLINE + "Logoff" + TerminalOutput.NEWLINE + TerminalOutput.NEWLINE);
    }

    private void setPager(int lines) throws IOException {
        if (spec.pagingLocked()) {
            // AAA command authorization denies it; the ASA then keeps paging (ISSUE ansible/ansible#59007).
            out.println(AUTHORIZATION_FAILED);
        } else {
            pagerLines = lines;
        }
    }

    /**
     * The local enable password: the ASA prints one {@code *} per typed character, three tries; the exact wording
     * of the failures is not verified on a device:
     *
     * <pre>
     * fw1> enable
     * Password: *****
     * Invalid password
     * Password: ********
     * fw1#
     * </pre>
     *
     * After the third miss it prints {@code Access denied.} and stays unprivileged.
     */
    private void enable() throws IOException {
        for (int attempt = 1; attempt <= ENABLE_ATTEMPTS; attempt++) {
            out.print("Password: ");
            String secret = readSecret();
            if (secret.equals(spec.enableSecret())) {
                privileged = true;
                privilegeUser = AsaDevice.ENABLE_15;
                return;
            }
            out.println(attempt < ENABLE_ATTEMPTS ? "Invalid password" : "Access denied.");
        }
    }

    /** One line typed at {@code Password:}, echoed as one {@code *} per character (not per UTF-8 byte). */
    private String readSecret() throws IOException {
        ByteArrayOutputStream typed = new ByteArrayOutputStream();
        while (true) {
            int key = in.readKey();
            if (key < 0) {
                throw new IOException("client closed its input at the enable password prompt");
            }
            if (key == '\r' || key == '\n') {
                out.print(TerminalOutput.NEWLINE);
                return typed.toString(StandardCharsets.UTF_8);
            }
            if (key == BACKSPACE || key == DELETE) {
                String kept = typed.toString(StandardCharsets.UTF_8);
                if (!kept.isEmpty()) {
                    typed.reset();
                    typed.writeBytes(kept.substring(0, kept.offsetByCodePoints(kept.length(), -1))
                            .getBytes(StandardCharsets.UTF_8));
                    out.print("\b \b");
                }
            } else if (key >= 0x20) {
                typed.write(key);
                boolean continuationByte = (key & 0xc0) == 0x80;
                if (!continuationByte) {
                    out.print("*");
                }
            }
        }
    }

    /**
     * {@code show context}: in the system execution space the whole table and a total; inside a context only that
     * context's row (no total line: the simulator's choice, not verified on a device).
     */
    private List<String> contextTable() {
        String admin = device.adminContext();
        List<String> lines = new ArrayList<>();
        lines.add(AsaContexts.TABLE_HEADER);
        int count = 0;
        for (AsaContexts.Entry entry : device.contexts()) {
            if (context == null || context.equals(entry.name())) {
                lines.addAll(AsaContexts.rows(entry, entry.name().equals(admin), device.transparent(entry.name())));
                count++;
            }
        }
        if (context == null) {
            lines.add("Total active Security Contexts: " + count);
        }
        return lines;
    }

    /**
     * {@code more system:running-config} shows the running configuration of where the user stands, secrets in
     * clear; in the system execution space {@code more disk0:/ctx1.cfg} shows a context's file by its
     * {@code config-url}, as Oxidized reads multiple-context boxes. Saved and running configurations are the same
     * here. Any other file: {@code %Error opening FILE (No such file or directory)} (IOS wording, not verified).
     */
    private void more(String file) throws IOException {
        if (file.equals("system:running-config")) {
            page(device.configFile(context, false));
            return;
        }
        String owner = device.multiple() && context == null ? device.contextAt(file) : null;
        if (owner != null) {
            page(device.configFile(owner, false));
        } else {
            out.println("%Error opening " + file + " (No such file or directory)");
        }
    }

    /**
     * {@code changeto context NAME}. An unknown name gets {@code ERROR: 'NAME' is not valid}: the wording of a mock
     * device, not verified on a real one.
     */
    private void changeToContext(String name) throws IOException {
        if (!device.hasContext(name)) {
            out.println("ERROR: '" + name + "' is not valid");
            return;
        }
        context = name;
        config = false;
    }

    private void page(List<String> lines) throws IOException {
        new Pager(out, in, pagerLines, PAGER).lines(lines);
    }
}
