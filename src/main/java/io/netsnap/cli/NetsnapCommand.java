package io.netsnap.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code netsnap} command line. Each sub-command starts the application the way it needs it. */
@Command(name = "netsnap", mixinStandardHelpOptions = true, versionProvider = NetsnapCommand.Version.class,
        description = "Backs up network device configurations as BPMN processes on Camunda 8.",
        subcommands = {LabCommand.class, BackupCommand.class, HistoryCommand.class, DiffCommand.class,
                ServeCommand.class})
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
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // one clear line, no stack trace: the log file has the details
            line.getErr().println("netsnap: " + e.getMessage());
            return CONFIG_ERROR;
        });
        cli.setExitCodeExceptionMapper(e -> CONFIG_ERROR);
        return cli.execute(args);
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
