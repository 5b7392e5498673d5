package io.netsnap.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.scp.client.ScpClientCreator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A simulated Aruba Mobility Conductor (ArubaOS 8) REST API on HTTPS, {@code 127.0.0.1} and a free port, with a
 * certificate issued by the lab CA. What it answers, in the shapes of facts §6:
 * <ul>
 *   <li>{@code POST /v1/api/login} (form): {@code _global_result} with {@code status "0"}, {@code UIDARUBA} and
 *       {@code X-CSRF-Token}, cookie {@code SESSION}; a wrong password gets {@code status "1"}
 *       {@code Unauthorized request, authentication failed}.</li>
 *   <li>Every other call needs the {@code UIDARUBA} query parameter and the {@code SESSION} cookie of a live
 *       session (else 401 {@code You must authenticate yourself}); POSTs also need {@code X-CSRF-Token} (else 403).</li>
 *   <li>{@code POST /v1/configuration/object/{copy_running_flash,flash_backup,copy_flash_scp,tar_flash_clean}}
 *       act on a simulated flash; {@code copy_flash_scp} pushes the file by SCP to the lab backup server.
 *       Answers carry {@code status} as an int here, as some firmware does.</li>
 *   <li>{@code GET /v1/configuration/showcommand?command=show+running-config}: {@code {"_data": [lines]}}, with
 *       {@code Building Configuration...} and a {@code controller config N} that moves on every fetch.</li>
 *   <li>{@code GET /v1/api/logout}.</li>
 * </ul>
 * Knobs: {@link #failAt}, {@link #expireNextSessionAfter}, {@link #withholdCsrfToken}. Request bodies are never kept
 * (the SCP password travels in one).
 */
public final class ConductorSimulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FLASH_ARCHIVE = "flash.tar.gz";

    private final String name;
    private final String username;
    private final String password;
    private final String configBody;
    private final ScpTarget scpTarget;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final SshClient ssh;
    private final SecureRandom random = new SecureRandom();

    private final Object lock = new Object();
    private final Map<String, Session> sessions = new HashMap<>();
    private int mostAtOnce;
    private final Map<String, byte[]> flash = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Set<String> issuedTokens = new LinkedHashSet<>();
    private final Set<String> failing = new LinkedHashSet<>();
    private int logins;
    private int logouts;
    private int revision = 1200;
    private Integer expireNextAfter;
    private boolean withholdCsrf;

    /** Where {@code copy_flash_scp} really goes: the backup server's port and pinned host key. */
    public record ScpTarget(String host, int port, PublicKey hostKey) {
    }

    private static final class Session {
        final String csrf;
        final Integer callLimit;
        int calls;

        Session(String csrf, Integer callLimit) {
            this.csrf = csrf;
            this.callLimit = callLimit;
        }
    }

    private ConductorSimulator(String name, String username, String password, String configBody, ScpTarget scpTarget,
                               LabTls tls) throws IOException {
        this.name = name;
        this.username = username;
        this.password = password;
        this.configBody = configBody;
        this.scpTarget = scpTarget;
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "lab-conductor-" + name);
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpsServer.create(new InetSocketAddress(SimulatorServer.HOST, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        this.ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier((session, remote, key) -> scpTarget != null
                && KeyUtils.compareKeys(scpTarget.hostKey(), key));
        ssh.start();
        server.start();
    }

    /**
     * Starts a conductor.
     *
     * @param configBody the configuration between the header and {@code end}, e.g. from {@link #labConfig}
     * @param scpTarget  the backup server {@code copy_flash_scp} pushes to, or {@code null} for none
     */
    public static ConductorSimulator start(String name, String username, String password, String configBody,
                                           ScpTarget scpTarget, LabTls tls) throws IOException {
        return new ConductorSimulator(name, username, password, configBody, scpTarget, tls);
    }

    /** A conductor's configuration: the kind of text {@code show running-config} gives, secrets included. */
    public static String labConfig(String name, int seed) {
        return """
                version 8.10
                hostname "%1$s"\s
                clock timezone Europe/Berlin +02 0\s
                !
                netservice svc-netsnap-%2$d tcp %3$d
                !
                snmp-server community "lab-community-%2$d"\s
                mgmt-user admin root 3f0a%2$d9c1e7b2d44a8f%2$d
                !
                aaa profile "default-%2$d"\s
                !
                wlan ssid-profile "corp-%2$d"\s
                   essid "corp-%2$d"\s
                   wpa-passphrase lab-wpa-%2$d
                !
                vlan %4$d\s
                interface vlan %4$d\s
                   ip address 10.%2$d.1.5 255.255.255.0\s
                !
                end
                """.formatted(name, seed, 8000 + seed, 100 + seed);
    }

    public String host() {
        return SimulatorServer.HOST;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    // --- knobs ------------------------------------------------------------------------------------------------------

    /** The named configuration objects (e.g. {@code flash_backup}) answer failure until changed; none to heal. */
    public void failAt(String... objects) {
        synchronized (lock) {
            failing.clear();
            failing.addAll(List.of(objects));
        }
    }

    /** The next session to be opened expires after {@code calls} authenticated calls. */
    public void expireNextSessionAfter(int calls) {
        synchronized (lock) {
            expireNextAfter = calls;
        }
    }

    /** Login answers without {@code X-CSRF-Token}, as some firmware does; POSTs still need one. */
    public void withholdCsrfToken(boolean withhold) {
        synchronized (lock) {
            withholdCsrf = withhold;
        }
    }

    // --- what was seen ----------------------------------------------------------------------------------------------

    public int logins() {
        synchronized (lock) {
            return logins;
        }
    }

    public int logouts() {
        synchronized (lock) {
            return logouts;
        }
    }

    /** The most sessions that were live (logged in, neither logged out nor expired) at the same time. */
    public int mostSessionsAtOnce() {
        synchronized (lock) {
            return mostAtOnce;
        }
    }

    /** Sessions neither logged out nor expired. */
    public int liveSessions() {
        synchronized (lock) {
            return sessions.size();
        }
    }

    /** Every call, as {@code METHOD name} (the object, command or API), in order; never a body. */
    public List<String> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** File names on the simulated flash and their content. */
    public Map<String, byte[]> flash() {
        synchronized (lock) {
            return new LinkedHashMap<>(flash);
        }
    }

    /** Every session id and CSRF token handed out: secrets that must never show up anywhere. */
    public Set<String> issuedTokens() {
        synchronized (lock) {
            return Set.copyOf(issuedTokens);
        }
    }

    public void clearHistory() {
        synchronized (lock) {
            calls.clear();
            logins = 0;
            logouts = 0;
        }
    }

    // --- the API ----------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            if (path.equals("/v1/api/login") && method.equals("POST")) {
                login(exchange, parameters(new String(body, StandardCharsets.UTF_8)));
                return;
            }
            Session session;
            synchronized (lock) {
                String uid = query.get("UIDARUBA");
                String cookie = exchange.getRequestHeaders().getFirst("Cookie");
                session = uid == null ? null : sessions.get(uid);
                if (session == null || cookie == null || !cookie.contains("SESSION=" + uid)) {
                    calls.add(method + " " + path + " (no session)");
                    respond(exchange, 401, result("1", "You must authenticate yourself. Session expired or invalid."));
                    return;
                }
                if (path.equals("/v1/api/logout")) {
                    sessions.remove(uid);
                    logouts++;
                    calls.add("GET logout");
                    respond(exchange, 200, result("0", "You've logged out successfully."));
                    return;
                }
                session.calls++;
                if (session.callLimit != null && session.calls > session.callLimit) {
                    sessions.remove(uid);
                    calls.add(method + " " + path + " (expired)");
                    respond(exchange, 401, result("1", "You must authenticate yourself. Session expired or invalid."));
                    return;
                }
                if (method.equals("POST") && !session.csrf.equals(exchange.getRequestHeaders().getFirst("X-CSRF-Token"))) {
                    calls.add(method + " " + path + " (no CSRF token)");
                    respond(exchange, 403, result("1", "Invalid CSRF token or missing X-CSRF-Token header"));
                    return;
                }
            }
            if (path.equals("/v1/configuration/showcommand") && method.equals("GET")) {
                show(exchange, query.getOrDefault("command", ""));
            } else if (path.startsWith("/v1/configuration/object/") && method.equals("POST")) {
                object(exchange, path.substring("/v1/configuration/object/".length()), query, body);
            } else {
                respond(exchange, 404, result("1", "Not found"));
            }
        } catch (RuntimeException e) {
            respond(exchange, 500, result("1", "Internal error"));
        }
    }

    private void login(HttpExchange exchange, Map<String, String> form) throws IOException {
        synchronized (lock) {
            calls.add("POST login");
            if (!username.equals(form.get("username")) || !password.equals(form.get("password"))) {
                respond(exchange, 401, result("1", "Unauthorized request, authentication failed"));
                return;
            }
            logins++;
            String uid = UUID.randomUUID().toString();
            byte[] token = new byte[24];
            random.nextBytes(token);
            String csrf = Base64.getEncoder().encodeToString(token);
            sessions.put(uid, new Session(csrf, expireNextAfter));
            mostAtOnce = Math.max(mostAtOnce, sessions.size());
            expireNextAfter = null;
            issuedTokens.add(uid);
            issuedTokens.add(csrf);
            Map<String, Object> global = new LinkedHashMap<>();
            global.put("status", "0");
            global.put("status_str", "You've logged in successfully.");
            global.put("UIDARUBA", uid);
            if (!withholdCsrf) {
                global.put("X-CSRF-Token", csrf);
            }
            exchange.getResponseHeaders().add("Set-Cookie", "SESSION=" + uid + "; Path=/; Secure; HttpOnly");
            respond(exchange, 200, Map.of("_global_result", global));
        }
    }

    private void show(HttpExchange exchange, String command) throws IOException {
        if (!command.equals("show running-config")) {
            respond(exchange, 200, result("1", "Command not supported: " + command));
            return;
        }
        int current;
        synchronized (lock) {
            calls.add("GET show running-config");
            current = ++revision;
        }
        respond(exchange, 200, Map.of("_data", runningConfig(current).lines().toList()));
    }

    private String runningConfig(int controllerRevision) {
        return "Building Configuration...\n \n" + configBody.replaceFirst("\n!\n",
                "\ncontroller config " + controllerRevision + "\n!\n");
    }

    private void object(HttpExchange exchange, String object, Map<String, String> query, byte[] body)
            throws IOException {
        JsonNode request = JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
        synchronized (lock) {
            calls.add("POST " + object);
            if (!"/md".equals(query.get("config_path"))) {
                respond(exchange, 400, intResult(1, "config_path missing or unknown"));
                return;
            }
            boolean fail = failing.contains(object);
            switch (object) {
                case "copy_running_flash" -> {
                    if (!fail) {
                        flash.put(request.path("filename").asText("running.cfg"),
                                runningConfig(revision).getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "flash_backup" -> {
                    byte[] archive = archive();
                    // a failed backup leaves what it had written so far
                    flash.put(request.path("filename").asText("flash") + ".tar.gz",
                            fail ? java.util.Arrays.copyOf(archive, archive.length / 2) : archive);
                }
                case "tar_flash_clean" -> {
                    if (!fail) {
                        flash.keySet().removeIf(file -> file.endsWith(".tar.gz") || file.endsWith(".tar"));
                    }
                }
                case "copy_flash_scp" -> {
                    if (!fail) {
                        String problem = push(request);
                        if (problem != null) {
                            respond(exchange, 200, intResult(1, problem));
                            return;
                        }
                    }
                }
                default -> {
                    respond(exchange, 404, intResult(1, "Unknown object " + object));
                    return;
                }
            }
            if (fail) {
                respond(exchange, 200, intResult(1, "Error: " + object + " failed (simulated: not enough space on"
                        + " flash)"));
                return;
            }
        }
        respond(exchange, 200, intResult(0, "Success"));
    }

    /** A gzip stream of the flash's files, standing in for the conductor's tar. */
    private byte[] archive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : flash.entrySet()) {
                if (!file.getKey().endsWith(".tar.gz")) {
                    gzip.write(("== " + file.getKey() + " " + file.getValue().length + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    gzip.write(file.getValue());
                }
            }
            gzip.write(("== licenses\n" + name + " lab license\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Copies one flash file to the backup server by SCP; {@code null} when it worked, else the error text. */
    private String push(JsonNode request) {
        String source = request.path("srcfilename").asText("");
        byte[] content = flash.get(source);
        if (content == null) {
            return "Error: " + source + " not found on flash";
        }
        if (scpTarget == null || !scpTarget.host().equals(request.path("scphost").asText())) {
            return "Error: cannot connect to scp host";
        }
        try (ClientSession session = ssh.connect(request.path("username").asText(), scpTarget.host(),
                scpTarget.port()).verify(Duration.ofSeconds(10)).getSession()) {
            session.addPasswordIdentity(request.path("passwd").asText());
            session.auth().verify(Duration.ofSeconds(10));
            ScpClientCreator.instance().createScpClient(session).upload(content,
                    request.path("destfilename").asText(), Set.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE), null);
            return null;
        } catch (IOException e) {
            return "Error: scp to " + scpTarget.host() + " failed";
        }
    }

    private static Map<String, Object> result(String status, String text) {
        return Map.of("_global_result", Map.of("status", status, "status_str", text));
    }

    private static Map<String, Object> intResult(int status, String text) {
        return Map.of("_global_result", Map.of("status", status, "status_str", text));
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> parameters(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            ssh.stop();
        } catch (RuntimeException e) {
            // closing the lab: nothing left to tell
        }
    }
}
