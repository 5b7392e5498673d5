package io.netsnap.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * How one CLI platform behaves on the wire, as data: the YAML file {@code profiles/<platform>.yaml} next to this
 * class. A {@link CliSimulator} plays any profile; see {@code profiles/README.md} for the format. Read once per
 * platform and shared by every simulator of it.
 *
 * @param platform      the inventory key it simulates, e.g. {@code ios}
 * @param sshServer     what the SSH server announces, e.g. {@code Cisco-1.25}
 * @param keyboardInteractive whether the server asks for the password by keyboard-interactive (EOS) rather than
 *                      plain password authentication
 * @param echoLineEnd   what the device echoes when the user ends a line
 * @param beforeBanner  printed right after login, before the banner
 * @param banner        the banner's lines (a spec can replace them)
 * @param afterBanner   printed after the banner, before the first prompt
 * @param login         printed after the banner, before the first prompt, as templates: the login lines of an ASA
 *                      or an ISE node, with {@code {last-login:PATTERN}}, {@code {last-login-from}} and
 *                      {@code {logins}} from {@code lastLogin}
 * @param lastLogin     the device's login history before the simulator starts, or {@code null}
 * @param loginDelay    the default silence after authentication before anything is printed (ISE: seconds)
 * @param userPrompt    the prompt below privilege 15, or {@code null} when users always land privileged
 * @param privilegedPrompt the prompt at privilege 15 (NX-OS, Junos: the only one)
 * @param configPrompt  the prompt in configuration mode, or {@code null} when the platform has none
 * @param goodbye       printed when a shell ends by {@code exit} (ASA: {@code Logoff}), before the channel closes
 * @param enable        how {@code enable} asks for its secret, or {@code null} when the platform has none
 * @param paging        the pager
 * @param buildDelay    the default pause at {@code {build}} in an output
 * @param lastLine      the line a configuration body must end with ({@code end}), or {@code null}
 * @param drift         a body line whose first group is a number that drifts on every fetch, or {@code null}
 * @param masks         what a {@code masked} command hides in {@code {config}}: patterns whose first group is kept
 *                      and whose rest of the match becomes {@code maskWith}
 * @param maskWith      what stands in for a hidden secret ({@code *****} on the ASA)
 * @param unchangedFor  how long before the simulator's start the configuration was last changed
 * @param uptime        how long the device has been up when the simulator starts
 * @param errors        error texts by kind: {@code invalid}, {@code first-word}, {@code lone-word},
 *                      {@code out-of-range}, {@code incomplete}, {@code ambiguous}
 * @param execErrors    what an {@code exec} channel answers to any line that is not a command, before it closes; empty:
 *                      the interactive errors
 * @param commands      the commands, in the order they were written
 * @param lab           the devices {@code netsnap lab} runs of this platform, or {@code null}
 * @param extension     the platform's {@link CliSimulator.Extension}, if it has one: its class name in this package and
 *                      its settings, or {@code null}
 */
