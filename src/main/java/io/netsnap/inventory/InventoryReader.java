package io.netsnap.inventory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import io.netsnap.inventory.InventoryException.Problem;

/**
 * Walks one inventory's YAML node tree, collecting every problem with its line, and builds the devices with
 * settings resolved device > group > defaults > built-in. One instance per file.
 */
final class InventoryReader {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final String SECRET_ADVICE =
            "secrets do not belong in the inventory; store them in Vault and reference the path with 'credentials'";

    private static final List<String> TOP_KEYS = List.of("defaults", "groups", "devices");
    private static final List<String> SCOPE_KEYS = List.of("credentials", "timeout");
    private static final List<String> DEVICE_KEYS =
            List.of("name", "host", "port", "platform", "group", "credentials", "timeout", "contexts", "insecure");

    /** Device and group names become file and directory names in the archive. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int NAME_MAX = 64;
    private static final String NAME_RULE =
            "letters, digits, '.', '_' and '-', starting with a letter or digit, at most " + NAME_MAX + " characters";
    private static final Pattern VAULT_PATH = Pattern.compile("[A-Za-z0-9_./-]+");
    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern WORD_SEPARATOR = Pattern.compile("[^a-z0-9]+");
    private static final Set<String> SECRET_WORDS =
            Set.of("password", "passwd", "passphrase", "secret", "enable", "token", "key", "community");

    private final Path file;
    private final Map<String, PlatformTraits> traits;
    private final List<String> platforms;
    private final List<Problem> problems = new ArrayList<>();
    /** Mappings whose keys were checked against a schema, with the label their problems carry. */
    private final Map<Node, String> checked = new IdentityHashMap<>();

    InventoryReader(Path file, Map<String, PlatformTraits> traits) {
        this.file = file;
        this.traits = traits;
        this.platforms = traits.keySet().stream().sorted().toList();
    }

