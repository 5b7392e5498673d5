package io.netsnap.deploy;

import static io.netsnap.deploy.DeployFiles.at;
import static io.netsnap.deploy.DeployFiles.list;
import static io.netsnap.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/compose/compose.yaml}, checked offline (no Docker engine here): its structure, that netsnap is set
 * up for remote mode with settings that bind, and that nothing in it weakens the host or carries a secret.
 */
class ComposeRecipeTests {

    private static final Path COMPOSE = DeployFiles.DEPLOY.resolve("compose/compose.yaml");
    private final Map<String, Object> compose = DeployFiles.document(COMPOSE);
    private final Map<String, Object> services = map(compose.get("services"));

    @Test
    void saysFirstThatCamundasImagesArePulledUnderTheUsersOwnLicence() {
        String header = DeployFiles.read(COMPOSE).lines().takeWhile(line -> line.startsWith("#") || line.isBlank())
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(header).contains("camunda/camunda").containsIgnoringCase("licence")
                .contains("not an open-source licence");
    }

    @Test
    void runsCamunda88ElasticsearchVaultAndNetsnapEachFromANamedImage() {
        assertThat(services).containsKeys("orchestration", "elasticsearch", "vault", "netsnap");
        services.forEach((name, service) -> {
            assertThat((String) map(service).get("image")).as(name + " image").isNotBlank()
                    .doesNotContain("@sha256:");
        });
        assertThat((String) map(services.get("orchestration")).get("image")).startsWith("camunda/camunda:${");
        assertThat((String) map(services.get("vault")).get("image")).startsWith("hashicorp/vault:");
    }

    @Test
    void nothingIsPrivilegedAndEveryPublishedPortIsOnLoopback() {
        services.forEach((name, service) -> {
            Map<String, Object> s = map(service);
            assertThat(s.get("privileged")).as(name + " privileged").isNotEqualTo(true);
            assertThat(s.get("network_mode")).as(name + " network_mode").isNotEqualTo("host");
            assertThat(s.get("pid")).as(name + " pid").isNull();
            for (Object port : list(s.get("ports"))) {
                assertThat(String.valueOf(port)).as(name + " port").startsWith("127.0.0.1:");
            }
        });
    }

    @Test
    void vaultIsNotInDevModeAndKeepsItsDataOnAVolume() {
        Map<String, Object> vault = map(services.get("vault"));
        assertThat(list(vault.get("command"))).contains("server").doesNotContain("-dev", "server -dev");
        assertThat(map(vault.get("environment"))).doesNotContainKeys("VAULT_DEV_ROOT_TOKEN_ID",
                "VAULT_DEV_LISTEN_ADDRESS");
        assertThat(list(vault.get("volumes"))).anyMatch(v -> String.valueOf(v).endsWith(":/vault/file"))
                .anyMatch(v -> String.valueOf(v).equals("./vault.hcl:/vault/config/vault.hcl:ro"));
        assertThat(DeployFiles.read(DeployFiles.DEPLOY.resolve("compose/vault.hcl")))
                .contains("storage \"file\"").doesNotContain("inmem");
    }

    @Test
    void netsnapRunsInRemoteModeAgainstTheOrchestrationClustersGateway() {
        Map<String, Object> env = map(at(services, "netsnap", "environment"));
        assertThat(env).containsEntry("NETSNAP_ENGINE_MODE", "remote")
                .containsEntry("CAMUNDA_CLIENT_GRPCADDRESS", "http://orchestration:26500");
        assertThat(list(at(services, "orchestration", "ports"))).anyMatch(p -> String.valueOf(p).endsWith(":26500"));
        assertThat(map(at(services, "netsnap", "depends_on"))).containsKey("orchestration");
    }

    @Test
    void everyNetsnapEnvironmentNameIsASettingOfThisApplication() {
        SettingKeys keys = new SettingKeys();
        Map<String, Object> env = map(at(services, "netsnap", "environment"));
        assertThat(env.keySet()).isNotEmpty().allSatisfy(name -> assertThat(
                name.equals("JAVA_TOOL_OPTIONS") || keys.isEnvironmentName(name))
                .as("%s binds to a setting", name).isTrue());
    }

    @Test
    void inventoryIsReadOnlyArchiveIsAVolumeAndTheSecretIdIsAFile() {
        Map<String, Object> netsnap = map(services.get("netsnap"));
        Map<String, Object> env = map(netsnap.get("environment"));
        assertThat(list(netsnap.get("volumes"))).map(String::valueOf)
                .anyMatch(v -> v.endsWith(":" + env.get("NETSNAP_INVENTORY") + ":ro"))
                .anyMatch(v -> v.equals("netsnap-archive:" + env.get("NETSNAP_ARCHIVE_ROOT")));
        assertThat(map(compose.get("volumes"))).containsKey("netsnap-archive");
        assertThat(env).containsEntry("NETSNAP_VAULT_AUTH", "approle")
                .containsEntry("NETSNAP_VAULT_APPROLE_SECRETIDFILE", "/run/secrets/vault-secret-id");
        assertThat(list(netsnap.get("secrets"))).contains("vault-secret-id");
        assertThat(map(at(compose, "secrets", "vault-secret-id"))).containsKey("file");
        assertThat(netsnap.get("read_only")).isEqualTo(true);
        assertThat(list(netsnap.get("cap_drop"))).contains("ALL");
    }

    @Test
    void theManagementPortIsPublishedForHealth() {
        Map<String, Object> env = map(at(services, "netsnap", "environment"));
        String port = String.valueOf(env.get("MANAGEMENT_SERVER_PORT"));
        assertThat(port).isEqualTo("9464");
        assertThat(env).containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0");
        assertThat(list(at(services, "netsnap", "ports"))).contains("127.0.0.1:" + port + ":" + port);
    }

    @Test
    void noEnvironmentVariableCarriesASecret() {
        services.forEach((name, service) -> map(map(service).get("environment")).forEach((key, value) ->
                assertThat(DeployFiles.namesASecret(key)).as("%s: %s holds a secret in the file", name, key)
                        .isFalse()));
        assertThat(DeployFiles.read(COMPOSE).toLowerCase()).doesNotContain("password");
    }
}
