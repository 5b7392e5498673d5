package io.netsnap.lab;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The ASA's multiple context mode, where it behaves differently from what {@code profiles/asa.yaml} can say: the
 * security contexts and their configurations, {@code changeto}, {@code show context}, {@code more} of a context's
 * file, and which file a configuration header describes. Without contexts ({@code new AsaContexts()}) the box is in
 * single context mode.
 *
 * <p>A configuration body is what the ASA shows between its version line and its {@code Cryptochecksum:} line,
 * usually starting with {@code !}. In multiple mode the device's body is the system configuration, the single source
 * of truth about contexts, as on the device: every {@code context NAME} block in it (with
 * {@code allocate-interface}, {@code config-url}, optional {@code member}) needs a {@link Context} of the same name,
 * and {@code admin-context NAME} must name one of them:
 *
 * <pre>
 * admin-context admin
 * context admin
 *   allocate-interface Management0/0
 *   allocate-interface GigabitEthernet0/0
 *   config-url disk0:/admin.cfg
 * !
 * context ctx1
 *   member gold
 *   allocate-interface GigabitEthernet0/2
 *   config-url disk0:/ctx1.cfg
 * </pre>
 *
 * gives, in the system execution space:
 *
 * <pre>
 * Context Name      Class                Interfaces           Mode         URL
 * *admin            default              Management0/0,       Routed       disk0:/admin.cfg
 *                                        GigabitEthernet0/0
 *  ctx1             gold                 GigabitEthernet0/2   Routed       disk0:/ctx1.cfg
 * Total active Security Contexts: 2
 * </pre>
 *
 * Columns are 18, 21, 21 and 13 characters wide; {@code *} marks the admin context. An interface list longer than
 * its column wraps after a comma onto lines that carry nothing else, indented to the column. An interface name longer
 * than the column on its own is printed whole and the row realigns after one space: the simulator's choice, not
 * verified on a device. A context whose configuration says {@code firewall transparent} shows {@code Transparent}.
 * Inside a context {@code show context} shows only that context's row, with no total line (not verified either).
 *
 * @param contexts            each security context's configuration; empty in single mode
 * @param loginToAdminContext the user is an admin-context user and lands in the admin context
 *                            ({@code host/admin>}) instead of the system execution space
 */
public record AsaContexts(List<Context> contexts, boolean loginToAdminContext) implements CliSimulator.Extension {

    /**
     * One security context of a multiple-mode ASA.
     *
     * @param name       as in the system configuration's {@code context NAME}
     * @param configBody the context's running configuration; trailing spaces inside lines are kept, the ASA writes
     *                   some ({@code  ip address 10.0.0.1 255.255.255.0 }) and they are part of the checksum
     */
    public record Context(String name, String configBody) {

        public Context {
            SpecChecks.requireToken(name, "context name");
            Objects.requireNonNull(configBody, "configBody");
            configBody = normalizeBody(configBody);
        }

        @Override
        public String toString() {
            return "Context[name=" + name + ", configBody=" + configBody.length() + " chars]";
        }
    }

    /** The condition of the commands that exist only in multiple context mode. */
    private static final String MULTIPLE = "multiple-context";

    public AsaContexts {
        contexts = List.copyOf(contexts);
        Set<String> unique = new HashSet<>();
        for (Context context : contexts) {
            if (!unique.add(context.name())) {
                throw new IllegalArgumentException("context " + context.name() + " is given twice");
            }
        }
        if (loginToAdminContext && contexts.isEmpty()) {
            throw new IllegalArgumentException("loginToAdminContext needs multiple context mode");
        }
    }

    /** A single-context ASA. */
    public AsaContexts() {
        this(List.of(), false);
    }

    /** A multiple-context ASA with these contexts; the user logs in to the system execution space. */
    public AsaContexts(List<Context> contexts) {
        this(contexts, false);
    }

    public AsaContexts withLoginToAdminContext(boolean admin) {
        return new AsaContexts(contexts, admin);
    }

