package io.netsnap.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.netsnap.credentials.Credentials;
import io.netsnap.lab.ReplayServer;

/**
 * One golden-file case: a folder {@code devices/<platform>/<case>/} of test resources holding the recorded session
 * ({@code session.yaml}) and what netsnap must make of it. The format is described in {@code devices/README.md}.
 *
 * @param expectedConfig   {@code expected.cfg}: the normalized configuration, byte for byte; or {@code null}
 * @param expectedError    {@code expected-error.txt}; or {@code null}
 * @param expectedContexts {@code expected-contexts} of a discovery; or {@code null}
 * @param secrets          {@code secrets.txt}: strings the device sent that the masked output must not contain
 * @param masked           {@code masked.cfg}: the masked configuration, byte for byte; or {@code null}
 */
record GoldenCase(String platform, String name, Credentials credentials, Action action, String context,
                  List<String> inventoryContexts, ReplayServer.Recording recording, String expectedConfig,
                  ExpectedError expectedError, List<String> expectedContexts, List<String> secrets, String masked) {

    enum Action { FETCH, DISCOVER }

    /** The exception's simple class name ({@code UnsupportedCommand}) and a part of its message. */
    record ExpectedError(String type, String message) {
    }

    private static final Set<String> FILES = Set.of("session.yaml", "expected.cfg", "expected-error.txt",
            "secrets.txt", "masked.cfg");
    private static final Set<String> SESSION_KEYS = Set.of("username", "password", "enable", "action", "context",
            "inventory-contexts", "expected-contexts", "login", "exchanges");
    private static final Set<String> EXCHANGE_KEYS = Set.of("send", "secret", "key", "reply", "hangup");
    private static final Set<String> PART_KEYS = Set.of("pause");

    /** Every case below {@code root}, i.e. every {@code <platform>/<case>} folder, in name order. */
    static List<GoldenCase> all(Path root) throws IOException {
        List<GoldenCase> cases = new ArrayList<>();
        for (Path platform : folders(root)) {
            for (Path folder : folders(platform)) {
                cases.add(load(folder));
            }
        }
        return cases;
    }

    private static List<Path> folders(Path parent) throws IOException {
        try (Stream<Path> children = Files.list(parent)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }

    static GoldenCase load(Path folder) throws IOException {
        String where = folder.getParent().getFileName() + "/" + folder.getFileName();
        try (Stream<Path> files = Files.list(folder)) {
            List<String> unknown = files.map(file -> file.getFileName().toString())
                    .filter(file -> !FILES.contains(file)).toList();
            require(unknown.isEmpty(), where + ": unknown files " + unknown + "; a case holds only " + FILES);
        }
        Map<String, Object> session = map(new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(read(folder.resolve("session.yaml"))), where + "/session.yaml", SESSION_KEYS);
        String password = string(session, "password", where);
        String enable = optionalString(session, "enable", where);
        Credentials credentials = new Credentials(string(session, "username", where), password, enable, null);

        List<ReplayServer.Exchange> exchanges = new ArrayList<>();
        require(session.get("exchanges") instanceof List<?> list && !list.isEmpty(), where + ": no exchanges");
        List<?> recorded = (List<?>) session.get("exchanges");
        for (int index = 0; index < recorded.size(); index++) {
            exchanges.add(exchange(recorded.get(index), where + " exchange " + (index + 1), enable));
        }
        List<String> secretInputs = Stream.of(password, enable).filter(Objects::nonNull).toList();
        ReplayServer.Recording recording = new ReplayServer.Recording(credentials.username(), password,
                parts(session.get("login"), where + " login"), exchanges, secretInputs);

        String actionName = optionalString(session, "action", where);
        Action action = actionName == null ? Action.FETCH : Action.valueOf(actionName.toUpperCase(Locale.ROOT));
        String context = optionalString(session, "context", where);
        require(context == null || action == Action.FETCH, where + ": a context is fetched, not discovered");
        String expectedConfig = optionalFile(folder.resolve("expected.cfg"));
        ExpectedError expectedError = expectedError(folder.resolve("expected-error.txt"), where);
        List<String> expectedContexts = strings(session.get("expected-contexts"), where);
        String masked = optionalFile(folder.resolve("masked.cfg"));
        String secretsFile = optionalFile(folder.resolve("secrets.txt"));
        List<String> secrets = secretsFile == null ? List.of()
                : secretsFile.lines().filter(line -> !line.isEmpty()).toList();

        long expectations = Stream.of(expectedConfig, expectedError, expectedContexts).filter(Objects::nonNull).count();
        require(expectations == 1, where + ": give exactly one of expected.cfg, expected-error.txt and "
                + "expected-contexts");
        require(expectedContexts == null || action == Action.DISCOVER, where + ": expected-contexts needs "
                + "action: discover");
        require(expectedConfig != null || (masked == null && secrets.isEmpty()), where + ": masked.cfg and "
                + "secrets.txt go with expected.cfg");

        String platform = folder.getParent().getFileName().toString();
        return new GoldenCase(platform, folder.getFileName().toString(), credentials, action,
                context, strings(session.get("inventory-contexts"), where),
                recording, expectedConfig, expectedError, expectedContexts, secrets, masked);
    }

    private static ReplayServer.Exchange exchange(Object yaml, String where, String enable) {
        Map<String, Object> exchange = map(yaml, where, EXCHANGE_KEYS);
        boolean key = Boolean.TRUE.equals(exchange.get("key"));
        boolean hangup = Boolean.TRUE.equals(exchange.get("hangup"));
        String secret = optionalString(exchange, "secret", where);
        String send = optionalString(exchange, "send", where);
        require((secret == null) != (send == null), where + ": give either send or secret");
        if (secret != null) {
            require(secret.equals("enable") && enable != null, where + ": 'secret' names a credential of the "
                    + "case, and only 'enable' is ever typed");
            return new ReplayServer.Exchange(enable, false, true, parts(exchange.get("reply"), where), hangup);
        }
        return new ReplayServer.Exchange(send, key, false, parts(exchange.get("reply"), where), hangup);
    }

    /** A reply: one text, or a list of texts and {@code pause: <ms>} entries. */
    private static List<ReplayServer.Part> parts(Object yaml, String where) {
        require(yaml != null, where + ": no reply");
        if (!(yaml instanceof List<?> list)) {
            return List.of(new ReplayServer.Part(unescape(text(yaml, where), where), Duration.ZERO));
        }
        List<ReplayServer.Part> parts = new ArrayList<>();
        Duration pause = Duration.ZERO;
        for (Object item : list) {
            if (item instanceof Map<?, ?>) {
                Object millis = map(item, where, PART_KEYS).get("pause");
                require(millis instanceof Integer, where + ": pause is a number of milliseconds");
                pause = pause.plusMillis((Integer) millis);
            } else {
                parts.add(new ReplayServer.Part(unescape(text(item, where), where), pause));
                pause = Duration.ZERO;
            }
        }
        require(pause.isZero(), where + ": a pause must come before a text");
        return parts;
    }

    /**
     * The device's bytes from a YAML text: a line break of the YAML text is {@code \n} and nothing else, so every
     * carriage return is written out. Escapes: {@code \r}, {@code \n}, {@code \t}, {@code \\}, {@code \xHH}
     * ({@code \x1b} ANSI, {@code \x08} backspace, {@code \x20} a trailing space, which editors would strip).
     */
    static String unescape(String text, String where) {
        String[] lines = text.split("\n", -1);
        for (int line = 0; line < lines.length; line++) {
            require(!lines[line].endsWith(" ") && !lines[line].endsWith("\t"), where + ", line " + (line + 1)
                    + ": ends in a literal space; write it as \\x20 so that no editor strips it");
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            require(i + 1 < text.length(), where + ": a lone backslash at the end");
            char escape = text.charAt(++i);
            switch (escape) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    require(i + 2 < text.length(), where + ": \\x needs two hex digits");
                    out.append((char) HexFormat.fromHexDigits(text, i + 1, i + 3));
                    i += 2;
                }
                default -> throw new IllegalArgumentException(where + ": unknown escape \\" + escape
                        + "; write a backslash as \\\\");
            }
        }
        return out.toString();
    }

    private static ExpectedError expectedError(Path file, String where) throws IOException {
        String text = optionalFile(file);
        if (text == null) {
            return null;
        }
        List<String> lines = text.lines().toList();
        require(lines.size() == 2 && !lines.get(0).isBlank() && !lines.get(1).isBlank(), where
                + "/expected-error.txt: two lines, the exception's simple class name and a part of its message");
        return new ExpectedError(lines.get(0).strip(), lines.get(1));
    }

    private static String optionalFile(Path file) throws IOException {
        return Files.exists(file) ? read(file) : null;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml, String where, Set<String> keys) {
        require(yaml instanceof Map<?, ?>, where + ": expected a mapping");
        Map<String, Object> map = (Map<String, Object>) yaml;
        List<String> unknown = map.keySet().stream().filter(key -> !keys.contains(key)).toList();
        require(unknown.isEmpty(), where + ": unknown keys " + unknown + "; known: " + keys);
        return map;
    }

    private static String string(Map<String, Object> map, String key, String where) {
        String value = optionalString(map, key, where);
        require(value != null, where + ": '" + key + "' is missing");
        return value;
    }

    private static String optionalString(Map<String, Object> map, String key, String where) {
        Object value = map.get(key);
        return value == null ? null : text(value, where + " " + key);
    }

    private static String text(Object value, String where) {
        require(value instanceof String, where + ": expected a string, not " + value + "; quote it");
        return (String) value;
    }

    private static List<String> strings(Object yaml, String where) {
        if (yaml == null) {
            return null;
        }
        require(yaml instanceof List<?>, where + ": expected a list");
        return ((List<?>) yaml).stream().map(item -> text(item, where)).toList();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** How a parameterized test names the case: {@code <platform>/<case>}. */
    @Override
    public String toString() {
        return platform + "/" + name;
    }
}
