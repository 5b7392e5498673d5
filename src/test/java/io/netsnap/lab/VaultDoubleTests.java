package io.netsnap.lab;

import static org.assertj.core.api.Assertions.assertThat;

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

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(vault.address() + path);
    }
}