    /** In multiple mode the system configuration and the contexts must describe the same contexts. */
    @Override
    public void check(String systemBody) {
        if (contexts.isEmpty()) {
            return;
        }
        List<String> declared = parse(systemBody).stream().map(Entry::name).toList();
        List<String> given = contexts.stream().map(Context::name).toList();
        if (declared.isEmpty()) {
            throw new IllegalArgumentException("the system configuration declares no 'context NAME' block");
        }
        if (!new HashSet<>(declared).equals(new HashSet<>(given)) || declared.size() != given.size()) {
            throw new IllegalArgumentException("the system configuration declares contexts " + declared
                    + " but bodies were given for " + given);
        }
        String admin = adminContext(systemBody);
        if (admin == null || !given.contains(admin)) {
            throw new IllegalArgumentException("the system configuration needs 'admin-context NAME' naming one of "
                    + declared + ", has " + admin);
        }
    }

    @Override
    public Device start(SimulatorProfile profile, Supplier<String> systemBody) {
        return new Running(profile.extension(), systemBody);
    }

    /** One device's context configurations, swapped whole by an update so a fetch never sees half of them. */
    private final class Running implements Device {

        private final SimulatorProfile.Settings settings;
        private final Supplier<String> system;
        private volatile Map<String, String> bodies;

        Running(SimulatorProfile.Settings settings, Supplier<String> system) {
            this.settings = settings;
            this.system = system;
            Map<String, String> initial = new LinkedHashMap<>();
            contexts.forEach(context -> initial.put(context.name(), context.configBody()));
            this.bodies = Map.copyOf(initial);
        }

        @Override
        public synchronized void updateConfigBody(String context, String body) {
            if (!bodies.containsKey(context)) {
                throw new IllegalArgumentException("no security context named " + context);
            }
            Map<String, String> changed = new LinkedHashMap<>(bodies);
            changed.put(context, normalizeBody(body));
            bodies = Map.copyOf(changed);
        }

        @Override
        public Session session() {
            return new ContextSession(this);
        }
    }

    /** Where one session stands: the system execution space ({@code null}) or a context. */
    private final class ContextSession implements Session {

        private final Running device;
        private String context;
        /** Whose file {@code {config}} shows: where the session stands, or a context's file by its URL. */
        private String shown;

        ContextSession(Running device) {
            this.device = device;
            this.context = loginToAdminContext ? adminContext(device.system.get()) : null;
            this.shown = context;
        }

        @Override
        public boolean holds(String condition) {
            return condition.equals(MULTIPLE) && !contexts.isEmpty();
        }

        @Override
        public String value(String name, String argument) {
            String kind = contexts.isEmpty() ? "single" : shown == null ? "system" : "context";
            return switch (name) {
                case "context-mode" -> contexts.isEmpty() ? "single" : "multiple";
                case "context-path" -> context == null ? "" : "/" + context;
                case "file-header" -> String.join("\n", device.settings.section("files").section(kind)
                        .lines("header"));
                case "file-version" -> device.settings.section("files").section(kind).text("version");
                default -> null;
            };
        }

        @Override
        public String configBody(String systemBody) {
            return shown == null ? systemBody : device.bodies.get(shown);
        }

        @Override
        public void perform(String action, Shell shell) throws IOException {
            switch (action) {
                case "changeto-system" -> changeTo(null, shell);
                case "changeto-context" -> {
                    if (device.bodies.containsKey(shell.argument())) {
                        changeTo(shell.argument(), shell);
                    } else {
                        shell.print(device.settings.lines("no-context"));
                    }
                }
                case "show-context" -> shell.show(table());
                case "more" -> more(shell);
                default -> Session.super.perform(action, shell);
            }
        }

        private void changeTo(String newContext, Shell shell) {
            context = newContext;
            shown = newContext;
            shell.leaveConfigMode();
        }

        /** {@code more system:running-config}, or in the system space a context's file by its config-url. */
        private void more(Shell shell) throws IOException {
            String file = shell.argument();
            String owner = null;
            if (!contexts.isEmpty() && context == null) {
                owner = parse(device.system.get()).stream().filter(entry -> entry.url().equals(file))
                        .map(Entry::name).findFirst().orElse(null);
            }
            if (!file.equals("system:running-config") && owner == null) {
                shell.print(device.settings.lines("no-file"));
                return;
            }
            shown = owner != null ? owner : context;
            try {
                shell.show(shell.output());
            } finally {
                shown = context;
            }
        }

