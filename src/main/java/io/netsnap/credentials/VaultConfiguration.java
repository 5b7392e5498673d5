package io.netsnap.credentials;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds {@code netsnap.vault.*} and supplies the default token source (token file, else {@code VAULT_TOKEN}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(VaultProperties.class)
class VaultConfiguration {

    @Bean
    VaultTokenSource vaultTokenSource(VaultProperties properties) {
        return VaultTokenSource.fileOrEnvironment(properties.tokenFile());
    }
}
