package io.netsnap.deploy;

import static io.netsnap.deploy.DeployFiles.at;
import static io.netsnap.deploy.DeployFiles.list;
import static io.netsnap.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/kubernetes/}, checked offline: every object well formed, the Deployment's probes on Actuator's
 * health groups at the management port, a non-root pod, Vault through its Kubernetes auth method, and no Secret
 * object or environment value carrying a credential.
 */
class KubernetesManifestsTests {

    private static final Path DIR = DeployFiles.DEPLOY.resolve("kubernetes");

    private final Map<Path, List<Map<String, Object>>> files = load();
    private final Map<String, Object> deployment = only("Deployment");
    private final Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
    private final Map<String, Object> container = map(list(pod.get("containers")).get(0));

    @Test
    void everyObjectHasApiVersionKindNameAndTheNamespace() {
        objects().forEach(object -> {
            assertThat(object).containsKeys("apiVersion", "kind", "metadata");
            assertThat((String) at(object, "metadata", "name")).isNotBlank();
            if (!"Namespace".equals(object.get("kind"))) {
                assertThat(at(object, "metadata", "namespace")).as(object.get("kind") + " namespace")
                        .isEqualTo("netsnap");
            }
        });
    }

    @Test
    void theKustomizationListsEveryManifestAndNothingElse() throws IOException {
        Map<String, Object> kustomization = DeployFiles.document(DIR.resolve("kustomization.yaml"));
        List<String> listed = list(kustomization.get("resources")).stream().map(String::valueOf).toList();
        try (Stream<Path> all = Files.list(DIR)) {
            assertThat(listed).containsExactlyInAnyOrderElementsOf(all.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList());
        }
    }

    @Test
    void oneReplicaReplacedNotRolled() {
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(at(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(map(at(deployment, "spec", "selector", "matchLabels")).entrySet())
                .isSubsetOf(map(at(deployment, "spec", "template", "metadata", "labels")).entrySet());
    }

    @Test
    void probesAskActuatorsHealthGroupsOnTheManagementPort() {
        Map<String, String> env = env();
        int managementPort = Integer.parseInt(env.get("MANAGEMENT_SERVER_PORT"));
        assertThat(env).containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true")
                .containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0");
        Object portName = list(container.get("ports")).stream().map(DeployFiles::map)
                .filter(p -> p.get("containerPort").equals(managementPort)).map(p -> p.get("name")).findFirst()
                .orElseThrow();
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isIn(portName, managementPort);
        }
        Map<String, Object> service = only("Service");
        assertThat(list(at(service, "spec", "ports"))).map(DeployFiles::map)
                .allSatisfy(p -> assertThat(p.get("targetPort")).isIn(portName, managementPort));
    }

    @Test
    void runsAsNonRootWithAReadOnlyRootAndNoPrivileges() {
        assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true);
        assertThat((Integer) at(pod, "securityContext", "runAsUser")).isPositive();
        Map<String, Object> security = map(container.get("securityContext"));
        assertThat(security).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(list(at(security, "capabilities", "drop"))).contains("ALL");
        assertThat(security.get("privileged")).isNotEqualTo(true);
        assertThat(pod.get("hostNetwork")).isNotEqualTo(true);
        assertThat(map(at(container, "resources", "requests"))).containsKeys("cpu", "memory");
        assertThat(map(at(container, "resources", "limits"))).containsKey("memory");
    }

