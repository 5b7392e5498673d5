package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultDoubleTests {

    private static final String ROOT = "hvs.root-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private VaultDouble vault;

    @BeforeEach
    void start() throws IOException {
        vault = VaultDouble.start(ROOT);
    }

    @AfterEach
    void stop() {
        vault.close();
        http.close();
    }

    @Test
    void kvReadAnswersTheFullEnvelopeWithExactContentType() throws Exception {
        vault.putSecret("secret", "network/r1", Map.of("username", "admin", "password", "s3cret"));

        HttpResponse<String> response = get("/v1/secret/data/network/r1", ROOT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("request_id", "lease_id", "renewable",
                "lease_duration", "data", "wrap_info", "warnings", "auth", "mount_type");
        assertThat(body.get("lease_id").asText()).isEmpty();
        assertThat(body.get("renewable").isBoolean()).isTrue();
        assertThat(body.get("wrap_info").isNull()).isTrue();
        assertThat(body.get("mount_type").asText()).isEqualTo("kv");
        assertThat(body.at("/data/data/username").asText()).isEqualTo("admin");
        assertThat(body.at("/data/data/password").asText()).isEqualTo("s3cret");
        JsonNode metadata = body.at("/data/metadata");
        assertThat(metadata.fieldNames()).toIterable()
                .containsExactly("created_time", "custom_metadata", "deletion_time", "destroyed", "version");
        assertThat(metadata.get("created_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(metadata.get("deletion_time").asText()).isEmpty();
        assertThat(metadata.get("destroyed").asBoolean()).isFalse();
        assertThat(metadata.get("version").asInt()).isEqualTo(1);
    }

    @Test
    void bearerTokenIsAcceptedLikeTheVaultHeader() throws Exception {
        vault.putSecret("secret", "a", Map.of("k", "v"));

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/secret/data/a"))
                .header("Authorization", "Bearer " + ROOT).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void badMissingOrRevokedTokenGets403WithVaultsTwoErrors() throws Exception {
        String expected = "{\"errors\":[\"2 errors occurred:\\n\\t* permission denied\\n\\t* invalid token\\n\\n\"]}";
        String child = vault.createToken();
        vault.revokeToken(child);

        for (String token : new String[] {"hvs.wrong", null, child}) {
            HttpResponse<String> response = get("/v1/secret/data/a", token);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).isEqualTo(expected);
        }
    }

    @Test
    void neverWrittenPathIs404WithEmptyErrors() throws Exception {
        HttpResponse<String> response = get("/v1/secret/data/network/nothing", ROOT);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"errors\":[]}");
    }

    @Test
    void unknownMountIs404NoHandler() throws Exception {
        HttpResponse<String> response = get("/v1/nomount/data/x/y", ROOT);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).at("/errors/0").asText())
                .isEqualTo("no handler for route \"nomount/data/x/y\". route entry not found.");
    }

    @Test
    void softDeletedVersionIs404WithMetadataBody() throws Exception {
        vault.putSecret("secret", "network/r1", Map.of("password", "one"));
        vault.putSecret("secret", "network/r1", Map.of("password", "two"));
        vault.deleteLatest("secret", "network/r1");

        HttpResponse<String> response = get("/v1/secret/data/network/r1", ROOT);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("two");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("errors")).isFalse();
        assertThat(body.at("/data/data").isNull()).isTrue();
        assertThat(body.at("/data/metadata/version").asInt()).isEqualTo(2);
        assertThat(body.at("/data/metadata/deletion_time").asText()).isNotEmpty();
        assertThat(get("/v1/secret/data/network/r1?version=1", ROOT).body()).contains("\"password\":\"one\"");
    }

    @Test
    void everyWriteIsANewVersionAndVersionParameterSelectsOne() throws Exception {
        vault.putSecret("secret", "s", Map.of("v", "first"));
        HttpResponse<String> written = send(HttpRequest.newBuilder(uri("/v1/secret/data/s"))
                .header("X-Vault-Token", ROOT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"options\":{\"cas\":1},\"data\":{\"v\":\"second\"}}"))
                .build());

        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(written.body()).at("/data/version").asInt()).isEqualTo(2);
        assertThat(JSON.readTree(get("/v1/secret/data/s", ROOT).body()).at("/data/data/v").asText())
                .isEqualTo("second");
        assertThat(JSON.readTree(get("/v1/secret/data/s?version=1", ROOT).body()).at("/data/data/v").asText())
                .isEqualTo("first");
        HttpResponse<String> unknownVersion = get("/v1/secret/data/s?version=3", ROOT);
        assertThat(unknownVersion.statusCode()).isEqualTo(404);
        assertThat(unknownVersion.body()).isEqualTo("{\"errors\":[]}");
        HttpResponse<String> staleCas = send(HttpRequest.newBuilder(uri("/v1/secret/data/s"))
                .header("X-Vault-Token", ROOT)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"options\":{\"cas\":1},\"data\":{\"v\":\"x\"}}"))
                .build());
        assertThat(staleCas.statusCode()).isEqualTo(400);
        assertThat(staleCas.body()).contains("check-and-set parameter did not match the current version");
    }

    @Test
    void lookupSelfCarriesTheFullTokenData() throws Exception {
        HttpResponse<String> response = get("/v1/auth/token/lookup-self", ROOT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
        JsonNode data = JSON.readTree(response.body()).get("data");
        assertThat(data.fieldNames()).toIterable().contains("accessor", "creation_time", "creation_ttl",
                "display_name", "entity_id", "expire_time", "explicit_max_ttl", "id", "meta", "num_uses", "orphan",
                "path", "policies", "renewable", "ttl", "type");
        assertThat(data.get("id").asText()).isEqualTo(ROOT);
        assertThat(data.get("policies")).extracting(JsonNode::asText).containsExactly("root");
        assertThat(data.get("expire_time").isNull()).isTrue();
        assertThat(data.get("renewable").asBoolean()).isFalse();
    }

    @Test
    void sealedVaultAnswers503ExceptHealthWhichSaysSealed() throws Exception {
        assertThat(get("/v1/sys/health", null).statusCode()).isEqualTo(200);

        vault.setSealed(true);

        HttpResponse<String> read = get("/v1/secret/data/a", ROOT);
        assertThat(read.statusCode()).isEqualTo(503);
        assertThat(read.body()).isEqualTo("{\"errors\":[\"Vault is sealed\"]}");
        HttpResponse<String> health = get("/v1/sys/health", null);
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(health.body()).get("sealed").asBoolean()).isTrue();

        vault.setSealed(false);
        assertThat(get("/v1/secret/data/a", ROOT).statusCode()).isEqualTo(404);
    }

    @Test
    void requestLogHasMethodAndPathButNoTokenOrQuery() throws Exception {
        vault.putSecret("secret", "a", Map.of("password", "hunter2"));
        get("/v1/secret/data/a?version=1", ROOT);
        get("/v1/auth/token/lookup-self", ROOT);

        assertThat(vault.requestLog())
                .containsExactly("GET /v1/secret/data/a", "GET /v1/auth/token/lookup-self");
        assertThat(String.join("\n", vault.requestLog())).doesNotContain(ROOT, "hunter2");
    }

    @Test
    void vaultJavaDriverUnderstandsTheAnswers() throws Exception {
        vault.putSecret("secret", "network/r1", Map.of("username", "admin", "password", "s3cret"));
        String child = vault.createToken();
        Vault driver = Vault.create(new VaultConfig().address(vault.address()).token(child).build(), 2);

        LogicalResponse read = driver.logical().read("secret/network/r1");
        LookupResponse self = driver.auth().lookupSelf();
        AuthResponse renewed = driver.auth().renewSelf();

        assertThat(read.getData()).containsEntry("username", "admin").containsEntry("password", "s3cret");
        assertThat(read.getDataMetadata().getVersion()).isEqualTo(1L);
        assertThat(self.getPolicies()).containsExactly("default", "netsnap");
        assertThat(self.isRenewable()).isTrue();
        assertThat(self.getTTL()).isPositive();
        assertThat(renewed.getAuthClientToken()).isEqualTo(child);
        assertThat(renewed.isAuthRenewable()).isTrue();
        assertThat(renewed.getAuthLeaseDuration()).isPositive();
        assertThat(vault.requestLog()).containsExactly("GET /v1/secret/data/network/r1",
                "GET /v1/auth/token/lookup-self", "POST /v1/auth/token/renew-self");
    }

    @Test
    void appRoleLoginAnswersTheFullAuthEnvelopeAndItsTokenReads() throws Exception {
        vault.putSecret("secret", "network/r1", Map.of("username", "admin", "password", "s3cret"));
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofMinutes(20), null);

        HttpResponse<String> response = post("/v1/auth/approle/login",
                "{\"role_id\":\"" + role.roleId() + "\",\"secret_id\":\"" + role.secretId() + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("request_id", "lease_id", "renewable",
                "lease_duration", "data", "wrap_info", "warnings", "auth", "mount_type");
        JsonNode auth = body.get("auth");
        assertThat(auth.get("client_token").asText()).startsWith("hvs.");
        assertThat(auth.get("lease_duration").asLong()).isEqualTo(1200);
        assertThat(auth.get("renewable").asBoolean()).isTrue();
        assertThat(auth.at("/metadata/role_name").asText()).isEqualTo("netsnap");
        assertThat(auth.get("policies")).isNotNull();
        assertThat(get("/v1/secret/data/network/r1", auth.get("client_token").asText()).statusCode()).isEqualTo(200);

        Vault driver = Vault.create(new VaultConfig().address(vault.address()).build(), 2);
        AuthResponse login = driver.auth().loginByAppRole("approle", role.roleId(), role.secretId());
        assertThat(login.getAuthLeaseDuration()).isEqualTo(1200);
        assertThat(login.isAuthRenewable()).isTrue();
        assertThat(vault.logins()).isEqualTo(2);
    }

    @Test
    void aBadSecretIdIs400InvalidRoleOrSecretId() throws Exception {
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofMinutes(20), null);

        HttpResponse<String> wrong = post("/v1/auth/approle/login",
                "{\"role_id\":\"" + role.roleId() + "\",\"secret_id\":\"nope\"}");
        HttpResponse<String> missing = post("/v1/auth/approle/login", "{\"role_id\":\"" + role.roleId() + "\"}");

        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).isEqualTo("{\"errors\":[\"invalid role or secret ID\"]}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"errors\":[\"missing secret_id\"]}");
        assertThat(vault.logins()).isZero();
    }

    @Test
    void kubernetesLoginAcceptsTheRolesJwtOnly() throws Exception {
        vault.addKubernetesRole("kubernetes", "netsnap", "eyJhbGciOi.jwt-for-tests", List.of("netsnap"),
                Duration.ofMinutes(10), null);

        HttpResponse<String> ok = post("/v1/auth/kubernetes/login",
                "{\"role\":\"netsnap\",\"jwt\":\"eyJhbGciOi.jwt-for-tests\"}");
        HttpResponse<String> wrongJwt = post("/v1/auth/kubernetes/login",
                "{\"role\":\"netsnap\",\"jwt\":\"eyJhbGciOi.other\"}");
        HttpResponse<String> wrongRole = post("/v1/auth/kubernetes/login",
                "{\"role\":\"nobody\",\"jwt\":\"eyJhbGciOi.jwt-for-tests\"}");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).at("/auth/lease_duration").asLong()).isEqualTo(600);
        assertThat(wrongJwt.statusCode()).isEqualTo(403);
        assertThat(wrongJwt.body()).isEqualTo("{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}");
        assertThat(wrongRole.statusCode()).isEqualTo(400);
        assertThat(wrongRole.body()).contains("invalid role name");
    }

    @Test
    void aPolicyThatDeniesOnePathGives403PermissionDeniedThere() throws Exception {
        vault.putSecret("secret", "network/a", Map.of("k", "v"));
        vault.putSecret("secret", "network/b", Map.of("k", "v"));
        vault.putPolicy("netsnap", Map.of("secret/data/network/*", "read", "secret/data/network/b", "deny"));
        String token = vault.createToken();

        assertThat(get("/v1/secret/data/network/a", token).statusCode()).isEqualTo(200);
        HttpResponse<String> denied = get("/v1/secret/data/network/b", token);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}");
        assertThat(get("/v1/secret/data/network/b", ROOT).statusCode()).as("root passes every policy").isEqualTo(200);
    }

    @Test
    void renewalIsCappedAtTheMaxTtlWithAWarning() throws Exception {
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofSeconds(60), Duration.ofSeconds(90));
        Vault driver = Vault.create(new VaultConfig().address(vault.address()).build(), 2);
        String token = driver.auth().loginByAppRole("approle", role.roleId(), role.secretId()).getAuthClientToken();

        HttpResponse<String> renewed = send(HttpRequest.newBuilder(uri("/v1/auth/token/renew-self"))
                .header("X-Vault-Token", token).POST(HttpRequest.BodyPublishers.ofString("{\"increment\":\"1h\"}"))
                .build());

        JsonNode body = JSON.readTree(renewed.body());
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(body.at("/auth/lease_duration").asLong()).isBetween(85L, 90L);
        assertThat(body.get("warnings").get(0).asText()).contains("max_ttl");
        assertThat(vault.renewals()).isEqualTo(1);
    }

    @Test
    void advancingTheClockExpiresATokenAndRenewalMovesItsExpiryAlong() throws Exception {
        String expired = vault.createToken(Duration.ofHours(1));
        String renewed = vault.createToken(Duration.ofHours(1));
        Instant before = vault.clock().instant();

        vault.advance(Duration.ofMinutes(40));
        assertThat(vault.clock().instant()).isAfterOrEqualTo(before.plus(Duration.ofMinutes(40)));
        HttpResponse<String> renewal = send(HttpRequest.newBuilder(uri("/v1/auth/token/renew-self"))
                .header("X-Vault-Token", renewed).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(renewal.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(renewal.body()).at("/auth/lease_duration").asLong()).isEqualTo(3600);
        assertThat(get("/v1/secret/data/a", expired).statusCode()).as("20 min left").isNotEqualTo(403);

        vault.advance(Duration.ofMinutes(21));
        assertThat(get("/v1/secret/data/a", expired).statusCode()).as("past its TTL").isEqualTo(403);
        assertThat(get("/v1/secret/data/a", renewed).statusCode()).as("renewed at 40 min").isNotEqualTo(403);
        assertThat(vault.servedBeyondInitialTtl()).isEqualTo(1);
        assertThatThrownBy(() -> vault.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreachableVaultRefusesConnectionsUntilReopenedOnTheSamePort() throws Exception {
        String address = vault.address();
        vault.setReachable(false);

        assertThatThrownBy(() -> get("/v1/sys/health", ROOT)).isInstanceOf(java.net.ConnectException.class);

        vault.setReachable(true);
        assertThat(vault.address()).isEqualTo(address);
        assertThat(get("/v1/sys/health", ROOT).statusCode()).isEqualTo(200);
    }

    @Test
    void namespaceHeaderIsRecorded() throws Exception {
        send(HttpRequest.newBuilder(uri("/v1/sys/health")).header("X-Vault-Namespace", "ns1/").GET().build());

        assertThat(vault.namespacesSeen()).containsExactly("ns1/");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        return send(request.build());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(vault.address() + path);
    }
}
