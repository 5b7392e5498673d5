package io.netsnap.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.ServiceLoader;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code netsnap} command line. Each sub-command starts the application the way it needs it. The sub-commands
 * of this package are listed here; those from elsewhere ({@code netsnap lab}) are {@link Subcommand}s found through
 * {@link ServiceLoader}, so that this package never names the lab.
 */
@Command(name = "netsnap", mixinStandardHelpOptions = true, versionProvider = NetsnapCommand.Version.class,
        description = "Backs up network device configurations as BPMN processes on Camunda 8.")
public final class NetsnapCommand {

    /** Exit codes of DESIGN §4. */
    public static final int OK = 0;
    public static final int DEVICE_FAILED = 1;
    public static final int CONFIG_ERROR = 2;

    /** 0 when every device was backed up, 1 when some device failed, 2 when the run was aborted before any device. */
    public static int exitCode(io.netsnap.workflow.RunLauncher.Result result) {
        return switch (result.outcome()) {
            case io.netsnap.backup.RunReport.OK -> OK;
            case io.netsnap.backup.RunReport.PARTIAL -> DEVICE_FAILED;
            default -> CONFIG_ERROR;
        };
    }

    /** The executable's entry point (the jar's main class). */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        quietUntilSpringConfiguresLogging();
        CommandLine cli = new CommandLine(new NetsnapCommand());
        // the lab first, where the help has always listed it: it is the command to try first
        ServiceLoader.load(Subcommand.class, NetsnapCommand.class.getClassLoader()).forEach(cli::addSubcommand);
        for (Object command : List.of(new BackupCommand(), new HistoryCommand(), new DiffCommand(),
                new TasksCommand(), new RestoreCommand(), new ServeCommand(), new EngineCommand())) {
            cli.addSubcommand(command);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // one clear line, no stack trace: the log file has the details
            line.getErr().println("netsnap: " + describe(e));
            return CONFIG_ERROR;
        });
        cli.setExitCodeExceptionMapper(e -> CONFIG_ERROR);
        return cli.execute(args);
    }

    /**
     * The first message along the causes; an exception without one (a bug, or a library's bare exception) by its kind,
     * never as {@code null}.
     */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause == failure ? cause.getMessage()
                        : cause.getMessage() + " (" + failure.getClass().getSimpleName() + ")";
            }
        }
        return failure.getClass().getName() + " without a message (the log file has the details)";
    }

    /**
     * Until Spring Boot sets up logging (file log, levels), logback's default would print every INFO line of the
     * lab's simulators on the console, in the middle of the command's output.
     */
    private static void quietUntilSpringConfiguresLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = NetsnapCommand.class.getPackage().getImplementationVersion();
            return new String[] {"netsnap " + (version == null ? "dev" : version)};
        }
    }
}
