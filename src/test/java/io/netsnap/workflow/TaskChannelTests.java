package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.netsnap.NetsnapApplication;
import io.netsnap.cli.NetsnapCommand;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;

/**
 * {@code netsnap tasks} against the task channel of a netsnap serving the embedded engine: a run whose preflight
 * failed waits for the {@code preflight-failed} task, which the command lists, shows and completes, in process, over
 * the real Unix domain socket. The identity recorded is the OS user the kernel names for the caller.
 */
@SpringBootTest(classes = NetsnapApplication.class)
class TaskChannelTests {

    private static final String OS_USER = System.getProperty("user.name");

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)));

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("netsnap.inventory-folders", () -> SETUP.inventories().toString());
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    ZeebeTestEngine engine;

    @Autowired
    TaskChannel channel;

    @Autowired
    TaskCompletions completions;

    @Autowired
    UserTasks userTasks;

    @TempDir
    Path elsewhere;

    RunRecords records;

    @BeforeEach
    void records() {
        records = new RunRecords(engine);
    }

    @Test
    void theChannelIsAPrivateSocketInTheStateFolder() throws Exception {
        Path socket = SETUP.data().resolve("state/tasks.sock");
        assertThat(channel.socket()).isEqualTo(socket.toAbsolutePath().normalize());
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void anOperatorListsShowsAndAbortsAPreflightTaskAsTheirOsUser() {
        long run = failedPreflight();
        long task = records.awaitUserTask(run, Processes.USER_TASK_PREFLIGHT_FAILED).getUserTaskKey();

        Cli list = tasks("list");
        assertThat(list.exit).as(list.all()).isZero();
        assertThat(list.out).containsPattern("ID\\s+TASK\\s+PROCESS\\s+INSTANCE\\s+GROUPS\\s+CREATED");
        assertThat(list.out).containsPattern(task + "\\s+UserTask_PreflightFailed\\s+network-backup\\s+" + run
                + "\\s+network-operators\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        Cli show = tasks("show", Long.toString(task));
        assertThat(show.exit).as(show.all()).isZero();
        assertThat(show.out).contains("Task " + task + ": Preflight failed: retry or abort (UserTask_PreflightFailed)")
                .contains("Process:   network-backup, instance " + run)
                .contains("Groups:    network-operators")
                .contains("Form:      preflight-failed")
                .containsPattern("preflightProblems\\s+process\\s+\\[.*lab-nowhere");

        Cli complete = tasks("complete", Long.toString(task), "--set", "decision=abort");
        assertThat(complete.exit).as(complete.all()).isZero();
        assertThat(complete.out.strip()).isEqualTo("Completed task " + task + " (UserTask_PreflightFailed) of"
                + " network-backup " + run + " as " + OS_USER + ": set decision");

        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(run));
        assertThat(records.variable(run, "outcome")).isEqualTo("\"ABORTED\"");
        assertThat(records.variable(run, "abortReason")).contains("lab-nowhere").contains("aborted by an operator");
        TaskCompletion recorded = completionOf(task);
        assertThat(recorded.user()).isEqualTo(OS_USER);
        assertThat(recorded.osUser()).isEqualTo(OS_USER);
        assertThat(recorded.elementId()).isEqualTo(Processes.USER_TASK_PREFLIGHT_FAILED);
        assertThat(recorded.processInstanceKey()).isEqualTo(run);
        assertThat(recorded.variables()).containsExactly("decision");
        assertThat(completionVariables(run)).as("the completion carries the id of netsnap's record")
                .contains("\"" + recorded.completionId() + "\"");

        assertThat(tasks("list").out).doesNotContain(Long.toString(task));
    }

    @Test
    void asIsRefusedWithoutTheLabSettingAndAcceptedInTheLab() {
        long run = failedPreflight();
        String task = Long.toString(records.awaitUserTask(run, Processes.USER_TASK_PREFLIGHT_FAILED).getUserTaskKey());
        // a netsnap outside the lab: the same engine served on a second channel, with the default setting
        TaskChannel strict = new TaskChannel(elsewhere.resolve("state/tasks.sock"), new TaskService(engine, userTasks,
                completions, new TasksProperties(false)), true);
        strict.start();
        try {
            Cli refused = cli("tasks", "complete", task, "--set", "decision=abort", "--as", "bob",
                    "--data", elsewhere.toString());
            assertThat(refused.exit).isEqualTo(1);
            assertThat(refused.err.strip()).isEqualTo("netsnap: --as is accepted only in the lab"
                    + " (netsnap.tasks.allow-as); here the task is completed as the OS user running netsnap tasks ("
                    + OS_USER + ")");
            assertThat(cli("tasks", "show", task, "--data", elsewhere.toString()).exit).as("still open").isZero();
        } finally {
            strict.stop();
        }
        assertThat(elsewhere.resolve("state/tasks.sock")).as("removed on stop").doesNotExist();

        // this context is the lab's (netsnap.tasks.allow-as=true comes with the lab's settings)
        Cli accepted = tasks("complete", task, "--set", "decision=abort", "--as", "bob");
        assertThat(accepted.exit).as(accepted.all()).isZero();
        assertThat(accepted.out).contains(" as bob (OS user " + OS_USER + "): set decision");
        TaskCompletion recorded = completionOf(Long.parseLong(task));
        assertThat(recorded.user()).isEqualTo("bob");
        assertThat(recorded.osUser()).isEqualTo(OS_USER);
        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(run));
    }

    @Test
    void aUserNameInTheRequestIsIgnoredAndReservedVariablesAreRefused() {
        long run = failedPreflight();
        long task = records.awaitUserTask(run, Processes.USER_TASK_PREFLIGHT_FAILED).getUserTaskKey();

        Cli forged = tasks("complete", Long.toString(task), "--set", "completedBy=mallory");
        assertThat(forged.exit).isEqualTo(2);
        assertThat(forged.err.strip()).isEqualTo("netsnap: completedBy is set by netsnap, not by --set");

        // a hand-made client that claims to be someone else, in every field a server might be tempted to read
        String answer = new TaskChannelClient(channel.socket()).exchange("{\"op\":\"complete\",\"task\":" + task
                + ",\"user\":\"mallory\",\"osUser\":\"mallory\",\"peer\":\"mallory\",\"variables\":{\"decision\":"
                + "\"abort\"}}");
        assertThat(answer).contains("\"ok\":true").contains("\"user\":\"" + OS_USER + "\"");
        TaskCompletion recorded = completionOf(task);
        assertThat(recorded.user()).isEqualTo(OS_USER);
        assertThat(recorded.osUser()).isEqualTo(OS_USER);
        await().atMost(Duration.ofMinutes(1)).until(() -> records.ended(run));
    }

    @Test
    void anUnknownTaskExitsOneWithOneLine() {
        Cli unknown = tasks("complete", "123456789", "--set", "decision=abort");

        assertThat(unknown.exit).isEqualTo(1);
        assertThat(unknown.err.strip()).isEqualTo("netsnap: no open user task 123456789 (netsnap tasks list shows the"
                + " open ones)");
        assertThat(tasks("show", "123456789").exit).isEqualTo(1);
    }

    @Test
    void withNoNetsnapServingTheCommandExitsTwoWithOneLine() {
        Cli none = cli("tasks", "--data", elsewhere.toString());

        assertThat(none.exit).isEqualTo(2);
        assertThat(none.out).isEmpty();
        assertThat(none.err.strip()).isEqualTo("netsnap: no netsnap with an embedded engine is serving at "
                + elsewhere.toAbsolutePath().normalize().resolve("state/tasks.sock") + "; start `netsnap run`"
                + " (embedded engine) with this archive root, or name the archive root it serves with --data DIR");
    }

    @Test
    void aStaleSocketIsReplacedAndALiveOneLeftAlone() throws Exception {
        Path socket = elsewhere.resolve("state/tasks.sock");
        Files.createDirectories(socket.getParent());
        // a socket file nobody listens on, as a killed netsnap leaves it
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        TaskService service = new TaskService(engine, userTasks, completions, new TasksProperties(false));
        TaskChannel first = new TaskChannel(socket, service, true);
        TaskChannel second = new TaskChannel(socket, service, true);
        first.start();
        try {
            assertThat(first.isRunning()).isTrue();
            assertThat(cli("tasks", "list", "--data", elsewhere.toString()).exit).isZero();
            second.start();
            assertThat(second.isRunning()).as("a live channel is left to its netsnap").isFalse();
        } finally {
            second.stop();
            first.stop();
        }
        assertThat(socket).doesNotExist();
    }

    private long failedPreflight() {
        return launcher.start(new RunLauncher.Request(null, List.of("EDGE-RTR-01"),
                SETUP.inventoryWith("EDGE-RTR-01", "network/lab-nowhere"), "test"));
    }

    private TaskCompletion completionOf(long task) {
        return completions.all().stream().filter(c -> c.task() == task).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no completion of " + task + " in " + completions.file()));
    }

    /** Values of every completionId variable the engine recorded in this instance. */
    private List<String> completionVariables(long run) {
        return EngineRecords.snapshot(engine).stream().filter(r -> r.getValueType() == ValueType.VARIABLE)
                .map(r -> (VariableRecordValue) r.getValue())
                .filter(v -> v.getProcessInstanceKey() == run && v.getName().equals(TaskService.COMPLETION_ID))
                .map(VariableRecordValue::getValue).toList();
    }

    private Cli tasks(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "tasks";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--data";
        all[args.length + 2] = SETUP.data().toString();
        return cli(all);
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = NetsnapCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(exit, out.toString(), err.toString());
    }

    private record Cli(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n" + out + err;
        }
    }
}
