package io.netsnap.workflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netsnap.archive.Archive;
import jdk.net.ExtendedSocketOptions;

/**
 * The task channel: how {@code netsnap tasks}, a separate process, reaches the user tasks of the embedded engine
 * that lives in this one (the gateway's gRPC has no user-task queries or commands). A Unix domain socket at
 * {@code <archive root>/state/tasks.sock}, mode 0600, removed on shutdown; a stale one left by a dead process is
 * replaced, a live one (another netsnap serving the same archive) is left alone.
 *
 * <p>Who is calling comes from the kernel ({@code SO_PEERCRED}), never from the request: the protocol has no field
 * for it. Protocol, one JSON object a line, one request per connection (see {@link TaskChannelClient}):
 * <pre>
 * → {"op":"list"}                                   ← {"ok":true,"tasks":[OpenTask...]}
 * → {"op":"show","task":KEY}                        ← {"ok":true,"task":OpenTask}
 * → {"op":"complete","task":KEY,"variables":{...},"as":null}  ← {"ok":true,"completion":TaskCompletion}
 * → {"op":"restore","device":D,"version":V,"toCheckpoint":false,"ticket":T,"reason":R,"as":null}
 *                                                   ← {"ok":true,"restore":RequestedRestore}
 * → {"op":"restore-status","restoreId":ID}          ← {"ok":true,"status":RestoreStatus}
 * ← on any failure: {"ok":false,"code":"NOT_FOUND|REFUSED|BAD_REQUEST|FAILED","error":"one line"}
 * </pre>
 * A restore names exactly one of {@code version} (a history commit or a unique prefix) and {@code toCheckpoint}
 * {@code true}; its requester is the caller, as for {@code complete} ({@link RestoreRequests}). A refused restore
 * (unknown device or version, a restore of the device in flight) answers {@code REFUSED}.
 * Only a service opens it ({@code netsnap run}, tests): a one-shot command's runs never wait for a person.
 */