    @Test
    void inventoryFromTheConfigMapArchiveOnTheClaimAndATmpToWriteIn() {
        Map<String, Object> volumes = new LinkedHashMap<>();
        list(pod.get("volumes")).stream().map(DeployFiles::map).forEach(v -> volumes.put((String) v.get("name"), v));
        Map<String, String> mounts = new LinkedHashMap<>();
        list(container.get("volumeMounts")).stream().map(DeployFiles::map)
                .forEach(m -> mounts.put((String) m.get("mountPath"), (String) m.get("name")));
        Map<String, String> env = env();

        String inventoryVolume = mounts.get(env.get("NETSNAP_INVENTORY"));
        Object configMap = at(map(volumes.get(inventoryVolume)), "configMap", "name");
        assertThat(configMap).isEqualTo(at(only("ConfigMap"), "metadata", "name"));
        assertThat(map(at(only("ConfigMap"), "data"))).containsKey("inventory.yaml");

        String archiveVolume = mounts.get(env.get("NETSNAP_ARCHIVE_ROOT"));
        assertThat(at(map(volumes.get(archiveVolume)), "persistentVolumeClaim", "claimName"))
                .isEqualTo(at(only("PersistentVolumeClaim"), "metadata", "name"));
        assertThat(map(volumes.get(mounts.get("/tmp")))).containsKey("emptyDir");
    }

    @Test
    void vaultTokenComesFromKubernetesAuthWithAProjectedServiceAccountToken() {
        Map<String, String> env = env();
        assertThat(env).containsEntry("NETSNAP_VAULT_AUTH", "kubernetes").containsKey("NETSNAP_VAULT_KUBERNETES_ROLE");
        Path jwt = Path.of(env.get("NETSNAP_VAULT_KUBERNETES_JWTFILE"));
        Map<String, Object> mount = list(container.get("volumeMounts")).stream().map(DeployFiles::map)
                .filter(m -> m.get("mountPath").equals(jwt.getParent().toString())).findFirst().orElseThrow();
        Map<String, Object> volume = list(pod.get("volumes")).stream().map(DeployFiles::map)
                .filter(v -> v.get("name").equals(mount.get("name"))).findFirst().orElseThrow();
        Map<String, Object> token = map(map(list(at(volume, "projected", "sources")).get(0))
                .get("serviceAccountToken"));
        assertThat(token).containsEntry("path", jwt.getFileName().toString()).containsKey("audience");
        assertThat(pod).containsEntry("serviceAccountName", at(only("ServiceAccount"), "metadata", "name"));
    }

    @Test
    void everyEnvironmentNameIsASettingOfThisApplication() {
        SettingKeys keys = new SettingKeys();
        assertThat(env().keySet()).allSatisfy(name -> assertThat(
                name.equals("JAVA_TOOL_OPTIONS") || keys.isEnvironmentName(name))
                .as("%s binds to a setting", name).isTrue());
    }

    @Test
    void noSecretObjectAndNoCredentialInTheEnvironment() {
        assertThat(objects()).noneMatch(o -> "Secret".equals(o.get("kind")));
        for (Object entry : list(container.get("env"))) {
            Map<String, Object> variable = map(entry);
            assertThat(DeployFiles.namesASecret((String) variable.get("name"))).as("%s", variable.get("name"))
                    .isFalse();
            assertThat(at(variable, "valueFrom", "secretKeyRef")).as("%s", variable.get("name")).isNull();
        }
        assertThat(container.get("envFrom")).isNull();
        files.keySet().forEach(file -> assertThat(DeployFiles.read(file).toLowerCase()).as(file.toString())
                .doesNotContain("password"));
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        list(container.get("env")).stream().map(DeployFiles::map)
                .forEach(v -> env.put((String) v.get("name"), String.valueOf(v.get("value"))));
        return env;
    }

    private List<Map<String, Object>> objects() {
        return files.entrySet().stream().filter(e -> !e.getKey().endsWith("kustomization.yaml"))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    private Map<String, Object> only(String kind) {
        List<Map<String, Object>> found = objects().stream().filter(o -> kind.equals(o.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static Map<Path, List<Map<String, Object>>> load() {
        Map<Path, List<Map<String, Object>>> files = new LinkedHashMap<>();
        try (Stream<Path> all = Files.list(DIR)) {
            for (Path file : new ArrayList<>(all.filter(p -> p.toString().endsWith(".yaml")).sorted().toList())) {
                files.put(file, DeployFiles.documents(file));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files;
    }
}
