package io.netsnap.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.netsnap.lab.VaultDouble;
import io.netsnap.support.LeakScanner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * AppRole and Kubernetes login, token renewal and re-login, against the Vault double. Time moves only when a test
 * advances the double's clock, which netsnap reads too; Awaitility waits for the renewal timer to act, never for time.
 */
@ExtendWith(OutputCaptureExtension.class)
class VaultLoginTests {

    private static final String ROOT = "hvs.root-Token-Secret-0";
    private static final String PASSWORD = "pw-Secret-Login-1";
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.service-account-Secret-2";
    /** The renewal timer looks this often; time itself only moves when the test advances the Vault double's clock. */
    private static final Duration TICK = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private VaultDouble vault;
    private final List<VaultCredentialsProvider> providers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        vault = VaultDouble.start(ROOT);
        vault.putSecret("secret", "network/r1", Map.of("username", "admin", "password", PASSWORD));
    }

    @AfterEach
    void stop() {
        providers.forEach(VaultCredentialsProvider::close);
        vault.close();
    }

    @Test
    void appRoleLogsInOnceWithTheSecretIdFromAFileAndReusesTheToken(CapturedOutput output) throws IOException {
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofHours(1), null);
        VaultCredentialsProvider provider = provider(appRole(role, "approle", Duration.ofMinutes(5)), Map.of());

        provider.check();
        assertThat(provider.forPath("network/r1").password()).isEqualTo(PASSWORD);
        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");

        assertThat(vault.logins()).isEqualTo(1);
        assertThat(vault.requestLog()).containsExactly("POST /v1/auth/approle/login",
                "GET /v1/auth/token/lookup-self", "GET /v1/secret/data/network/r1", "GET /v1/secret/data/network/r1");
        assertNoLeak(output.getAll());
    }

    @Test
    void appRoleTakesTheSecretIdFromTheEnvironmentOnACustomMount() {
        VaultDouble.AppRoleLogin role = vault.addAppRole("netsnap-approle", "netsnap", List.of("netsnap"),
                Duration.ofHours(1), null);
        VaultProperties properties = properties(VaultProperties.Auth.APPROLE, "auth/netsnap-approle",
                new VaultProperties.AppRole(role.roleId(), null, "NETSNAP_SECRET_ID"), null, Duration.ofMinutes(5));

        VaultCredentialsProvider provider = provider(properties, Map.of("NETSNAP_SECRET_ID", role.secretId()));

        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");
        assertThat(vault.requestLog()).startsWith("POST /v1/auth/netsnap-approle/login");
    }

    @Test
    void aBadSecretIdIsAOneLineRefusalThatQuotesNoSecret(CapturedOutput output) throws IOException {
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofHours(1), null);
        vault.revokeSecretIds(role.roleId());
        VaultCredentialsProvider provider = provider(appRole(role, "approle", Duration.ofMinutes(5)), Map.of());

        CredentialsUnavailableException e = catchThrowableOfType(CredentialsUnavailableException.class,
                provider::check);

        assertThat(e.getMessage()).isEqualTo("Vault refused logging in with approle at auth/approle "
                + "(HTTP 400: invalid role-id or secret-id)");
        assertThat(e.transientFault()).isFalse();
        assertNoLeak(e.getMessage() + output.getAll());
    }

    @Test
    void kubernetesLogsInWithTheServiceAccountTokenFile(CapturedOutput output) throws IOException {
        vault.addKubernetesRole("kubernetes", "netsnap", JWT, List.of("netsnap"), Duration.ofHours(1), null);
        Path jwtFile = Files.writeString(dir.resolve("token"), JWT);
        VaultCredentialsProvider provider = provider(properties(VaultProperties.Auth.KUBERNETES, null, null,
                new VaultProperties.Kubernetes("netsnap", jwtFile), Duration.ofMinutes(5)), Map.of());

        assertThat(provider.forPath("network/r1").password()).isEqualTo(PASSWORD);
        assertThat(vault.requestLog()).startsWith("POST /v1/auth/kubernetes/login");
        assertNoLeak(output.getAll());
    }

    @Test
    void aServiceAccountTokenTheRoleRefusesNamesTheRoleOnly() throws IOException {
        vault.addKubernetesRole("kubernetes", "netsnap", JWT, List.of("netsnap"), Duration.ofHours(1), null);
        Path jwtFile = Files.writeString(dir.resolve("token"), JWT + "-other");
        VaultCredentialsProvider provider = provider(properties(VaultProperties.Auth.KUBERNETES, null, null,
                new VaultProperties.Kubernetes("netsnap", jwtFile), Duration.ofMinutes(5)), Map.of());

        CredentialsUnavailableException e = catchThrowableOfType(CredentialsUnavailableException.class,
                provider::check);

        assertThat(e.getMessage()).isEqualTo("Vault refused logging in with kubernetes at auth/kubernetes "
                + "(HTTP 403: role netsnap does not accept the service-account token)");
        assertNoLeak(e.getMessage());
    }

    @Test
    void anAppRoleTokenIsRenewedOnTheTimerAfterTwoThirdsOfItsTtlAndOutlivesIt() throws IOException {
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofHours(1), null);
        VaultCredentialsProvider provider = provider(appRole(role, "approle", Duration.ofMinutes(5)), Map.of());
        provider.check();

        vault.advance(Duration.ofMinutes(30));
        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");
        assertThat(vault.renewals()).as("half the TTL left: not due yet").isZero();

        vault.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(30)).until(() -> vault.renewals() >= 1);
        vault.advance(Duration.ofMinutes(30));

        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");
        assertThat(vault.servedBeyondInitialTtl()).isPositive();
        assertThat(vault.logins()).as("renewed, never logged in again").isEqualTo(1);
    }

    @Test
    void whenRenewalIsCappedAtTheMaxTtlItLogsInAgain() throws IOException {
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofHours(1), Duration.ofMinutes(90));
        VaultCredentialsProvider provider = provider(appRole(role, "approle", Duration.ofMinutes(5)), Map.of());
        provider.check();

        vault.advance(Duration.ofMinutes(41));
        await().atMost(Duration.ofSeconds(30)).until(() -> vault.renewals() >= 1);
        // Capped at the max TTL: 49 min left, due again at a third of that; the renewal then yields less than
        // the margin, so netsnap logs in again.
        vault.advance(Duration.ofMinutes(35));
        await().atMost(Duration.ofSeconds(30)).until(() -> vault.logins() >= 2);

        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");
        assertThat(vault.renewals()).isEqualTo(2);
    }

    @Test
    void aRenewableTokenFromTheTokenFileIsRenewedOnceALookupToldItsTtl() throws IOException {
        String token = vault.createToken(Duration.ofHours(1));
        VaultCredentialsProvider provider = tokenFileProvider(token);

        vault.advance(Duration.ofMinutes(41));
        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");
        assertThat(vault.renewals()).as("TTL unknown before a lookup-self").isZero();

        provider.check(); // 19 min left: due after two thirds of that
        vault.advance(Duration.ofMinutes(13));
        await().atMost(Duration.ofSeconds(30)).until(() -> vault.renewals() >= 1);
        vault.advance(Duration.ofMinutes(30));

        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");
        assertThat(vault.servedBeyondInitialTtl()).isPositive();
    }

    @Test
    void aReadThatMeetsAnExpiredAppRoleTokenLogsInOnceAndRetries(CapturedOutput output) throws IOException {
        VaultDouble.AppRoleLogin role = vault.addAppRole("approle", "netsnap", List.of("netsnap"),
                Duration.ofHours(1), null);
        // netsnap's clock stands still while Vault's runs past the TTL: a renewal that came too late.
        VaultCredentialsProvider provider = provider(appRole(role, "approle", Duration.ofMinutes(5)), Map.of(),
                Clock.fixed(vault.clock().instant(), ZoneOffset.UTC));
        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");

        vault.advance(Duration.ofMinutes(61));

        assertThat(provider.forPath("network/r1").password()).isEqualTo(PASSWORD);
        assertThat(vault.logins()).isEqualTo(2);
        assertThat(vault.requestLog()).containsExactly("POST /v1/auth/approle/login", "GET /v1/secret/data/network/r1",
                "GET /v1/secret/data/network/r1", "POST /v1/auth/approle/login", "GET /v1/secret/data/network/r1");
        assertThat(output.getAll()).contains("Vault refused the token reading secret/data/network/r1 (HTTP 403): "
                + "retrying once with a new token");
        assertNoLeak(output.getAll());
    }

    @Test
    void aReadThatMeetsAnExpiredKubernetesTokenLogsInOnceAndRetries() throws IOException {
        vault.addKubernetesRole("kubernetes", "netsnap", JWT, List.of("netsnap"), Duration.ofHours(1), null);
        Path jwtFile = Files.writeString(dir.resolve("token"), JWT);
        VaultCredentialsProvider provider = provider(properties(VaultProperties.Auth.KUBERNETES, null, null,
                new VaultProperties.Kubernetes("netsnap", jwtFile), Duration.ofMinutes(5)), Map.of(),
                Clock.fixed(vault.clock().instant(), ZoneOffset.UTC));
        assertThat(provider.forPath("network/r1").username()).isEqualTo("admin");

        vault.advance(Duration.ofMinutes(61));

        assertThat(provider.forPath("network/r1").password()).isEqualTo(PASSWORD);
        assertThat(vault.logins()).isEqualTo(2);
    }

    @Test
    void aRefusedReadIsRetriedOnceWithTheTokenAVaultAgentRotatedMeanwhile() {
        String first = vault.createToken(Duration.ofHours(1));
        String second = vault.createToken(Duration.ofHours(1));
        AtomicInteger reads = new AtomicInteger();
        // The agent rewrites the file right after netsnap read it for the first time.
        VaultTokenSource rotating = () -> Optional.of(reads.getAndIncrement() == 0 ? first : second);
        VaultCredentialsProvider provider = new VaultCredentialsProvider(new VaultProperties(
                URI.create(vault.address()), "secret", null, null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                null), rotating, Map.<String, String>of()::get, vault.clock(), TICK);
        providers.add(provider);
        vault.expireToken(first);

        assertThat(provider.forPath("network/r1").password()).isEqualTo(PASSWORD);
        assertThat(vault.requestLog()).containsExactly("GET /v1/secret/data/network/r1",
                "GET /v1/secret/data/network/r1");
    }

    @Test
    void aStaticTokenThatExpiredIsNotRetried() throws IOException {
        String token = vault.createToken(Duration.ofHours(1));
        VaultCredentialsProvider provider = tokenFileProvider(token);
        vault.advance(Duration.ofMinutes(61));

        CredentialsUnavailableException e = catchThrowableOfType(CredentialsUnavailableException.class,
                () -> provider.forPath("network/r1"));

        assertThat(e.getMessage()).isEqualTo(
                "Vault refused the token (permission denied or invalid token) reading secret/data/network/r1");
        assertThat(vault.requestLog()).containsExactly("GET /v1/secret/data/network/r1");
    }

    @Test
    void aTokenIsDueAfterTwoThirdsOfItsLeaseButNeverLaterThanRenewBelowBeforeExpiry() {
        Duration renewBelow = Duration.ofMinutes(5);
        assertThat(VaultLogin.margin(Duration.ofHours(1), renewBelow)).isEqualTo(Duration.ofMinutes(20));
        assertThat(VaultLogin.margin(Duration.ofHours(768), renewBelow)).isEqualTo(Duration.ofHours(256));
        assertThat(VaultLogin.margin(Duration.ofMinutes(12), renewBelow)).as("floor").isEqualTo(renewBelow);
        assertThat(VaultLogin.margin(Duration.ofSeconds(2), renewBelow)).as("half of a short lease")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anExpiredTokenFailsTheCheckWithAClearMessage() throws IOException {
        String token = vault.createToken();
        VaultCredentialsProvider provider = tokenFileProvider(token);
        vault.expireToken(token);

        CredentialsUnavailableException e = catchThrowableOfType(CredentialsUnavailableException.class,
                provider::check);

        assertThat(e.getMessage()).startsWith("Vault token invalid or expired").doesNotContain(token);
    }

    @Test
    void authSettingsAreValidatedAndBound() throws IOException {
        assertThatThrownBy(() -> properties(VaultProperties.Auth.APPROLE, null, null, null, Duration.ofMinutes(5)))
                .hasMessageContaining("netsnap.vault.approle.role-id");
        assertThatThrownBy(() -> properties(VaultProperties.Auth.KUBERNETES, null, null, null, Duration.ofMinutes(5)))
                .hasMessageContaining("netsnap.vault.kubernetes.role");

        Path secretIdFile = Files.writeString(dir.resolve("secret-id"), "x");
        new ApplicationContextRunner().withUserConfiguration(VaultConfiguration.class)
                .withPropertyValues("netsnap.vault.auth=approle", "netsnap.vault.approle.role-id=r-1",
                        "netsnap.vault.approle.secret-id-file=" + secretIdFile, "netsnap.vault.renew-below=2m")
                .run(context -> {
                    VaultProperties bound = context.getBean(VaultProperties.class);
                    assertThat(bound.auth()).isEqualTo(VaultProperties.Auth.APPROLE);
                    assertThat(bound.authMount()).isEqualTo("approle");
                    assertThat(bound.approle().secretIdFile()).isEqualTo(secretIdFile);
                    assertThat(bound.renewBelow()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(bound.kubernetes().jwtFile())
                            .isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
                });
        new ApplicationContextRunner().withUserConfiguration(VaultConfiguration.class)
                .withPropertyValues("netsnap.vault.auth=kubernetes")
                .run(context -> assertThat(context).hasFailed());
    }

    private VaultProperties appRole(VaultDouble.AppRoleLogin role, String mount, Duration renewBelow)
            throws IOException {
        Path secretIdFile = Files.writeString(dir.resolve("secret-id"), role.secretId() + "\n");
        return properties(VaultProperties.Auth.APPROLE, mount,
                new VaultProperties.AppRole(role.roleId(), secretIdFile, null), null, renewBelow);
    }

    private VaultProperties properties(VaultProperties.Auth auth, String mount, VaultProperties.AppRole approle,
                                       VaultProperties.Kubernetes kubernetes, Duration renewBelow) {
        return new VaultProperties(URI.create(vault.address()), "secret", null, null, Duration.ofSeconds(5),
                Duration.ofSeconds(30), null, auth, mount, approle, kubernetes, renewBelow);
    }

    private VaultCredentialsProvider tokenFileProvider(String token) throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("vault-token"), token);
        VaultCredentialsProvider provider = new VaultCredentialsProvider(new VaultProperties(
                URI.create(vault.address()), "secret", null, tokenFile, Duration.ofSeconds(5), Duration.ofSeconds(30),
                null), VaultTokenSource.fileOrEnvironment(tokenFile), Map.<String, String>of()::get, vault.clock(),
                TICK);
        providers.add(provider);
        return provider;
    }

    /** netsnap on the Vault double's clock, so that the test moves both. */
    private VaultCredentialsProvider provider(VaultProperties properties, Map<String, String> environment) {
        return provider(properties, environment, vault.clock());
    }

    private VaultCredentialsProvider provider(VaultProperties properties, Map<String, String> environment,
                                              Clock clock) {
        VaultCredentialsProvider provider = new VaultCredentialsProvider(properties, Optional::empty,
                environment::get, clock, TICK);
        providers.add(provider);
        return provider;
    }

    private void assertNoLeak(String text) {
        Set<String> secrets = new HashSet<>(vault.credentialsHandedOut());
        secrets.add(PASSWORD);
        new LeakScanner(secrets).assertClean("messages and log", text);
    }
}
