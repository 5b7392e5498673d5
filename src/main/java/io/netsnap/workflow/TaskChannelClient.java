package io.netsnap.workflow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client side of the task channel ({@link TaskChannel}): what {@code netsnap tasks} uses to list, show and
 * complete the user tasks of a netsnap serving an embedded engine, and {@code netsnap restore} to ask for a restore
 * and follow it. It sends no identity: the serving process asks the kernel who is on the other end of the socket.
 */
public final class TaskChannelClient {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final int MAX_ANSWER = 16 * 1024 * 1024;

    private final Path socket;

    public TaskChannelClient(Path socket) {
        this.socket = socket.toAbsolutePath().normalize();
    }

    /** Where a netsnap serving the archive at {@code archiveRoot} opens its task channel. */
    public static Path socketPath(Path archiveRoot) {
        return archiveRoot.toAbsolutePath().normalize().resolve("state").resolve("tasks.sock");
    }

    public Path socket() {
        return socket;
    }

    /** Open user tasks, oldest first. */
    public List<OpenTask> list() {
        JsonNode tasks = call(request("list")).get("tasks");
        return List.of(JSON.convertValue(tasks, OpenTask[].class));
    }

    /** One open user task with its variables. */
    public OpenTask show(long task) {
        return JSON.convertValue(call(request("show").put("task", task)).get("task"), OpenTask.class);
    }

    /**
     * Completes a user task as the OS user running this process.
     *
     * @param as another user name to act as (accepted only where the server allows it: the lab), or {@code null}
     */
    public TaskCompletion complete(long task, Map<String, Object> variables, String as) {
        ObjectNode request = request("complete").put("task", task);
        request.set("variables", JSON.valueToTree(variables));
        if (as != null) {
            request.put("as", as);
        }
        return JSON.convertValue(call(request).get("completion"), TaskCompletion.class);
    }

    /**
     * Asks for a restore as the OS user running this process: netsnap records it and starts its config-restore
     * instance, which waits for another person's approval.
     *
     * @param version      a history commit (or a unique prefix), or {@code null} with {@code toCheckpoint}
     * @param toCheckpoint roll back to the device's latest pre-restore checkpoint instead
     * @param as           another user name to ask as (only where the server allows it: the lab), or {@code null}
     */
    public RequestedRestore restore(String device, String version, boolean toCheckpoint, String ticket,
                                    String reason, String as) {
        ObjectNode request = request("restore").put("device", device).put("version", version)
                .put("toCheckpoint", toCheckpoint).put("ticket", ticket).put("reason", reason).put("as", as);
        return JSON.convertValue(call(request).get("restore"), RequestedRestore.class);
    }

    /** Where a restore stands; {@link TaskException.Code#NOT_FOUND} when netsnap recorded no such restore. */
    public RestoreStatus restoreStatus(String restoreId) {
        return JSON.convertValue(call(request("restore-status").put("restoreId", restoreId)).get("status"),
                RestoreStatus.class);
    }

    private static ObjectNode request(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    private JsonNode call(ObjectNode request) {
        String line;
        try {
            line = exchange(JSON.writeValueAsString(request));
        } catch (JsonProcessingException e) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "cannot write the request: "
                    + e.getOriginalMessage());
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new TaskException(TaskException.Code.FAILED, "the netsnap at " + socket
                    + " answered something that is not JSON");
        }
        if (answer == null || !answer.path("ok").asBoolean(false)) {
            String code = answer == null ? "FAILED" : answer.path("code").asText("FAILED");
            String error = answer == null ? "no answer" : answer.path("error").asText("no reason given");
            throw new TaskException(codeOf(code), error);
        }
        return answer;
    }

    /** Sends one request line and returns the answer line. Package-private: tests send raw requests with it. */
    String exchange(String requestLine) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException | UnsupportedOperationException e) {
            throw new TaskException(TaskException.Code.UNREACHABLE, "this system has no Unix domain sockets: " + e);
        }
        try (channel) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException | RuntimeException e) {
                throw unreachable();
            }
            ByteBuffer out = ByteBuffer.wrap((requestLine + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return readLine(Channels.newInputStream(channel));
        } catch (IOException e) {
            throw new TaskException(TaskException.Code.FAILED, "the task channel at " + socket + " broke off: "
                    + e.getMessage());
        }
    }

    private String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() == MAX_ANSWER) {
                throw new IOException("answer longer than " + MAX_ANSWER + " bytes");
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("the serving netsnap closed the connection without an answer");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private TaskException unreachable() {
        return new TaskException(TaskException.Code.UNREACHABLE, "no netsnap with an embedded engine is serving at "
                + socket + "; start `netsnap run` (embedded engine) with this archive root, or name the archive root"
                + " it serves with --data DIR");
    }

    /** Whether a netsnap answers at {@code socket}: a socket file nobody listens on is left by a dead process. */
    static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static TaskException.Code codeOf(String code) {
        try {
            return TaskException.Code.valueOf(code);
        } catch (IllegalArgumentException e) {
            return TaskException.Code.FAILED;
        }
    }
}
