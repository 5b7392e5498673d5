package io.netsnap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.springframework.core.env.ConfigurableEnvironment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.workflow.OpenTask;
import io.netsnap.workflow.TaskChannelClient;
import io.netsnap.workflow.TaskCompletion;
import io.netsnap.workflow.TaskException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netsnap tasks}: the open user tasks of a netsnap serving an embedded engine, which has no Tasklist, reached
 * over its task channel ({@code <archive root>/state/tasks.sock}). The identity a completion is recorded under is
 * the OS user running this command, as the kernel tells the serving process; {@code --as} only where the serving
 * netsnap allows it (the lab).
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        subcommands = {TasksCommand.ListTasks.class, TasksCommand.ShowTask.class, TasksCommand.CompleteTask.class},
        description = "List, show and complete the open user tasks of a netsnap serving an embedded engine "
                + "(netsnap run). Without a sub-command: list. On a remote engine, user tasks are in Tasklist. "
                + "Exit code 0: done, 1: no such task or refused, 2: bad usage or no netsnap serving.")
final class TasksCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    Channel channel;

    @Override
    public Integer call() {
        return channel.run(spec, client -> list(spec.commandLine().getOut(), client.list()));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the open user tasks, oldest first.")
    static final class ListTasks implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Channel channel;

        @Override
        public Integer call() {
            return channel.run(spec, client -> list(spec.commandLine().getOut(), client.list()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one open user task: what it is, who it is for, and its variables.")
    static final class ShowTask implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The task's ID, as netsnap tasks list shows it.")
        long task;

        @Mixin
        Channel channel;

        @Override
        public Integer call() {
            return channel.run(spec, client -> show(spec.commandLine().getOut(), client.show(task)));
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = "Complete an open user task with the variables its form asks for, as the OS user running "
                    + "this command. A VALUE that is JSON (true, 3, \"text\", [..]) is taken as such, anything else "
                    + "as text: --set decision=retry.")
    static final class CompleteTask implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The task's ID, as netsnap tasks list shows it.")
        long task;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A variable to set (repeatable).")
        List<String> sets = new ArrayList<>();

        @Option(names = "--as", paramLabel = "USER",
                description = "Complete as USER instead of your OS user: accepted only by a netsnap whose "
                        + "netsnap.tasks.allow-as is true (the lab), so that one person can play both roles there.")
        String as;

        @Mixin
        Channel channel;

        @Override
        public Integer call() {
            Map<String, Object> variables = new LinkedHashMap<>();
            for (String set : sets) {
                int equals = set.indexOf('=');
                if (equals <= 0) {
                    spec.commandLine().getErr().println("netsnap: --set " + set + ": expected KEY=VALUE");
                    return NetsnapCommand.CONFIG_ERROR;
                }
                variables.put(set.substring(0, equals), value(set.substring(equals + 1)));
            }
            return channel.run(spec, client -> {
                TaskCompletion done = client.complete(task, variables, as);
                spec.commandLine().getOut().printf("Completed task %d (%s) of %s %d as %s%s: %s%n", done.task(),
                        done.elementId(), done.processId(), done.processInstanceKey(), done.user(),
                        done.user().equals(done.osUser()) ? "" : " (OS user " + done.osUser() + ")",
                        done.variables().isEmpty() ? "no variables" : "set " + String.join(", ", done.variables()));
            });
        }

        private static Object value(String text) {
            try {
                return JSON.readValue(text, Object.class);
            } catch (JsonProcessingException notJson) {
                return text;
            }
        }
    }

    private static void list(PrintWriter out, List<OpenTask> tasks) {
        if (tasks.isEmpty()) {
            out.println("No open user tasks.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "TASK", "PROCESS", "INSTANCE", "GROUPS", "CREATED"});
        for (OpenTask task : tasks) {
            rows.add(new String[] {Long.toString(task.key()), task.elementId(), task.processId(),
                    Long.toString(task.processInstanceKey()),
                    task.candidateGroups().isEmpty() ? "-" : String.join(",", task.candidateGroups()),
                    when(task.created())});
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.println(line);
        }
    }

    private static void show(PrintWriter out, OpenTask task) {
        out.printf("Task %d: %s%n", task.key(),
                task.name() == null ? task.elementId() : task.name() + " (" + task.elementId() + ")");
        out.printf("Process:   %s, instance %d%n", task.processId(), task.processInstanceKey());
        out.printf("Groups:    %s%n", task.candidateGroups().isEmpty() ? "-" : String.join(", ",
                task.candidateGroups()));
        out.printf("Form:      %s%n", task.formId() == null ? "-" : task.formId());
        out.printf("Created:   %s%n", when(task.created()));
        out.println("Variables:");
        int width = task.variables().stream().mapToInt(v -> v.name().length()).max().orElse(0);
        for (OpenTask.Variable variable : task.variables()) {
            out.printf("  %-" + width + "s  %-7s  %s%n", variable.name(), variable.scope(), variable.value());
        }
        out.printf("Complete it with: netsnap tasks complete %d --set KEY=VALUE ...%n", task.key());
    }

    private static String when(String instant) {
        try {
            return WHEN.format(Instant.parse(instant));
        } catch (RuntimeException unparsable) {
            return instant;
        }
    }

    /**
     * What every command that talks to the task channel ({@code tasks}, {@code restore}) needs: where the serving
     * netsnap's channel is, and its run mode.
     */
    static final class Channel {

        @Option(names = "--data", paramLabel = "DIR",
                description = "Archive root of the serving netsnap (default: netsnap.archive.root).")
        Path data;

        @Mixin
        SpringSettings settings;

        interface Action {
            void run(TaskChannelClient client);
        }

        /** An action that chooses the exit code itself. */
        interface Call {
            int run(TaskChannelClient client);
        }

        int run(CommandSpec spec, Action action) {
            return call(spec, client -> {
                action.run(client);
                return NetsnapCommand.OK;
            });
        }

        int call(CommandSpec spec, Call action) {
            PrintWriter err = spec.commandLine().getErr();
            Map<String, Object> properties = settings.properties();
            settings.shorthand(properties, "--data", "netsnap.archive.root", data);
            ConfigurableEnvironment environment = Application.settings(properties);
            if ("remote".equals(environment.getProperty("netsnap.engine.active"))) {
                err.println("netsnap: the engine is remote (camunda.client.*): its user tasks are listed and"
                        + " completed in Tasklist");
                return NetsnapCommand.CONFIG_ERROR;
            }
            Path root = Path.of(environment.getProperty("netsnap.archive.root", "./netsnap-data"));
            try {
                return action.run(new TaskChannelClient(TaskChannelClient.socketPath(root)));
            } catch (TaskException e) {
                err.println("netsnap: " + e.getMessage());
                return switch (e.code()) {
                    case UNREACHABLE, BAD_REQUEST -> NetsnapCommand.CONFIG_ERROR;
                    case NOT_FOUND, REFUSED, FAILED -> NetsnapCommand.DEVICE_FAILED;
                };
            }
        }
    }
}
