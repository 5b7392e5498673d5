package io.netsnap.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.UnmatchedArgsBinding;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Spring settings given on the command line as {@code --key=value}, the way a Spring Boot application takes them
 * ({@code --netsnap.archive.root=/srv/netsnap}, {@code --logging.level.root=DEBUG}). Only a dotted property name
 * followed by {@code =} counts as a setting: anything else picocli did not match is still a usage error, so that a
 * mistyped netsnap option is reported rather than passed on to Spring, which would ignore it. Public for the
 * {@link Subcommand}s outside this package, which use it as a mixin too.
 */
@Command(footer = {"",
        "Spring settings are accepted as --key=value, e.g. --netsnap.archive.root=DIR, "
                + "--camunda.client.grpc-address=URL, --logging.level.root=DEBUG. They outrank application.yaml, "
                + "-D and environment variables. An option of this command and a setting naming the same thing "
                + "with different values is an error."})
public final class SpringSettings {

    /** {@code --name=value} where the name is dotted and made of the characters of Spring's property names. */
    private static final Pattern SETTING = Pattern.compile(
            "--([A-Za-z0-9_\\-\\[\\]]+(?:\\.[A-Za-z0-9_\\-\\[\\]]+)+)=(.*)", Pattern.DOTALL);

    private List<String> unmatched = List.of();
    private CommandSpec command;

    /**
     * picocli (4.7.7) ignores an {@code @Unmatched} field declared in a mixin, so the mixin registers the binding
     * on the command that uses it.
     */
    @Spec(Spec.Target.MIXEE)
    void command(CommandSpec command) {
        this.command = command;
        command.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(new ISetter() {
            @Override
            public <T> T set(T value) {
                unmatched = value == null ? List.of() : Arrays.asList((String[]) value);
                return null;
            }
        }));
    }

    /**
     * @return the settings in the order given, as a mutable map
     * @throws UnmatchedArgumentException for the first argument that is not a setting ("Unknown option: ...")
     */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String argument : unmatched) {
            Matcher setting = SETTING.matcher(argument);
            if (!setting.matches()) {
                throw new UnmatchedArgumentException(command.commandLine(), List.of(argument));
            }
            properties.put(setting.group(1), setting.group(2));
        }
        return properties;
    }

    /**
     * Adds the setting a command option stands for, e.g. {@code --data DIR} for {@code netsnap.archive.root}. Given
     * both with different values, either could be the one meant; neither wins silently.
     *
     * @param value the option's value, or {@code null} when it was not given
     * @return the value in effect: the option's, else the setting's, else {@code null}
     * @throws ParameterException when the option and the setting disagree
     */
    public String shorthand(Map<String, Object> properties, String option, String key, Object value) {
        Object setting = properties.get(key);
        if (value == null) {
            return setting == null ? null : setting.toString();
        }
        if (setting != null && !same(value, setting.toString())) {
            throw new ParameterException(command.commandLine(), option + " " + value + " and --" + key + "="
                    + setting + " disagree; give one of them");
        }
        properties.put(key, value.toString());
        return value.toString();
    }

    private static boolean same(Object value, String setting) {
        return value instanceof Path path ? path.normalize().equals(Path.of(setting).normalize())
                : value.toString().equals(setting);
    }
}