        private List<String> table() {
            String systemBody = device.system.get();
            String admin = adminContext(systemBody);
            List<String> lines = new ArrayList<>();
            lines.add(TABLE_HEADER);
            int count = 0;
            for (Entry entry : parse(systemBody)) {
                if (context == null || context.equals(entry.name())) {
                    boolean transparent = device.bodies.get(entry.name()).lines()
                            .anyMatch(line -> line.equals("firewall transparent"));
                    lines.addAll(rows(entry, entry.name().equals(admin), transparent));
                    count++;
                }
            }
            if (context == null) {
                lines.add("Total active Security Contexts: " + count);
            }
            return lines;
        }
    }

    /** Accepts {@code \r\n} or {@code \n} line ends and drops trailing line ends; the body must not be blank. */
    private static String normalizeBody(String body) {
        String text = body.replace("\r\n", "\n");
        while (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("configBody must not be blank");
        }
        return text;
    }


    /** One {@code context NAME} block; {@code memberClass} is {@code default} unless the block has {@code member}. */
    record Entry(String name, String memberClass, List<String> interfaces, String url) {
    }

    private static final String TABLE_HEADER =
            "Context Name      Class                Interfaces           Mode         URL";
    private static final int NAME_WIDTH = 18;
    private static final int CLASS_WIDTH = 21;
    private static final int INTERFACES_WIDTH = 21;
    private static final int MODE_WIDTH = 13;

    private static List<Entry> parse(String systemBody) {
        List<Entry> entries = new ArrayList<>();
        String name = null;
        String memberClass = "default";
        List<String> interfaces = new ArrayList<>();
        String url = "";
        for (String line : systemBody.split("\n", -1)) {
            boolean inBlock = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            if (name != null && !inBlock) {
                entries.add(new Entry(name, memberClass, List.copyOf(interfaces), url));
                name = null;
            }
            String[] words = line.strip().split("\\s+");
            if (!inBlock && words.length == 2 && words[0].equals("context")) {
                name = words[1];
                memberClass = "default";
                interfaces.clear();
                url = "";
            } else if (name != null && words.length >= 2) {
                switch (words[0]) {
                    case "member" -> memberClass = words[1];
                    case "allocate-interface" -> interfaces.add(words[1]);
                    case "config-url" -> url = words[1];
                    default -> {
                        // description, join-failover-group, storage-url...: not shown by show context.
                    }
                }
            }
        }
        if (name != null) {
            entries.add(new Entry(name, memberClass, List.copyOf(interfaces), url));
        }
        return entries;
    }

    /** The name after {@code admin-context}, or {@code null} when the system configuration has none. */
    private static String adminContext(String systemBody) {
        for (String line : systemBody.split("\n", -1)) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 2 && words[0].equals("admin-context") && !Character.isWhitespace(line.charAt(0))) {
                return words[1];
            }
        }
        return null;
    }

    /** The rows of one context, without the header: the first line carries every column, the others wrap. */
    private static List<String> rows(Entry entry, boolean admin, boolean transparent) {
        List<String> pieces = wrap(entry.interfaces());
        List<String> lines = new ArrayList<>();
        lines.add(pad((admin ? "*" : " ") + entry.name(), NAME_WIDTH) + pad(entry.memberClass(), CLASS_WIDTH)
                + pad(pieces.get(0), INTERFACES_WIDTH) + pad(transparent ? "Transparent" : "Routed", MODE_WIDTH)
                + entry.url());
        for (String piece : pieces.subList(1, pieces.size())) {
            lines.add(" ".repeat(NAME_WIDTH + CLASS_WIDTH) + piece);
        }
        return lines;
    }

    /** Splits {@code a,b,c} into lines that fit the column; every line but the last keeps its trailing comma. */
    private static List<String> wrap(List<String> interfaces) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < interfaces.size(); i++) {
            String piece = interfaces.get(i) + (i < interfaces.size() - 1 ? "," : "");
            if (!line.isEmpty() && line.length() + piece.length() > INTERFACES_WIDTH - 1) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(piece);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String pad(String text, int width) {
        return text.length() < width ? text + " ".repeat(width - text.length()) : text + " ";
    }
}
