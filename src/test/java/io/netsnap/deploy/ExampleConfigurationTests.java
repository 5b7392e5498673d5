package io.netsnap.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netsnap.archive.ArchiveProperties;
import io.netsnap.backup.BackupProperties;
import io.netsnap.credentials.VaultProperties;
import io.netsnap.device.SshProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/** {@code deploy/application.yaml}, the example for {@code netsnap run}: every key a setting, and it binds. */
class ExampleConfigurationTests {

    private static final Path EXAMPLE = DeployFiles.DEPLOY.resolve("application.yaml");

    @Test
    void everyKeyIsASetting() throws IOException {
        SettingKeys keys = new SettingKeys();
        List<String> names = new ArrayList<>();
        for (var source : new YamlPropertySourceLoader().load("example", new FileSystemResource(EXAMPLE))) {
            names.addAll(List.of(((EnumerablePropertySource<?>) source).getPropertyNames()));
        }
        assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(keys.isKey(name)).as(name).isTrue());
    }

    @Test
    void bindsToNetsnapsSettingsForRemoteMode() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        new YamlPropertySourceLoader().load("example", new FileSystemResource(EXAMPLE))
                .forEach(source -> environment.getPropertySources().addLast(source));
        Binder binder = Binder.get(environment);

        VaultProperties vault = binder.bind("netsnap.vault", VaultProperties.class).get();
        assertThat(vault.address()).isEqualTo(URI.create("https://vault.example.net:8200"));
        assertThat(vault.tokenFile()).isNotNull();
        BackupProperties backup = binder.bind("netsnap", BackupProperties.class).get();
        assertThat(backup.inventory()).isEqualTo(Path.of("/etc/netsnap/inventory.yaml"));
        assertThat(binder.bind("netsnap.archive", ArchiveProperties.class).get().root())
                .isEqualTo(Path.of("/var/lib/netsnap"));
        assertThat(binder.bind("netsnap.ssh", SshProperties.class).get().hostKeyPolicy()).hasToString("TOFU");
        assertThat(environment.getProperty("camunda.client.grpc-address")).startsWith("http");
    }
}