    List<Problem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The devices of the document; complete only when {@link #problems()} is empty afterwards. */
    List<Device> read(Node root) {
        if (root == null) {
            add(1, "the inventory is empty; expected 'devices', a list of devices");
            return List.of();
        }
        List<Device> devices = List.of();
        if (root instanceof MappingNode top) {
            Map<String, NodeTuple> entries = keys(top, TOP_KEYS, "top level");
            Scope defaults = scope(value(entries.get("defaults")), "defaults");
            Map<String, Scope> groups = groups(entries.get("groups"));
            devices = devices(entries.get("devices"), top, defaults, groups);
        } else {
            add(root, "the top level must be a mapping with 'devices' and optional 'defaults' and 'groups'");
        }
        secretKeysOutsideSchema(root, "top level", Collections.newSetFromMap(new IdentityHashMap<>()));
        return devices;
    }

    // --- sections -------------------------------------------------------------------------------------------------

    private Map<String, Scope> groups(NodeTuple entry) {
        var groups = new LinkedHashMap<String, Scope>();
        Node value = value(entry);
        if (isNull(value)) {
            return groups;
        }
        if (!(value instanceof MappingNode map)) {
            add(value, "'groups' must be a mapping of group name to settings");
            return groups;
        }
        checked.put(map, "groups");
        var firstLine = new HashMap<String, Integer>();
        for (NodeTuple tuple : map.getValue()) {
            Node key = tuple.getKeyNode();
            if (!(key instanceof ScalarNode scalar) || isNull(key)) {
                add(key, "groups: group names must be plain names");
                continue;
            }
            String name = scalar.getValue();
            String label = "group " + quote(name);
            Integer first = firstLine.putIfAbsent(name, line(key));
            if (first != null) {
                add(key, label + ": defined twice (first at line " + first + ")");
                continue;
            }
            if (!isSafeName(name)) {
                add(key, label + ": not a valid group name (" + NAME_RULE + ")");
            }
            Node settings = tuple.getValueNode();
            if (settings instanceof ScalarNode && !isNull(settings)) {
                // "groups: { password: hunter2 }" is a pasted secret, not a group: say so without the value.
                add(key, looksSecret(name) ? "groups: key " + quote(name) + ": " + SECRET_ADVICE
                        : label + ": must be a mapping of credentials and timeout");
                groups.put(name, Scope.NONE);
            } else {
                groups.put(name, scope(settings, label));
            }
        }
        return groups;
    }

    private Scope scope(Node value, String label) {
        if (isNull(value)) {
            return Scope.NONE;
        }
        if (!(value instanceof MappingNode map)) {
            add(value, label + ": must be a mapping of credentials and timeout");
            return Scope.NONE;
        }
        Map<String, NodeTuple> entries = keys(map, SCOPE_KEYS, label);
        return new Scope(credentials(entries.get("credentials"), label), timeout(entries.get("timeout"), label));
    }

    private List<Device> devices(NodeTuple entry, MappingNode top, Scope defaults, Map<String, Scope> groups) {
        if (entry == null) {
            add(top, "missing 'devices', the list of devices");
            return List.of();
        }
        Node value = entry.getValueNode();
        if (isNull(value) || value instanceof SequenceNode list && list.getValue().isEmpty()) {
            add(entry.getKeyNode(), "no devices: 'devices' is empty");
            return List.of();
        }
        if (!(value instanceof SequenceNode list)) {
            add(value, "'devices' must be a list of devices");
            return List.of();
        }
        var devices = new ArrayList<Device>();
        var names = new Names();
        int index = 0;
        for (Node item : list.getValue()) {
            Device device = device(item, ++index, names, defaults, groups);
            if (device != null) {
                devices.add(device);
            }
        }
        return devices;
    }

    /** One device, or null when it has a problem (already reported). */
    private Device device(Node item, int index, Names names, Scope defaults, Map<String, Scope> groups) {
        String label = "device #" + index;
        if (!(item instanceof MappingNode map)) {
            add(item, label + ": must be a mapping with at least name, host and platform");
            return null;
        }
        label = deviceLabel(map, label);
        int before = problems.size();
        Map<String, NodeTuple> entries = keys(map, DEVICE_KEYS, label);

        String name = required(entries, "name", map, label);
        if (name != null) {
            Node at = entries.get("name").getValueNode();
            if (!isSafeName(name)) {
                add(at, label + ": name is not a safe file name (" + NAME_RULE + ")");
            } else {
                names.claim(name, at, label);
            }
        }
        String host = required(entries, "host", map, label);
        if (host != null) {
            String hostLabel = label;
            HostSyntax.problem(host).ifPresent(why ->
                    add(entries.get("host").getValueNode(), hostLabel + ": host " + quote(host) + " " + why));
        }
        String platform = required(entries, "platform", map, label);
        PlatformTraits known = platform == null ? null : traits.get(platform);
        if (platform != null && known == null) {
            add(entries.get("platform").getValueNode(), label + ": unknown platform " + quote(platform)
                    + Suggestions.didYouMean(platform, platforms) + " (known: " + String.join(", ", platforms) + ")");
        }
        int port = port(entries.get("port"), label, known == null ? 0 : known.defaultPort());
        String group = optional(entries, "group", label);
        Scope groupScope = Scope.NONE;
        if (group != null) {
            if (groups.containsKey(group)) {
                groupScope = groups.get(group);
            } else {
                add(entries.get("group").getValueNode(), label + ": unknown group " + quote(group)
                        + Suggestions.didYouMean(group, groups.keySet())
                        + (groups.isEmpty() ? " (no groups are defined)"
                                : " (groups: " + String.join(", ", groups.keySet()) + ")"));
            }
        }
        Scope own = new Scope(credentials(entries.get("credentials"), label), timeout(entries.get("timeout"), label));
        Setting<String> credentials = own.credentials.or(groupScope.credentials).or(defaults.credentials);
        if (!credentials.present) {
            add(map, label + ": no credentials path (set it on the device, its group, or defaults)");
        }
        Setting<Duration> timeout = own.timeout.or(groupScope.timeout).or(defaults.timeout);
        List<String> contexts = contexts(entries.get("contexts"), label, known);
        boolean insecure = insecure(entries.get("insecure"), label, known);

        if (problems.size() != before) {
            return null;
        }
        return new Device(name, host, port, platform, group, credentials.value,
                timeout.present ? timeout.value : DEFAULT_TIMEOUT, contexts, insecure);
    }

    // --- values ---------------------------------------------------------------------------------------------------

    private int port(NodeTuple entry, String label, int platformDefault) {
        if (entry == null) {
            return platformDefault;
        }
        String text = scalar(entry, label);
        if (text == null) {
            return 0;
        }
        if (text.matches("[0-9]{1,5}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535) {
            return Integer.parseInt(text);
        }
        add(entry.getValueNode(), label + ": port " + quote(text) + " is not a TCP port number (1..65535)");
        return 0;
    }

    private Setting<String> credentials(NodeTuple entry, String label) {
        if (entry == null) {
            return Setting.absent();
        }
        String path = scalar(entry, label);
        if (path == null) {
            return Setting.invalid();
        }
        if (!isVaultPath(path)) {
            // Not quoted back: a value that fails here is as likely a pasted password as a mistyped path.
            add(entry.getValueNode(), label + ": credentials is not a relative Vault path such as 'network/core'"
                    + " (letters, digits and _ . / -; no leading '/', no '..'); value not shown in case it is a secret");
            return Setting.invalid();
        }
        return Setting.of(path);
    }

    private Setting<Duration> timeout(NodeTuple entry, String label) {
        if (entry == null) {
            return Setting.absent();
        }
        String text = scalar(entry, label);
        if (text == null) {
            return Setting.invalid();
        }
        Duration timeout;
        try {
            timeout = Duration.parse(text);
        } catch (DateTimeParseException e) {
            add(entry.getValueNode(), label + ": timeout " + quote(text) + " is not an ISO-8601 duration"
                    + (text.matches("[0-9]+") ? "; did you mean 'PT" + text + "S'?" : " such as PT60S"));
            return Setting.invalid();
        }
        if (timeout.isNegative() || timeout.isZero()) {
            add(entry.getValueNode(), label + ": timeout " + quote(text) + " must be positive");
            return Setting.invalid();
        }
        return Setting.of(timeout);
    }

    /**
     * {@code insecure: true|false}; only where there is a certificate to skip.
     *
     * @param platform the device's known platform, or null when it has none or an unknown one
     */
    private boolean insecure(NodeTuple entry, String label, PlatformTraits platform) {
        if (entry == null) {
            return false;
        }
        String text = scalar(entry, label);
        if (text == null) {
            return false;
        }
        if (!text.equals("true") && !text.equals("false")) {
            add(entry.getValueNode(), label + ": insecure must be true or false, not " + quote(text));
            return false;
        }
        if (platform != null && !platform.tls()) {
            add(entry.getKeyNode(), label + ": insecure (skip TLS certificate checks) is only for platform "
                    + platformsWhere(PlatformTraits::tls) + ", not " + quote(platform.platform()));
            return false;
        }
        return text.equals("true");
    }

    /** @param platform the device's known platform, or null when it has none or an unknown one */
    private List<String> contexts(NodeTuple entry, String label, PlatformTraits platform) {
        if (entry == null) {
            return List.of();
        }
        Node value = entry.getValueNode();
        if (!(value instanceof SequenceNode list)) {
            add(value, label + ": contexts must be a list of context names, e.g. [admin, DMZ]");
            return List.of();
        }
        if (platform != null && platform.contexts() == null) {
            add(entry.getKeyNode(), label + ": contexts are only supported on platform "
                    + platformsWhere(known -> known.contexts() != null) + ", not " + quote(platform.platform()));
        }
        // Without a known platform there is no rule to check the names against; its problem is reported already.
        PlatformTraits.ContextRule rule = platform == null ? null : platform.contexts();
        var contexts = new ArrayList<String>();
        var firstLine = new HashMap<String, Integer>();
        for (Node item : list.getValue()) {
            if (!(item instanceof ScalarNode scalar) || isNull(item)) {
                add(item, label + ": contexts must be a list of context names, e.g. [admin, DMZ]");
                continue;
            }
            String context = scalar.getValue();
            if (rule != null && !rule.isPlainName(context)) {
                add(item, label + ": context " + quote(context) + " is not a plain name (" + rule.nameRule() + ")");
                continue;
            }
            if (rule != null && rule.isReserved(context)) {
                add(item, label + ": context " + quote(context) + " is reserved: " + rule.reservedBecause());
                continue;
            }
            // Contexts become file names too; "DMZ" and "dmz" would overwrite each other on some file systems.
            Integer first = firstLine.putIfAbsent(context.toLowerCase(Locale.ROOT), line(item));
            if (first != null) {
                add(item, label + ": context " + quote(context) + " is listed twice (first at line " + first + ")");
                continue;
            }
            contexts.add(context);
        }
        return contexts;
    }

    /** "'asa'", or "'a' or 'b'": the platforms with a trait, for messages. */
    private String platformsWhere(Predicate<PlatformTraits> trait) {
        List<String> keys = traits.values().stream().filter(trait).map(known -> quote(known.platform())).sorted()
                .toList();
        return keys.isEmpty() ? "(none)" : String.join(" or ", keys);
    }

    // --- keys and scalars -----------------------------------------------------------------------------------------

    /**
     * The entries of a mapping whose keys are allowed, by key; reports unknown, duplicate, secret-looking and
     * non-scalar keys.
     */
    private Map<String, NodeTuple> keys(MappingNode map, List<String> allowed, String label) {
        checked.put(map, label);
        var entries = new LinkedHashMap<String, NodeTuple>();
        var firstLine = new HashMap<String, Integer>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
                add(keyNode, label + ": keys must be plain names");
                continue;
            }
            String key = scalar.getValue();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                add(keyNode, label + ": YAML merge keys ('<<') are not supported; share settings with 'defaults'"
                        + " or 'groups'");
            } else if (looksSecret(key)) {
                add(keyNode, label + ": key " + quote(key) + ": " + SECRET_ADVICE);
            } else if (firstLine.containsKey(key)) {
                add(keyNode, label + ": duplicate key " + quote(key) + " (first at line " + firstLine.get(key) + ")");
            } else if (!allowed.contains(key)) {
                String hint = Suggestions.didYouMean(key, allowed);
                add(keyNode, label + ": unknown key " + quote(key)
                        + (hint.isEmpty() ? " (allowed: " + String.join(", ", allowed) + ")" : hint));
            } else {
                entries.put(key, tuple);
            }
            firstLine.putIfAbsent(key, line(keyNode));
        }
        return entries;
    }

    private String required(Map<String, NodeTuple> entries, String key, MappingNode map, String label) {
        if (!entries.containsKey(key)) {
            add(map, label + ": missing required '" + key + "'");
            return null;
        }
        return scalar(entries.get(key), label);
    }

    private String optional(Map<String, NodeTuple> entries, String key, String label) {
        return entries.containsKey(key) ? scalar(entries.get(key), label) : null;
    }

    /** The text of a single value, or null (reported) when it is empty, a list or a mapping. */
    private String scalar(NodeTuple entry, String label) {
        Node key = entry.getKeyNode();
        String name = ((ScalarNode) key).getValue();
        Node value = entry.getValueNode();
        if (value instanceof ScalarNode scalar && !isNull(value) && !scalar.getValue().isBlank()) {
            return scalar.getValue();
        }
        add(key, label + ": '" + name + "' " + (value instanceof ScalarNode ? "has no value"
                : "must be a single value, not a " + (value instanceof SequenceNode ? "list" : "mapping")));
        return null;
    }

    /** Catches secrets pasted where no schema looks: inside values that should have been scalars, and the like. */
    private void secretKeysOutsideSchema(Node node, String label, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof MappingNode map) {
            String inside = checked.getOrDefault(map, label);
            for (NodeTuple tuple : map.getValue()) {
                if (!checked.containsKey(map) && tuple.getKeyNode() instanceof ScalarNode key
                        && looksSecret(key.getValue())) {
                    add(key, inside + ": key " + quote(key.getValue()) + ": " + SECRET_ADVICE);
                }
                secretKeysOutsideSchema(tuple.getKeyNode(), inside, seen);
                secretKeysOutsideSchema(tuple.getValueNode(), inside, seen);
            }
        } else if (node instanceof SequenceNode list) {
            list.getValue().forEach(item -> secretKeysOutsideSchema(item, label, seen));
        }
    }

    // --- rules ----------------------------------------------------------------------------------------------------

    /** {@code password}, {@code enable_secret}, {@code sshPrivateKey}, {@code api-token}, ... */
    static boolean looksSecret(String key) {
        String words = CAMEL_HUMP.matcher(key).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
        return Arrays.stream(WORD_SEPARATOR.split(words)).anyMatch(word -> SECRET_WORDS.contains(word)
                || word.contains("password") || word.contains("secret") || word.contains("token"));
    }

    static boolean isSafeName(String name) {
        return name.length() <= NAME_MAX && NAME.matcher(name).matches();
    }

    static boolean isVaultPath(String path) {
        return VAULT_PATH.matcher(path).matches() && !path.startsWith("/") && !path.endsWith("/")
                && !path.contains("..") && !path.contains("//");
    }

    // --- plumbing -------------------------------------------------------------------------------------------------

    /** "device 'NAME'" when the device has a usable name, so every message names it; else "device #N". */
    private static String deviceLabel(MappingNode map, String fallback) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")
                    && tuple.getValueNode() instanceof ScalarNode value && !isNull(value)
                    && !value.getValue().isBlank()) {
                return "device " + quote(value.getValue());
            }
        }
        return fallback;
    }

    private static Node value(NodeTuple entry) {
        return entry == null ? null : entry.getValueNode();
    }

    private static boolean isNull(Node node) {
        return node == null || node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** Quoted for a one-line message: control characters escaped, long values cut. */
    static String quote(String text) {
        var out = new StringBuilder("'");
        text.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(text.codePointCount(0, text.length()) > 80 ? "...'" : "'").toString();
    }

    private void add(Node node, String message) {
        add(line(node), message);
    }

    private void add(int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    /** Device names must be unique ignoring case, because each becomes a file name in the archive. */
    private final class Names {
        private final Map<String, String> spelling = new HashMap<>();
        private final Map<String, Integer> firstLine = new HashMap<>();

        void claim(String name, Node at, String label) {
            String folded = name.toLowerCase(Locale.ROOT);
            String earlier = spelling.putIfAbsent(folded, name);
            if (earlier == null) {
                firstLine.put(folded, line(at));
            } else if (earlier.equals(name)) {
                add(at, label + ": duplicate name (first at line " + firstLine.get(folded) + ")");
            } else {
                add(at, label + ": name differs only in case from " + quote(earlier) + " at line "
                        + firstLine.get(folded) + " (names become file names)");
            }
        }
    }

    /** A setting as written in one scope: absent, present and valid, or present but invalid (already reported). */
    private record Setting<T>(boolean present, T value) {
        static <T> Setting<T> absent() {
            return new Setting<>(false, null);
        }

        static <T> Setting<T> invalid() {
            return new Setting<>(true, null);
        }

        static <T> Setting<T> of(T value) {
            return new Setting<>(true, value);
        }

        Setting<T> or(Setting<T> outer) {
            return present ? this : outer;
        }
    }

    /** The settings that defaults, a group or a device can carry. */
    private record Scope(Setting<String> credentials, Setting<Duration> timeout) {
        static final Scope NONE = new Scope(Setting.absent(), Setting.absent());
    }
}
