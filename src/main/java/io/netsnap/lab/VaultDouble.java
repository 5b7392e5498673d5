package io.netsnap.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for the HashiCorp Vault HTTP API, for {@code netsnap lab} and tests (Vault itself cannot be
 * installed everywhere netsnap is developed). It speaks plain HTTP on {@code 127.0.0.1} and a free port.
 *
 * <p>What it serves, with the shapes and status codes real Vault uses (facts file §14):
 * <ul>
 *   <li>{@code GET /v1/<mount>/data/<path>[?version=N]}: KV v2 read in the full response envelope; 404
 *       {@code {"errors":[]}} when never written or the version is unknown; 404 <em>with</em> the metadata body when
 *       the version is soft-deleted.</li>
 *   <li>{@code POST|PUT /v1/<mount>/data/<path>}: KV v2 write ({@code {"options":{"cas":N},"data":{...}}}), answers
 *       the new version's metadata. {@code DELETE} soft-deletes the latest version (204).</li>
 *   <li>{@code GET /v1/auth/token/lookup-self}, {@code POST|PUT /v1/auth/token/renew-self} (200 with the new
 *       {@code auth} envelope; a renewal past the token's max TTL is capped and says so in {@code warnings}).</li>
 *   <li>{@code POST /v1/auth/<mount>/login} for AppRole ({@code role_id}, {@code secret_id}; 400
 *       {@code invalid role or secret ID}) and Kubernetes ({@code role}, {@code jwt}; 400 {@code invalid role name},
 *       403 {@code permission denied} for a JWT the role does not accept), answering the full auth envelope with
 *       {@code lease_duration} and {@code renewable}.</li>
 *   <li>{@code GET /v1/sys/health}: 200, or 503 with {@code "sealed":true} while sealed.</li>
 * </ul>
 * A missing, unknown, expired or revoked token gets 403 with Vault's two-error text; a KV path the token's policies
 * do not grant gets 403 {@code permission denied}; a path under no mount gets 404 {@code no handler for route};
 * everything but {@code sys/health} answers 503 {@code Vault is sealed} while sealed; {@link #setReachable} closes
 * the port altogether. Responses carry {@code Content-Type: application/json} exactly, because vault-java-driver
 * compares that string.
 *
 * <p>Policies are path globs (a trailing {@code *} matches any rest) mapped to {@code read}, {@code write} or
 * {@code deny}; the most specific match wins. The token given to {@link #start} has the {@code root} policy; the
 * {@code netsnap} policy starts as {@code "*": write}.
 *
 * <p>Thread-safe: the handlers and the seeding methods share one lock.
 */
public final class VaultDouble implements AutoCloseable {

    private static final String JSON = "application/json";
    private static final String INVALID_TOKEN = "2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n";
    private static final String PERMISSION_DENIED = "1 error occurred:\n\t* permission denied\n\n";
    /** How long a held request waits at most, so a test that forgets to release cannot hang the suite. */
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(60);
    private static final Duration CHILD_TOKEN_TTL = Duration.ofHours(768);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HttpServer server;
    private final int port;
    private final ExecutorService executor;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<String, Map<String, List<Version>>> mounts = new HashMap<>();
    private final List<String> requestLog = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, Map<String, String>> policies = new HashMap<>();
    private final Map<String, String> authMounts = new HashMap<>();
    private final Map<String, Role> appRoles = new HashMap<>();
    private final Map<String, Role> kubernetesRoles = new HashMap<>();
    private final Set<String> handedOut = new LinkedHashSet<>();
    private final Map<String, Held> holds = new HashMap<>();
    private int logins;
    private int renewals;
    private int servedBeyondInitialTtl;
    private boolean sealed;
    /** How far {@link #advance} has moved this double's time ahead of the system clock. */
    private volatile Duration ahead = Duration.ZERO;
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    };

    private VaultDouble(HttpServer server, ExecutorService executor, String rootToken) {
        this.server = server;
        this.port = server.getAddress().getPort();
        this.executor = executor;
        Instant now = now();
        tokens.put(rootToken, new Token(rootToken, randomId(), List.of("root"), "auth/token/root", "root", now,
                null, false, Duration.ZERO, now, null));
        handedOut.add(rootToken);
        mounts.put("secret", new HashMap<>());
        policies.put("netsnap", Map.of("*", "write"));
    }

    /**
     * Starts a double on {@code 127.0.0.1} and a free port, with a KV v2 engine mounted at {@code secret}.
     *
     * @param rootToken the token that is valid from the start (policy {@code root}, no TTL, not renewable)
     */
    public static VaultDouble start(String rootToken) throws IOException {
        Objects.requireNonNull(rootToken, "rootToken");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        VaultDouble vault = new VaultDouble(server, executor, rootToken);
        server.createContext("/", vault::handle);
        server.setExecutor(executor);
        server.start();
        return vault;
    }

    /** The base address clients use, {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String address() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Closes ({@code false}) or reopens ({@code true}) the listening port, same address: while closed, clients get
     * "connection refused" as from a Vault that is down.
     */
    public void setReachable(boolean reachable) throws IOException {
        synchronized (lock) {
            if (!reachable && server != null) {
                server.stop(0);
                server = null;
            } else if (reachable && server == null) {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                server.createContext("/", this::handle);
                server.setExecutor(executor);
                server.start();
            }
        }
    }

    /**
     * Replaces the policy {@code name}: path globs under {@code /v1/} (e.g. {@code secret/data/network/*}) mapped to
     * {@code read}, {@code write} or {@code deny}.
     */
    public void putPolicy(String name, Map<String, String> rules) {
        synchronized (lock) {
            policies.put(name, Map.copyOf(rules));
        }
    }

    /**
     * Enables AppRole at {@code auth/<mount>} (if needed) with a role whose tokens carry {@code policies}, live
     * {@code tokenTtl} and can be renewed up to {@code maxTtl} ({@code null}: no limit); returns its role-id and a
     * first secret-id.
     */
    public AppRoleLogin addAppRole(String mount, String roleName, List<String> policies, Duration tokenTtl,
                                   Duration maxTtl) {
        String roleId = UUID.randomUUID().toString();
        String secretId = UUID.randomUUID().toString();
        synchronized (lock) {
            authMounts.put(trim("auth/" + mount), "approle");
            Role role = new Role(roleName, trim("auth/" + mount), List.copyOf(policies), tokenTtl, maxTtl,
                    new LinkedHashSet<>(List.of(secretId)));
            appRoles.put(roleId, role);
            handedOut.add(secretId);
        }
        return new AppRoleLogin(roleId, secretId);
    }

    /** Invalidates every secret-id of the AppRole with {@code roleId}: logins then answer 400. */
    public void revokeSecretIds(String roleId) {
        synchronized (lock) {
            appRoles.get(roleId).credentials().clear();
        }
    }

    /**
     * Enables Kubernetes auth at {@code auth/<mount>} (if needed) with a role that accepts exactly the service
     * account token {@code jwt}.
     */
    public void addKubernetesRole(String mount, String roleName, String jwt, List<String> policies,
                                  Duration tokenTtl, Duration maxTtl) {
        synchronized (lock) {
            authMounts.put(trim("auth/" + mount), "kubernetes");
            kubernetesRoles.put(roleName, new Role(roleName, trim("auth/" + mount), List.copyOf(policies), tokenTtl,
                    maxTtl, new LinkedHashSet<>(List.of(jwt))));
            handedOut.add(jwt);
        }
    }

    /**
     * Holds every request to {@code /v1/<apiPath>} (e.g. {@code secret/data/network/r1}) before it is answered,
     * until the returned hold is closed; other requests, renewals among them, go on. For tests that need a run to
     * outlast a token's TTL without sleeping.
     */
    public Hold hold(String apiPath) {
        Held held = new Held(new CountDownLatch(1), new AtomicInteger());
        String key = trim(apiPath);
        synchronized (lock) {
            holds.put(key, held);
        }
        return new Hold() {
            @Override
            public int waiting() {
                return held.waiting.get();
            }

            @Override
            public void close() {
                synchronized (lock) {
                    holds.remove(key);
                }
                held.latch.countDown();
            }
        };
    }

    /** A held path; {@link #close()} releases the waiting requests. */
    public interface Hold extends AutoCloseable {
        /** Requests that arrived and wait for {@link #close()}: a test knows the client got that far. */
        int waiting();

        @Override
        void close();
    }

    private record Held(CountDownLatch latch, AtomicInteger waiting) {
    }

    /**
     * The time this double issues, checks and renews tokens by: the system clock, plus whatever {@link #advance} added.
     * Give it to the client under test so both agree on when a token expires.
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Moves this double's time forward by {@code by}: tokens whose TTL runs out in between expire, as if that much
     * time had passed. For tests that need a token to expire or a renewal to come due without waiting for it.
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        synchronized (lock) {
            ahead = ahead.plus(by);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    /** Role-id and secret-id of an AppRole. */
    public record AppRoleLogin(String roleId, String secretId) {
    }

    /** Successful logins (AppRole and Kubernetes) so far. */
    public int logins() {
        synchronized (lock) {
            return logins;
        }
    }

    /** Successful renew-self calls so far. */
    public int renewals() {
        synchronized (lock) {
            return renewals;
        }
    }

    /**
     * Requests served with a token that had outlived the TTL it was issued with: proof that it was kept alive by
     * renewal.
     */
    public int servedBeyondInitialTtl() {
        synchronized (lock) {
            return servedBeyondInitialTtl;
        }
    }

    /** Every token, secret-id and service-account JWT this double handed out or accepts: none may ever leak. */
    public Set<String> credentialsHandedOut() {
        synchronized (lock) {
            return Set.copyOf(handedOut);
        }
    }

    /** The latest version of a secret, for tests that break it and then fix it. */
    public Map<String, String> secret(String mount, String path) {
        synchronized (lock) {
            List<Version> versions = mounts.getOrDefault(trim(mount), Map.of()).get(trim(path));
            if (versions == null) {
                throw new IllegalArgumentException("no secret at " + mount + "/" + path);
            }
            Map<String, String> data = new HashMap<>();
            versions.getLast().data.fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            return data;
        }
    }

    /**
     * Writes a new version of the secret at {@code mount/path} (version 1 on first write), as a KV v2 write would.
     * The mount is created when it does not exist yet.
     */
    public void putSecret(String mount, String path, Map<String, String> data) {
        ObjectNode node = NODES.objectNode();
        data.forEach(node::put);
        synchronized (lock) {
            mounts.computeIfAbsent(trim(mount), m -> new HashMap<>())
                    .computeIfAbsent(trim(path), p -> new ArrayList<>())
                    .add(new Version(node, now()));
        }
    }

    /**
     * Soft-deletes the latest version of {@code mount/path}: reads then answer 404 with the version's metadata, as
     * Vault does after {@code DELETE /v1/<mount>/data/<path>}.
     *
     * @throws IllegalArgumentException when nothing was ever written there (a typo in a test, most likely)
     */
    public void deleteLatest(String mount, String path) {
        synchronized (lock) {
            List<Version> versions = mounts.getOrDefault(trim(mount), Map.of()).get(trim(path));
            if (versions == null) {
                throw new IllegalArgumentException("no secret at " + mount + "/" + path);
            }
            versions.getLast().deleteIfLive(now());
        }
    }

    /**
     * Issues a renewable service token ({@code hvs.} prefix, policies {@code default} and {@code netsnap}, TTL 768h),
     * the kind an AppRole login hands out.
     */
    public String createToken() {
        return createToken(CHILD_TOKEN_TTL);
    }

    /** Like {@link #createToken()} with the given TTL (renewal extends it by the same again). */
    public String createToken(Duration ttl) {
        synchronized (lock) {
            return issue(List.of("default", "netsnap"), "auth/token/create", "token", ttl, null).id;
        }
    }

    /** Lets {@code token} expire now, as if its TTL had run out: later requests carrying it get 403. */
    public void expireToken(String token) {
        revokeToken(token);
    }

    /** Revokes {@code token}: every later request carrying it gets 403 permission denied / invalid token. */
    public void revokeToken(String token) {
        synchronized (lock) {
            tokens.remove(token);
        }
    }

    /** Seals or unseals: while sealed every endpoint but {@code sys/health} answers 503 {@code Vault is sealed}. */
    public void setSealed(boolean sealed) {
        synchronized (lock) {
            this.sealed = sealed;
        }
    }

    /** Every request so far as {@code "METHOD /path"} (no query, no headers, no bodies), oldest first. */
    public List<String> requestLog() {
        synchronized (lock) {
            return List.copyOf(requestLog);
        }
    }

    /** The {@code X-Vault-Namespace} header of every request that carried one, oldest first. */
    public List<String> namespacesSeen() {
        synchronized (lock) {
            return List.copyOf(namespaces);
        }
    }

    /** Stops the server at once; open connections are dropped. */
    @Override
    public void close() {
        synchronized (lock) {
            if (server != null) {
                server.stop(0);
            }
            holds.values().forEach(held -> held.latch.countDown());
        }
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (RuntimeException e) {
                reply = Reply.errors(500, "internal error in VaultDouble: " + e.getClass().getSimpleName());
            }
            byte[] body = reply.body == null ? null : MAPPER.writeValueAsBytes(reply.body);
            if (body != null) {
                exchange.getResponseHeaders().set("Content-Type", JSON);
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(reply.status, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private Reply route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getPath();
        JsonNode requestBody = readBody(exchange.getRequestBody());
        awaitHold(rawPath);
        synchronized (lock) {
            requestLog.add(method + " " + rawPath);
            String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
            if (namespace != null) {
                namespaces.add(namespace);
            }
            if (!rawPath.startsWith("/v1/")) {
                return Reply.errors(404, "");
            }
            String path = trim(rawPath.substring("/v1/".length()));
            if (path.equals("sys/health")) {
                return health();
            }
            if (sealed) {
                return Reply.errors(503, "Vault is sealed");
            }
            if (path.startsWith("auth/") && path.endsWith("/login")
                    && authMounts.containsKey(path.substring(0, path.length() - "/login".length()))) {
                return isWrite(method) ? login(path.substring(0, path.length() - "/login".length()), requestBody)
                        : unsupported();
            }
            Token token = tokenOf(exchange);
            if (token == null) {
                return Reply.errors(403, INVALID_TOKEN);
            }
            if (token.expires != null && now().isAfter(token.created.plus(token.ttl))) {
                servedBeyondInitialTtl++;
            }
            if (path.equals("auth/token/lookup-self")) {
                return isRead(method) ? lookupSelf(token) : unsupported();
            }
            if (path.equals("auth/token/renew-self")) {
                return isWrite(method) ? renewSelf(token, requestBody) : unsupported();
            }
            if (!allowed(token, path, method)) {
                return Reply.errors(403, PERMISSION_DENIED);
            }
            return kv(method, path, exchange.getRequestURI().getRawQuery(), requestBody);
        }
    }

    private void awaitHold(String rawPath) {
        Held held;
        synchronized (lock) {
            held = rawPath.startsWith("/v1/") ? holds.get(trim(rawPath.substring("/v1/".length()))) : null;
        }
        if (held != null) {
            held.waiting.incrementAndGet();
            try {
                held.latch.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The most specific rule of the token's policies decides; no rule means no access. */
    private boolean allowed(Token token, String path, String method) {
        if (token.policies.contains("root")) {
            return true;
        }
        String capability = token.policies.stream()
                .flatMap(name -> policies.getOrDefault(name, Map.of()).entrySet().stream())
                .filter(rule -> matches(rule.getKey(), path))
                .max(Comparator.comparingInt((Map.Entry<String, String> rule) -> rule.getKey().length())
                        .thenComparing(rule -> "deny".equals(rule.getValue())))
                .map(Map.Entry::getValue).orElse("deny");
        return switch (capability) {
            case "write" -> true;
            case "read" -> isRead(method);
            default -> false;
        };
    }

    private static boolean matches(String glob, String path) {
        return glob.endsWith("*") ? path.startsWith(glob.substring(0, glob.length() - 1)) : glob.equals(path);
    }

    private Reply login(String mount, JsonNode body) {
        String method = authMounts.get(mount);
        Role role;
        if (method.equals("approle")) {
            String roleId = text(body, "role_id");
            String secretId = text(body, "secret_id");
            if (roleId == null) {
                return Reply.errors(400, "missing role_id");
            }
            if (secretId == null) {
                return Reply.errors(400, "missing secret_id");
            }
            role = appRoles.get(roleId);
            if (role == null || !role.mount.equals(mount) || !role.credentials.contains(secretId)) {
                return Reply.errors(400, "invalid role or secret ID");
            }
        } else {
            String roleName = text(body, "role");
            String jwt = text(body, "jwt");
            if (roleName == null) {
                return Reply.errors(400, "missing role");
            }
            if (jwt == null) {
                return Reply.errors(400, "missing jwt");
            }
            role = kubernetesRoles.get(roleName);
            if (role == null || !role.mount.equals(mount)) {
                return Reply.errors(400, "invalid role name \"" + roleName + "\"");
            }
            if (!role.credentials.contains(jwt)) {
                return Reply.errors(403, PERMISSION_DENIED);
            }
        }
        logins++;
        Token token = issue(role.policies, mount + "/login", method.equals("approle") ? "approle" : "kubernetes",
                role.tokenTtl, role.maxTtl);
        ObjectNode auth = authBlock(token, role.tokenTtl.toSeconds());
        auth.putObject("metadata").put("role_name", role.name);
        ObjectNode envelope = envelope(null, "");
        envelope.set("auth", auth);
        return new Reply(200, envelope);
    }

    private Token issue(List<String> tokenPolicies, String path, String displayName, Duration ttl, Duration maxTtl) {
        String id = "hvs." + randomId().replace("-", "");
        Instant now = now();
        Token token = new Token(id, randomId(), List.copyOf(tokenPolicies), path, displayName, now, now.plus(ttl),
                true, ttl, now, maxTtl);
        tokens.put(id, token);
        handedOut.add(id);
        return token;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }

    private Reply kv(String method, String path, String query, JsonNode body) {
        String mount = mounts.keySet().stream()
                .filter(m -> path.equals(m) || path.startsWith(m + "/"))
                .max((a, b) -> Integer.compare(a.length(), b.length()))
                .orElse(null);
        String rest = mount == null || path.length() == mount.length() ? "" : path.substring(mount.length() + 1);
        if (mount == null || !rest.startsWith("data/") || rest.length() == "data/".length()) {
            if (mount == null) {
                return Reply.errors(404, "no handler for route \"" + path + "\". route entry not found.");
            }
            // KV v2 paths other than data/ (metadata, destroy, ...) are not modelled.
            return Reply.errors(404);
        }
        String secretPath = rest.substring("data/".length());
        Map<String, List<Version>> store = mounts.get(mount);
        if (isRead(method)) {
            return readSecret(store.get(secretPath), query);
        }
        if (isWrite(method)) {
            return writeSecret(store, secretPath, body);
        }
        if (method.equals("DELETE")) {
            List<Version> versions = store.get(secretPath);
            if (versions != null) {
                versions.getLast().deleteIfLive(now());
            }
            return new Reply(204, null);
        }
        return unsupported();
    }

    private Reply readSecret(List<Version> versions, String query) {
        if (versions == null) {
            return Reply.errors(404);
        }
        int wanted = versionParameter(query);
        if (wanted < 0 || wanted > versions.size()) {
            return Reply.errors(404);
        }
        int number = wanted == 0 ? versions.size() : wanted;
        Version version = versions.get(number - 1);
        ObjectNode data = NODES.objectNode();
        boolean deleted = version.deletionTime != null;
        data.set("data", deleted ? NODES.nullNode() : version.data.deepCopy());
        data.set("metadata", version.metadata(number));
        // Vault answers a deleted version with 404 *and* the envelope, so clients can tell "deleted" from "absent".
        return new Reply(deleted ? 404 : 200, envelope(data, "kv"));
    }

    private Reply writeSecret(Map<String, List<Version>> store, String secretPath, JsonNode body) {
        if (body == null || !body.path("data").isObject()) {
            return Reply.errors(400, "no data provided");
        }
        List<Version> versions = store.computeIfAbsent(secretPath, p -> new ArrayList<>());
        JsonNode cas = body.path("options").path("cas");
        if (cas.isNumber() && cas.asInt() != versions.size()) {
            if (versions.isEmpty()) {
                store.remove(secretPath);
            }
            return Reply.errors(400, "check-and-set parameter did not match the current version");
        }
        versions.add(new Version(((ObjectNode) body.get("data")).deepCopy(), now()));
        return new Reply(200, envelope(versions.getLast().metadata(versions.size()), "kv"));
    }

    private Reply lookupSelf(Token token) {
        ObjectNode data = NODES.objectNode();
        data.put("accessor", token.accessor);
        data.put("creation_time", token.created.getEpochSecond());
        data.put("creation_ttl", token.ttl.toSeconds());
        data.put("display_name", token.displayName);
        data.put("entity_id", "");
        if (token.expires == null) {
            data.putNull("expire_time");
        } else {
            data.put("expire_time", token.expires.toString());
        }
        data.put("explicit_max_ttl", 0);
        data.put("id", token.id);
        if (token.expires != null) {
            data.put("issue_time", token.created.toString());
            data.put("last_renewal_time", token.lastRenewal.getEpochSecond());
        }
        data.putNull("meta");
        data.put("num_uses", 0);
        data.put("orphan", true);
        data.put("path", token.path);
        data.set("policies", strings(token.policies));
        data.put("renewable", token.renewable);
        data.put("ttl", token.remainingTtl(now()));
        data.put("type", "service");
        return new Reply(200, envelope(data, "token"));
    }

    private Reply renewSelf(Token token, JsonNode body) {
        if (!token.renewable) {
            // Exact wording for a non-renewable token is unverified (facts file §14.5); status 400 matches Vault's
            // mapping of an untyped error response.
            return Reply.errors(400, "lease is not renewable");
        }
        Duration increment = token.ttl;
        JsonNode requested = body == null ? null : body.get("increment");
        if (requested != null && requested.canConvertToLong()) {
            increment = Duration.ofSeconds(requested.asLong());
        } else if (requested != null && requested.isTextual()) {
            increment = parseDuration(requested.asText(), token.ttl);
        }
        Instant now = now();
        Token renewed = token.renewed(now, increment);
        boolean capped = false;
        if (token.maxTtl != null && renewed.expires.isAfter(token.created.plus(token.maxTtl))) {
            // Vault caps the renewal at the max TTL and says so in a warning; the status stays 200.
            renewed = new Token(token.id, token.accessor, token.policies, token.path, token.displayName,
                    token.created, token.created.plus(token.maxTtl), true, token.ttl, now, token.maxTtl);
            capped = true;
        }
        tokens.put(token.id, renewed);
        renewals++;
        ObjectNode auth = authBlock(renewed, renewed.remainingTtl(now));
        auth.putNull("metadata");
        ObjectNode envelope = envelope(null, "token");
        envelope.set("auth", auth);
        if (capped) {
            envelope.putArray("warnings").add("TTL of \"" + increment.toSeconds() + "s\" exceeded the effective "
                    + "max_ttl of \"" + renewed.remainingTtl(now) + "s\"; TTL value is capped accordingly");
        }
        return new Reply(200, envelope);
    }

    private ObjectNode authBlock(Token token, long leaseSeconds) {
        ObjectNode auth = NODES.objectNode();
        auth.put("client_token", token.id);
        auth.put("accessor", token.accessor);
        auth.set("policies", strings(token.policies));
        auth.set("token_policies", strings(token.policies));
        auth.putNull("metadata");
        auth.put("lease_duration", leaseSeconds);
        auth.put("renewable", true);
        auth.put("entity_id", "");
        auth.put("token_type", "service");
        auth.put("orphan", true);
        auth.putNull("mfa_requirement");
        auth.put("num_uses", 0);
        return auth;
    }

    private Reply health() {
        ObjectNode body = NODES.objectNode();
        body.put("initialized", true);
        body.put("sealed", sealed);
        body.put("standby", sealed);
        body.put("performance_standby", false);
        body.put("replication_performance_mode", "disabled");
        body.put("replication_dr_mode", "disabled");
        body.put("server_time_utc", now().getEpochSecond());
        body.put("version", "1.17.6");
        body.put("enterprise", false);
        body.put("cluster_name", "vault-cluster-lab");
        body.put("cluster_id", "5c3f7b86-7a5d-4c43-8f0e-9c2b2c1c2f11");
        return new Reply(sealed ? 503 : 200, body);
    }

    private Token tokenOf(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("X-Vault-Token");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if ((value == null || value.isEmpty()) && authorization != null && authorization.startsWith("Bearer ")) {
            value = authorization.substring("Bearer ".length()).trim();
        }
        if (value == null || value.isEmpty()) {
            return null;
        }
        Token token = tokens.get(value);
        if (token != null && token.expires != null && !token.expires.isAfter(now())) {
            tokens.remove(value);
            return null;
        }
        return token;
    }

    private static Reply unsupported() {
        return Reply.errors(405, "1 error occurred:\n\t* unsupported operation\n\n");
    }

    private ObjectNode envelope(JsonNode data, String mountType) {
        ObjectNode envelope = NODES.objectNode();
        envelope.put("request_id", UUID.randomUUID().toString());
        envelope.put("lease_id", "");
        envelope.put("renewable", false);
        envelope.put("lease_duration", 0);
        envelope.set("data", data == null ? NODES.nullNode() : data);
        envelope.putNull("wrap_info");
        envelope.putNull("warnings");
        envelope.putNull("auth");
        envelope.put("mount_type", mountType);
        return envelope;
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionParameter(String query) {
        if (query == null) {
            return 0;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("version=")) {
                try {
                    return Integer.parseInt(pair.substring("version=".length()));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return 0;
    }

    private static Duration parseDuration(String text, Duration fallback) {
        try {
            if (text.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(text));
            }
            return Duration.parse("PT" + text.toUpperCase());
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static boolean isRead(String method) {
        return method.equals("GET");
    }

    private static boolean isWrite(String method) {
        return method.equals("POST") || method.equals("PUT");
    }

    private static JsonNode strings(List<String> values) {
        var array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static String trim(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private String randomId() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private record Reply(int status, JsonNode body) {

        static Reply errors(int status, String... messages) {
            ObjectNode body = NODES.objectNode();
            var errors = body.putArray("errors");
            for (String message : messages) {
                if (!message.isEmpty()) {
                    errors.add(message);
                }
            }
            return new Reply(status, body);
        }
    }

    private static final class Version {
        private final ObjectNode data;
        private final Instant created;
        private Instant deletionTime;

        Version(ObjectNode data, Instant created) {
            this.data = data;
            this.created = created;
        }

        void deleteIfLive(Instant now) {
            if (deletionTime == null) {
                deletionTime = now;
            }
        }

        ObjectNode metadata(int number) {
            ObjectNode metadata = NODES.objectNode();
            metadata.put("created_time", created.toString());
            metadata.putNull("custom_metadata");
            metadata.put("deletion_time", deletionTime == null ? "" : deletionTime.toString());
            metadata.put("destroyed", false);
            metadata.put("version", number);
            return metadata;
        }
    }

    /** An auth role: who may log in with what ({@code credentials}: secret-ids or the accepted JWT). */
    private record Role(String name, String mount, List<String> policies, Duration tokenTtl, Duration maxTtl,
            Set<String> credentials) {
    }

    private record Token(String id, String accessor, List<String> policies, String path, String displayName,
            Instant created, Instant expires, boolean renewable, Duration ttl, Instant lastRenewal, Duration maxTtl) {

        long remainingTtl(Instant now) {
            return expires == null ? 0 : Math.max(0, Duration.between(now, expires).toSeconds());
        }

        Token renewed(Instant now, Duration increment) {
            return new Token(id, accessor, policies, path, displayName, created, now.plus(increment), renewable, ttl,
                    now, maxTtl);
        }
    }
}
