package io.netsnap.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.netsnap.restore.RestoreService;
import io.netsnap.workflow.RequestedRestore;
import io.netsnap.workflow.RestoreStatus;
import io.netsnap.workflow.TaskChannelClient;
import io.netsnap.workflow.TaskException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netsnap restore}: asks the netsnap serving an embedded engine (its task channel) to restore a device to a
 * version of its history, or to its latest pre-restore checkpoint. The requester is the OS user running this
 * command, as the kernel tells the serving process; the restore then waits for another member of network-approvers
 * ({@code netsnap tasks}). {@code --status ID} tells where a restore stands.
 */
// no mixinStandardHelpOptions: its --version would take the name DESIGN gives the commit to restore
@Command(name = "restore", sortOptions = false,
        description = "Ask the netsnap serving an embedded engine (netsnap run, netsnap lab --serve) to restore a "
                + "device's configuration to a version of its history (netsnap history DEVICE lists them), or to its "
                + "latest pre-restore checkpoint. Another member of network-approvers approves it with netsnap "
                + "tasks. Exit code 0: requested (with --wait: restored), 1: refused, rejected or failed, 2: bad "
                + "usage or no netsnap serving.")
final class RestoreCommand implements Callable<Integer> {

    /** How often --wait asks where the restore stands. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final String APPROVERS = "network-approvers";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @ArgGroup(exclusive = false, heading = "Restore:%n")
    Request request;

    @ArgGroup(exclusive = true, heading = "To which version (one of):%n")
    Target target;

    @Option(names = "--status", paramLabel = "ID",
            description = "Instead of asking for a restore: show where restore ID stands (with --wait: wait for its "
                    + "end).")
    String status;

    @Option(names = "--wait", description = "Wait for the restore's end and exit 0 only if the device was restored.")
    boolean await;

    @Option(names = "--timeout", defaultValue = "PT24H",
            description = "Longest wait with --wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--as", paramLabel = "USER",
            description = "Ask as USER instead of your OS user: accepted only by a netsnap whose "
                    + "netsnap.tasks.allow-as is true (the lab).")
    String as;

    @Mixin
    TasksCommand.Channel channel;

    static final class Request {

        @Option(names = "--device", paramLabel = "DEVICE", required = true,
                description = "The device, as the inventory names it.")
        String device;

        @Option(names = "--ticket", paramLabel = "TICKET", required = true, description = "The change ticket.")
        String ticket;

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why, in one line.")
        String reason;
    }

    static final class Target {

        @Option(names = "--version", paramLabel = "COMMIT", required = true,
                description = "The history commit to restore (or a unique prefix of it).")
        String version;

        @Option(names = "--to-checkpoint", required = true,
                description = "Roll back to the device's latest pre-restore checkpoint instead (an emergency).")
        boolean toCheckpoint;
    }

    @Override
    public Integer call() {
        if (status != null && (request != null || target != null)) {
            throw new ParameterException(spec.commandLine(), "--status asks about a restore already requested;"
                    + " give it alone");
        }
        if (status == null && (request == null || target == null)) {
            throw new ParameterException(spec.commandLine(), "a restore needs --device, --version COMMIT or"
                    + " --to-checkpoint, --ticket and --reason (or --status ID)");
        }
        PrintWriter out = spec.commandLine().getOut();
        return channel.call(spec, client -> {
            if (status != null) {
                RestoreStatus current = client.restoreStatus(status);
                return await ? awaitEnd(out, client, current) : print(out, current);
            }
            RequestedRestore started = client.restore(request.device, target.version, target.toCheckpoint,
                    request.ticket, request.reason, as);
            out.printf("Restore %s of %s to %s%s requested by %s; it waits for approval by another member of %s"
                    + " (netsnap tasks list)%n", started.restoreId(), started.device(),
                    started.emergency() ? "its latest pre-restore checkpoint " : "", shortId(started.version()),
                    started.requester(), APPROVERS);
            out.flush();
            return await ? awaitEnd(out, client, client.restoreStatus(started.restoreId())) : NetsnapCommand.OK;
        });
    }

    private int awaitEnd(PrintWriter out, TaskChannelClient client, RestoreStatus status) {
        Instant deadline = Instant.now().plus(timeout);
        while (!status.concluded()) {
            if (!Instant.now().isBefore(deadline)) {
                out.printf("Restore %s of %s has not ended after %s; netsnap restore --status %s tells where it"
                        + " stands%n", status.restoreId(), status.device(), timeout, status.restoreId());
                return NetsnapCommand.DEVICE_FAILED;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskException(TaskException.Code.FAILED, "interrupted while waiting for restore "
                        + status.restoreId());
            }
            status = client.restoreStatus(status.restoreId());
        }
        return print(out, status);
    }

    /** One line; the exit code: 0 restored or still running, 1 ended otherwise. */
    private static int print(PrintWriter out, RestoreStatus status) {
        String who = "requested by " + status.requester()
                + (status.approver() == null ? "" : ", approved by " + status.approver());
        if (!status.concluded()) {
            out.printf("Restore %s of %s to %s: running, %s%s%n", status.restoreId(), status.device(),
                    shortId(status.version()), who, status.approver() == null ? "; waiting for approval by another"
                            + " member of " + APPROVERS + " (netsnap tasks list)" : "");
            return NetsnapCommand.OK;
        }
        out.printf("Restore %s of %s to %s: %s, %s%s%n", status.restoreId(), status.device(),
                shortId(status.version()), status.outcome(), who,
                status.detail() == null || status.detail().isBlank() ? "" : ": " + status.detail());
        return RestoreService.RESTORED.equals(status.outcome()) ? NetsnapCommand.OK : NetsnapCommand.DEVICE_FAILED;
    }

    private static String shortId(String commit) {
        return commit == null || commit.length() <= 12 ? String.valueOf(commit) : commit.substring(0, 12);
    }
}
