package io.netsnap.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy/netsnap.service}: its sections and hardening, and systemd's own verdict where systemd is installed. */
class SystemdUnitTests {

    private static final Path UNIT = DeployFiles.DEPLOY.resolve("netsnap.service");

    @Test
    void runsNetsnapRunUnprivilegedWithTheHardeningItNeeds() {
        Map<String, Map<String, String>> unit = parse(DeployFiles.read(UNIT));
        assertThat(unit).containsOnlyKeys("Unit", "Service", "Install");
        Map<String, String> service = unit.get("Service");
        assertThat(service.get("ExecStart")).endsWith(" run");
        assertThat(service.get("User")).isNotBlank().isNotEqualTo("root");
        assertThat(service).containsEntry("NoNewPrivileges", "true").containsEntry("ProtectSystem", "strict")
                .containsEntry("ReadWritePaths", "/var/lib/netsnap").containsEntry("Restart", "on-failure");
        assertThat(service.get("Environment")).doesNotContainIgnoringCase("password")
                .doesNotContain("VAULT_TOKEN=");
        assertThat(unit.get("Install")).containsEntry("WantedBy", "multi-user.target");
    }

    @Test
    void systemdAnalyzeVerifyFindsNothing(@TempDir Path dir) throws IOException, InterruptedException {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed (Debian package systemd)");
        // systemd checks that ExecStart's program exists: point it at this JVM's java, keep everything else
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path copy = dir.resolve("netsnap.service");
        Files.writeString(copy, DeployFiles.read(UNIT).replace("/usr/bin/java ", java + " "));
        Process process = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output.lines().filter(line -> line.contains("netsnap.service"))).as(output).isEmpty();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static Map<String, Map<String, String>> parse(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : text.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                current = new LinkedHashMap<>();
                assertThat(sections.put(trimmed.substring(1, trimmed.length() - 1), current)).isNull();
            } else {
                assertThat(current).as("a key before any section: " + line).isNotNull();
                int equals = trimmed.indexOf('=');
                assertThat(equals).as("not a key=value line: " + line).isPositive();
                current.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
            }
        }
        return sections;
    }
}