@Component
@ConditionalOnProperty(name = EngineModeEnvironment.ACTIVE, havingValue = "embedded")
class TaskChannel implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest request line; a completion's variables are a few decisions and references. */
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path socket;
    private final TaskService service;
    private final RestoreRequests restores;
    private final boolean enabled;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;
    private Object fileKey;

    @Autowired
    TaskChannel(Archive archive, TaskService service, RestoreRequests restores,
                @org.springframework.beans.factory.annotation.Value("${netsnap.engine.one-shot:false}")
                boolean oneShot) {
        this(TaskChannelClient.socketPath(archive.root()), service, restores, !oneShot);
    }

    /** A channel that serves user tasks only, no restores. */
    TaskChannel(Path socket, TaskService service, boolean enabled) {
        this(socket, service, null, enabled);
    }

    TaskChannel(Path socket, TaskService service, RestoreRequests restores, boolean enabled) {
        this.socket = socket.toAbsolutePath().normalize();
        this.service = service;
        this.restores = restores;
        this.enabled = enabled;
    }

    Path socket() {
        return socket;
    }

    @Override
    public synchronized void start() {
        if (!enabled || server != null) {
            return;
        }
        try {
            Files.createDirectories(socket.getParent());
            if (Files.exists(socket) && TaskChannelClient.answers(socket)) {
                log.warn("Another netsnap serves user tasks at {}; this one's tasks cannot be reached by netsnap"
                        + " tasks", socket);
                return;
            }
            server = bindPrivately();
            fileKey = Files.readAttributes(socket, BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot open the task channel at {} ({}); netsnap tasks cannot reach this process", socket,
                    e.toString());
            return;
        }
        Thread.ofPlatform().name("netsnap-task-channel").daemon().start(this::accept);
        log.info("User tasks served to netsnap tasks at {}", socket);
        if (restores != null) {
            // this process serves the archive now: restores left by the one before lost their instances with it
            try {
                restores.endOrphans();
            } catch (RuntimeException e) {
                log.error("Cannot end the restores a previous netsnap left unfinished", e);
            }
        }
    }

    /**
     * Binds in a folder only this user can enter, makes the socket 0600 there, then renames it into place, which
     * also replaces a stale socket at once: there is no moment when the socket is open to others.
     */
    private ServerSocketChannel bindPrivately() throws IOException {
        Path folder = socket.getParent().resolve(".tasks-" + ProcessHandle.current().pid());
        deleteFolder(folder);
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = folder.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            deleteFolder(folder);
        }
    }

    private static void deleteFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            try (var files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(folder);
        }
    }

    private void accept() {
        ServerSocketChannel listening = server;
        while (listening != null && listening.isOpen()) {
            try {
                SocketChannel connection = listening.accept();
                connections.add(connection);
                Thread.ofVirtual().name("netsnap-task-request").start(() -> serve(connection));
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                log.warn("Task channel at {}: {}", socket, e.toString());
            }
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            String user = connection.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
            String line = readLine(connection);
            if (line == null) {
                return; // a probe (is anyone serving here?) or a client that gave up
            }
            byte[] answer = (JSON.writeValueAsString(answer(line, user)) + "\n").getBytes(StandardCharsets.UTF_8);
            OutputStream out = Channels.newOutputStream(connection);
            out.write(answer);
            out.flush();
        } catch (IOException | RuntimeException e) {
            log.warn("Task channel at {}: a request failed: {}", socket, e.toString());
        } finally {
            connections.remove(connection);
        }
    }

    /** The answer to one request line from {@code user}, the caller's OS user as the kernel named it. */
    JsonNode answer(String line, String user) {
        ObjectNode answer = JSON.createObjectNode();
        try {
            JsonNode request = parse(line);
            String op = request.path("op").asText("");
            switch (op) {
                case "list" -> answer.set("tasks", JSON.valueToTree(service.list()));
                case "show" -> answer.set("task", JSON.valueToTree(service.show(taskKey(request))));
                case "complete" -> {
                    TaskCompletion completion = service.complete(taskKey(request), variables(request), user,
                            request.hasNonNull("as") ? request.get("as").asText() : null);
                    log.info("User task {} ({}) of {} {} completed by {} (OS user {}), setting {}",
                            completion.task(), completion.elementId(), completion.processId(),
                            completion.processInstanceKey(), completion.user(), completion.osUser(),
                            completion.variables());
                    answer.set("completion", JSON.valueToTree(completion));
                }
                case "restore" -> {
                    RequestedRestore restore = restores().request(user, text(request, "as"),
                            text(request, "device"), text(request, "version"), flag(request, "toCheckpoint"),
                            text(request, "ticket"), text(request, "reason"));
                    log.info("Restore {} of {} to {} requested by {} (OS user {}) over the task channel,"
                            + " config-restore instance {}", restore.restoreId(), restore.device(),
                            restore.version(), restore.requester(), user, restore.processInstanceKey());
                    answer.set("restore", JSON.valueToTree(restore));
                }
                case "restore-status" -> {
                    String restoreId = text(request, "restoreId");
                    if (restoreId == null) {
                        throw new TaskException(TaskException.Code.BAD_REQUEST, "'restoreId' is missing");
                    }
                    answer.set("status", JSON.valueToTree(restores().status(restoreId)));
                }
                default -> throw new TaskException(TaskException.Code.BAD_REQUEST, "unknown operation '"
                        + abbreviate(op) + "' (list, show, complete, restore, restore-status)");
            }
            answer.put("ok", true);
        } catch (TaskException e) {
            answer.removeAll();
            answer.put("ok", false).put("code", e.code().name()).put("error", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Task channel at {}: request failed", socket, e);
            answer.removeAll();
            answer.put("ok", false).put("code", TaskException.Code.FAILED.name())
                    .put("error", "netsnap could not serve the request: " + e.getMessage());
        }
        return answer;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode request = JSON.readTree(line == null ? "" : line);
            if (request == null || !request.isObject()) {
                throw new TaskException(TaskException.Code.BAD_REQUEST, "a request is one JSON object a line");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "a request is one JSON object a line: "
                    + e.getOriginalMessage());
        }
    }

    private static long taskKey(JsonNode request) {
        JsonNode task = request.get("task");
        if (task == null || !task.canConvertToExactIntegral() || !task.canConvertToLong()) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "'task' must be a user task key (a number)");
        }
        return task.asLong();
    }

    private RestoreRequests restores() {
        if (restores == null) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "this task channel serves no restores");
        }
        return restores;
    }

    /** A text field, or {@code null} when it is missing or null. */
    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "'" + field + "' must be text");
        }
        return value.asText();
    }

    private static boolean flag(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "'" + field + "' must be true or false");
        }
        return value.asBoolean();
    }

    private static Map<String, Object> variables(JsonNode request) {
        JsonNode variables = request.get("variables");
        if (variables == null || variables.isNull()) {
            return Map.of();
        }
        if (!variables.isObject()) {
            throw new TaskException(TaskException.Code.BAD_REQUEST, "'variables' must be a JSON object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        variables.fields().forEachRemaining(e -> map.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
        return map;
    }

    private static String readLine(SocketChannel connection) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(connection),
                StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = reader.read()) != -1 && c != '\n') {
            if (line.length() == MAX_REQUEST) {
                throw new IOException("request longer than " + MAX_REQUEST + " characters");
            }
            line.append((char) c);
        }
        return c == -1 && line.isEmpty() ? null : line.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    @Override
    public synchronized void stop() {
        ServerSocketChannel listening = server;
        server = null;
        if (listening == null) {
            return;
        }
        try {
            listening.close();
        } catch (IOException e) {
            log.debug("closing the task channel: {}", e.toString());
        }
        for (SocketChannel connection : connections) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // going away anyway
            }
        }
        try {
            // only our own socket: a netsnap started since may have replaced it
            if (Files.exists(socket) && Objects.equals(fileKey,
                    Files.readAttributes(socket, BasicFileAttributes.class).fileKey())) {
                Files.delete(socket);
            }
        } catch (IOException e) {
            log.warn("Cannot remove the task channel's socket {}: {}", socket, e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