public record SimulatorProfile(String platform, String sshServer, boolean keyboardInteractive, String echoLineEnd,
        String beforeBanner, List<String> banner, String afterBanner, List<String> login, LastLogin lastLogin,
        Duration loginDelay, String userPrompt, String privilegedPrompt, String configPrompt, String goodbye,
        Enable enable, Paging paging, Duration buildDelay, String lastLine, Pattern drift, List<Pattern> masks,
        String maskWith, Duration unchangedFor, Duration uptime, Map<String, List<String>> errors,
        List<String> execErrors, List<CommandSpec> commands, LabSection lab, Settings extension) {

    /** The privilege levels of a Cisco-style CLI: where a user lands without enable, and after it. */
    static final int USER = 1;
    static final int PRIVILEGED = 15;

    private static final String FOLDER = "io/netsnap/lab/profiles/";
    private static final Map<String, SimulatorProfile> LOADED = new ConcurrentHashMap<>();
    private static final Set<String> ERROR_KINDS =
            Set.of("invalid", "first-word", "lone-word", "out-of-range", "incomplete", "ambiguous");
    private static final Set<String> ACTIONS =
            Set.of("exit", "enable", "disable", "paging", "output", "configure", "end");

    /**
     * @param passwordPrompt what {@code enable} prints before reading the secret
     * @param echo           what is echoed per typed character of the secret: nothing (IOS) or {@code *} (ASA)
     * @param attempts       how many wrong secrets before {@code refused}
     * @param retry          printed after a wrong secret that is not the last
     * @param refused        printed after the last wrong secret
     * @param noSecret       printed when the device has no enable secret and no passwordless enable
     * @param as             the user the privilege is held as after {@code enable} ({@code {privilege-user}}), or
     *                       {@code null}: the login name
     */
    record Enable(String passwordPrompt, String echo, int attempts, List<String> retry, List<String> refused,
            List<String> noSecret, String as) {
    }

    /**
     * The logins a device has seen before the simulator starts.
     *
     * @param ago   how long before the start the previous login was
     * @param from  the address it came from
     * @param count how many logins the device counts before the first one to the simulator
     */
    record LastLogin(Duration ago, String from, int count) {
    }

    /** Where a command is visible: {@code unprivileged} only below privilege 15, {@code config} only in configuration mode. */
    enum Level {
        USER, PRIVILEGED, UNPRIVILEGED, CONFIG
    }

    /**
     * @param length  lines per page until the client switches paging off
     * @param more    the pager prompt; {@code {percent}} stands for how much of the output was shown
     * @param erase   what wipes the pager after the user's key; {@code overwrite} for {@code \r}, spaces, {@code \r}
     * @param refused printed when a spec locks paging and the client tries to switch it off
     */
    record Paging(int length, String more, String erase, List<String> refused) {
    }

    /**
     * One command.
     *
     * @param words     its keywords; {@code <min-max>} as the last word takes a number, {@code <word>} any word
     * @param level     where it is visible
     * @param condition a condition the platform's {@link CliSimulator.Extension} must grant for the command to exist
     *                  ({@code multiple-context}), or {@code null}
     * @param action    {@code output} (print {@code output} through the pager), {@code exit}, {@code enable},
     *                  {@code disable}, {@code configure}, {@code end}, {@code paging} (set the page length to the
     *                  number, then print {@code output}), or a name a platform's {@link CliSimulator.Extension}
     *                  performs
     * @param output    the lines it prints, as templates (see {@code profiles/README.md})
     * @param noPager   {@code true}: printed without the pager, as after Junos's {@code | no-more}
     * @param masked    {@code true}: {@code {config}} shows the body with the profile's masks applied
     */
    record CommandSpec(List<String> words, Level level, String condition, String action, List<String> output,
            boolean noPager, boolean masked) {
    }

    /** The settings of a platform's extension, as the profile's {@code extension:} section has them. */
    static final class Settings {

        private final String name;
        private final Section yaml;

        private Settings(String name, Section yaml) {
            this.name = name;
            this.yaml = yaml;
        }

        /** The extension's class, in this package. */
        String name() {
            return name;
        }

        /** A list of texts, or one text as a list of one; absent: empty. */
        List<String> lines(String key) {
            return yaml.lines(key);
        }

        String text(String key) {
            return yaml.required(key);
        }

        Settings section(String key) {
            return new Settings(name, yaml.section(key));
        }
    }

    /**
     * The devices of this platform in {@code netsnap lab}.
     *
     * @param group   their inventory group; the lab seeds a login for it at {@code network/lab-<group>}
     * @param enable  whether that login has an enable secret (users then land at the user prompt)
     * @param devices their names
     * @param config  their configuration body, with {@code {hostname}} for each name
     */
    public record LabSection(String group, boolean enable, List<String> devices, String config) {
    }

    /** The profile of a platform, read from the classpath once. */
    public static SimulatorProfile of(String platform) {
        return LOADED.computeIfAbsent(platform, SimulatorProfile::read);
    }

    /** Whether a profile exists for the platform. */
    public static boolean exists(String platform) {
        return LOADED.containsKey(platform)
                || SimulatorProfile.class.getClassLoader().getResource(FOLDER + platform + ".yaml") != null;
    }

    /** Every profile on the classpath, by platform, sorted. */
    public static List<SimulatorProfile> all() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver(SimulatorProfile.class.getClassLoader())
                    .getResources("classpath*:" + FOLDER + "*.yaml");
            List<String> platforms = new ArrayList<>();
            for (Resource file : files) {
                String name = Objects.requireNonNull(file.getFilename());
                platforms.add(name.substring(0, name.length() - ".yaml".length()));
            }
            return platforms.stream().distinct().sorted().map(SimulatorProfile::of).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the simulator profiles: " + e.getMessage(), e);
        }
    }

    private static SimulatorProfile read(String platform) {
        String path = FOLDER + platform + ".yaml";
        try (InputStream in = SimulatorProfile.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no simulator profile for platform '" + platform + "' (" + path
                        + ")");
            }
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return parse(platform, new Section(path, asMap(document, path)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static SimulatorProfile parse(String platform, Section yaml) {
        String declared = yaml.text("platform", null);
        if (!platform.equals(declared)) {
            throw yaml.error("platform", "says '" + declared + "', the file name says '" + platform + "'");
        }
        Section prompt = yaml.section("prompt");
        Section enableYaml = yaml.optionalSection("enable");
        Enable enable = enableYaml == null ? null : new Enable(enableYaml.text("password-prompt", "Password: "),
                enableYaml.text("echo", ""), enableYaml.number("attempts", 1), enableYaml.lines("retry"),
                enableYaml.lines("refused"), enableYaml.lines("no-secret"), enableYaml.text("as", null));
        String userPrompt = prompt.text("user", null);
        if ((enable == null) != (userPrompt == null)) {
            throw yaml.error("prompt.user", "a user prompt and an enable section go together");
        }
        Section pagingYaml = yaml.section("paging");
        Paging paging = new Paging(pagingYaml.number("length", 24), pagingYaml.required("more"),
                pagingYaml.required("erase"), pagingYaml.lines("refused"));
        Section config = yaml.optionalSection("config");
        String drift = config == null ? null : config.text("drift", null);
        List<Pattern> masks = config == null ? List.of()
                : config.lines("mask").stream().map(Pattern::compile).toList();
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Section errorsYaml = yaml.section("errors");
        for (String kind : errorsYaml.keys()) {
            if (!ERROR_KINDS.contains(kind)) {
                throw yaml.error("errors." + kind, "is not one of " + ERROR_KINDS);
            }
            errors.put(kind, errorsYaml.lines(kind));
        }
        if (!errors.containsKey("invalid")) {
            throw yaml.error("errors.invalid", "is required");
        }
        List<CommandSpec> commands = new ArrayList<>();
        for (Section command : yaml.sections("commands")) {
            String action = command.text("action", "output");
            List<String> words = List.of(command.required("words").trim().split("\\s+"));
            String level = command.text("level", "user");
            Level parsed = switch (level) {
                case "user" -> Level.USER;
                case "privileged" -> Level.PRIVILEGED;
                case "unprivileged" -> Level.UNPRIVILEGED;
                case "config" -> Level.CONFIG;
                default -> throw command.error("level", "is user, privileged, unprivileged or config, not '"
                        + level + "'");
            };
            commands.add(new CommandSpec(words, parsed, command.text("if", null), action, command.lines("output"),
                    command.flag("no-pager"), command.flag("masked")));
        }
        Section labYaml = yaml.optionalSection("lab");
        LabSection lab = labYaml == null ? null : new LabSection(labYaml.required("group"), labYaml.flag("enable"),
                labYaml.lines("devices"), labYaml.required("config"));
        Section lastLoginYaml = yaml.optionalSection("last-login");
        LastLogin lastLogin = lastLoginYaml == null ? null : new LastLogin(
                Duration.parse(lastLoginYaml.required("ago")), lastLoginYaml.required("from"),
                lastLoginYaml.number("count", 0));
        Section extensionYaml = yaml.optionalSection("extension");
        Settings extension = extensionYaml == null ? null
                : new Settings(extensionYaml.required("class"), extensionYaml);
        return new SimulatorProfile(platform, yaml.required("ssh-server"),
                yaml.text("ssh-auth", "password").equals("keyboard-interactive"),
                yaml.text("echo-line-end", TerminalOutput.NEWLINE), yaml.text("before-banner", ""),
                yaml.lines("banner"), yaml.text("after-banner", ""), yaml.lines("login"), lastLogin,
                Duration.parse(yaml.text("login-delay", "PT0S")), userPrompt, prompt.required("privileged"),
                prompt.text("config", null), yaml.text("goodbye", ""),
                enable, paging, Duration.parse(yaml.text("build-delay", "PT0S")),
                config == null ? null : config.text("last-line", null),
                drift == null ? null : Pattern.compile(drift), masks,
                config == null ? "" : config.text("mask-with", ""),
                Duration.parse(config == null ? "PT0S" : config.text("unchanged-for", "PT0S")),
                Duration.parse(yaml.text("uptime", "PT0S")), Map.copyOf(errors), yaml.lines("exec-errors"),
                List.copyOf(commands), lab, extension);
    }

    /** Whether a command names one of the actions every simulator performs itself. */
    static boolean isBuiltIn(String action) {
        return ACTIONS.contains(action);
    }

    /** The lines of an error of {@code kind}, falling back to {@code invalid}. */
    List<String> error(String kind) {
        return errors.getOrDefault(kind, errors.get("invalid"));
    }

    /** One mapping of the YAML file, with the path to it for messages. */
    private record Section(String where, Map<String, Object> values) {

        Iterable<String> keys() {
            return values.keySet();
        }

        String text(String key, String otherwise) {
            Object value = values.get(key);
            if (value == null) {
                return otherwise;
            }
            if (value instanceof Map || value instanceof List) {
                throw error(key, "must be a text");
            }
            return String.valueOf(value);
        }

        String required(String key) {
            String value = text(key, null);
            if (value == null) {
                throw error(key, "is required");
            }
            return value;
        }

        int number(String key, int otherwise) {
            Object value = values.get(key);
            if (value == null) {
                return otherwise;
            }
            if (!(value instanceof Integer number)) {
                throw error(key, "must be a whole number");
            }
            return number;
        }

        boolean flag(String key) {
            Object value = values.get(key);
            if (value != null && !(value instanceof Boolean)) {
                throw error(key, "must be true or false");
            }
            return Boolean.TRUE.equals(value);
        }

        /** A list of texts, or one text as a list of one; absent: empty. */
        List<String> lines(String key) {
            Object value = values.get(key);
            if (value == null) {
                return List.of();
            }
            if (value instanceof List<?> list) {
                return list.stream().map(item -> {
                    if (item instanceof Map || item instanceof List) {
                        throw error(key, "must be a list of texts");
                    }
                    return item == null ? "" : String.valueOf(item);
                }).toList();
            }
            return List.of(text(key, ""));
        }

        Section section(String key) {
            Section section = optionalSection(key);
            if (section == null) {
                throw error(key, "is required");
            }
            return section;
        }

        Section optionalSection(String key) {
            Object value = values.get(key);
            return value == null ? null : new Section(where + ":" + key, asMap(value, where + ":" + key));
        }

        List<Section> sections(String key) {
            Object value = values.get(key);
            if (!(value instanceof List<?> list)) {
                throw error(key, "must be a list");
            }
            List<Section> sections = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                sections.add(new Section(where + ":" + key + "[" + i + "]", asMap(list.get(i), where)));
            }
            return sections;
        }

        IllegalArgumentException error(String key, String problem) {
            return new IllegalArgumentException(where + ": " + key + " " + problem);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": expected a mapping");
        }
        return (Map<String, Object>) map;
    }
}
