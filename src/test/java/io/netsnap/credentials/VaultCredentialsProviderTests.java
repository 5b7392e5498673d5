package io.netsnap.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netsnap.lab.VaultDouble;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class VaultCredentialsProviderTests {

    private static final String ROOT = "hvs.root-Token-Secret-0";
    private static final String PASSWORD = "pw-Secret-1";
    private static final String ENABLE = "en-Secret-2";
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nkey-Secret-3\n-----END OPENSSH PRIVATE KEY-----\n";
    private static final List<String> SECRETS = List.of(ROOT, PASSWORD, ENABLE, "key-Secret-3", "hvs.wrong-Token-9");

    private VaultDouble vault;
    private final List<VaultCredentialsProvider> providers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        vault = VaultDouble.start(ROOT);
        vault.putSecret("secret", "network/r1",
                Map.of("username", "admin", "password", PASSWORD, "enable", ENABLE));
        vault.putSecret("secret", "network/r2", Map.of("username", "backup", "password", PASSWORD));
        vault.putSecret("secret", "network/keyonly", Map.of("username", "backup", "ssh_private_key", KEY));
        vault.putSecret("secret", "network/nopass", Map.of("username", "admin", "enable", ENABLE));
        vault.putSecret("secret", "network/nouser", Map.of("password", PASSWORD));
    }

    @AfterEach
    void stop() {
        providers.forEach(VaultCredentialsProvider::close);
        vault.close();
    }

    @Test
    void readsCredentialsFromKv2() {
        Credentials credentials = provider(vault.address(), ROOT).forPath("network/r1");

        assertThat(credentials).isEqualTo(new Credentials("admin", PASSWORD, ENABLE, null));
        assertThat(vault.requestLog()).containsExactly("GET /v1/secret/data/network/r1");
    }

    @Test
    void enableAndPasswordAreOptionalWhenTheOtherMaterialIsThere() {
        VaultCredentialsProvider provider = provider(vault.address(), ROOT);

        assertThat(provider.forPath("network/r2")).isEqualTo(new Credentials("backup", PASSWORD, null, null));
        assertThat(provider.forPath("/network/keyonly")).isEqualTo(new Credentials("backup", null, null, KEY));
    }

    @Test
    void credentialsToStringShowsNoSecret() {
        Credentials withPassword = provider(vault.address(), ROOT).forPath("network/r1");
        Credentials withKey = provider(vault.address(), ROOT).forPath("network/keyonly");

        assertNoSecretIn(withPassword.toString());
        assertNoSecretIn(withKey.toString());
    }

    @Test
    void wrongTokenIsAPermanentRefusalThatDoesNotQuoteTheToken() {
        CredentialsUnavailableException e = failure(() -> provider(vault.address(), "hvs.wrong-Token-9")
                .forPath("network/r1"));

        assertThat(e.getMessage()).isEqualTo(
                "Vault refused the token (permission denied or invalid token) reading secret/data/network/r1");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void missingPathSaysSo() {
        CredentialsUnavailableException e = failure(() -> provider(vault.address(), ROOT).forPath("network/nope"));

        assertThat(e.getMessage()).isEqualTo("no secret at secret/network/nope");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void softDeletedSecretSaysItWasDeleted() {
        vault.deleteLatest("secret", "network/r1");

        CredentialsUnavailableException e = failure(() -> provider(vault.address(), ROOT).forPath("network/r1"));

        assertThat(e.getMessage()).startsWith("no secret at secret/network/r1 (its latest version was deleted at ");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void unknownMountIsNamed() {
        VaultProperties properties = properties(vault.address(), "nomount", null, Duration.ofSeconds(30));

        CredentialsUnavailableException e = failure(() -> provider(properties, ROOT).forPath("network/r1"));

        assertThat(e.getMessage()).isEqualTo("no secret at nomount/network/r1: Vault at " + vault.address()
                + " has no secrets engine mounted at 'nomount'");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void mountDeeperThanOneSegmentAndNamespaceAreHonoured() {
        vault.putSecret("kv/netsnap", "network/r1", Map.of("username", "deep", "password", PASSWORD));
        VaultProperties properties = properties(vault.address(), "/kv/netsnap/", "ns1/", Duration.ofSeconds(30));

        assertThat(provider(properties, ROOT).forPath("network/r1").username()).isEqualTo("deep");
        assertThat(vault.requestLog()).containsExactly("GET /v1/kv/netsnap/data/network/r1");
        assertThat(vault.namespacesSeen()).containsExactly("ns1/");
    }

    @Test
    void secretWithoutPasswordOrKeyIsRejected() {
        CredentialsUnavailableException e = failure(() -> provider(vault.address(), ROOT).forPath("network/nopass"));

        assertThat(e.getMessage()).isEqualTo("secret at secret/network/nopass has no 'password' or 'ssh_private_key'");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void secretWithoutUsernameIsRejected() {
        CredentialsUnavailableException e = failure(() -> provider(vault.address(), ROOT).forPath("network/nouser"));

        assertThat(e.getMessage()).isEqualTo("secret at secret/network/nouser has no 'username'");
        assertThat(e.transientFault()).isFalse();
    }

    @Test
    void vaultDownIsTransientAndNamesTheAddress() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }

        CredentialsUnavailableException read = failure(() -> provider(closed, ROOT).forPath("network/r1"));
        CredentialsUnavailableException check = failure(() -> provider(closed, ROOT).check());

        assertThat(read.getMessage()).isEqualTo("cannot connect to Vault at " + closed
                + " (connection refused or unreachable) reading secret/network/r1");
        assertThat(read.transientFault()).isTrue();
        assertThat(check.getMessage()).contains(closed);
        assertThat(check.transientFault()).isTrue();
    }

    @Test
    void vaultThatNeverAnswersTimesOutAsTransient() throws IOException {
        // The kernel completes the TCP handshake into the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0)) {
            String address = "http://127.0.0.1:" + silent.getLocalPort();
            VaultProperties properties = properties(address, "secret", null, Duration.ofMillis(500));

            CredentialsUnavailableException e = failure(() -> provider(properties, ROOT).forPath("network/r1"));

            assertThat(e.getMessage()).isEqualTo("Vault at " + address
                    + " did not answer within 1s (read timeout) reading secret/network/r1");
            assertThat(e.transientFault()).isTrue();
        }
    }

    @Test
    void sealedVaultIsTransient() {
        vault.setSealed(true);

        CredentialsUnavailableException read = failure(() -> provider(vault.address(), ROOT).forPath("network/r1"));
        CredentialsUnavailableException check = failure(() -> provider(vault.address(), ROOT).check());

        assertThat(read.getMessage()).isEqualTo("Vault at " + vault.address()
                + " answered HTTP 503 (Vault is sealed or in maintenance) reading secret/network/r1");
        assertThat(read.transientFault()).isTrue();
        assertThat(check.getMessage()).isEqualTo("Vault at " + vault.address()
                + " answered HTTP 503 (Vault is sealed or in maintenance) looking up the token");
        assertThat(check.transientFault()).isTrue();
    }

    @Test
    void checkPassesWithAValidTokenAndFailsOnceItIsRevoked() {
        String token = vault.createToken();
        VaultCredentialsProvider provider = provider(vault.address(), token);

        provider.check();
        vault.revokeToken(token);
        CredentialsUnavailableException e = failure(provider::check);

        assertThat(e.getMessage()).isEqualTo("Vault token invalid or expired (permission denied looking up the token at "
                + vault.address() + ")");
        assertThat(e.getMessage()).doesNotContain(token);
        assertThat(e.transientFault()).isFalse();
        assertThat(vault.requestLog())
                .containsExactly("GET /v1/auth/token/lookup-self", "GET /v1/auth/token/lookup-self");
    }

    @Test
    void noTokenConfiguredFailsBeforeAnyRequest() {
        VaultCredentialsProvider provider = new VaultCredentialsProvider(
                properties(vault.address(), "secret", null, Duration.ofSeconds(30)), Optional::empty);
        providers.add(provider);

        CredentialsUnavailableException check = failure(provider::check);
        CredentialsUnavailableException read = failure(() -> provider.forPath("network/r1"));

        assertThat(check.getMessage()).isEqualTo("no Vault token: set netsnap.vault.token-file or VAULT_TOKEN");
        assertThat(read.getMessage()).isEqualTo(check.getMessage());
        assertThat(check.transientFault()).isFalse();
        assertThat(vault.requestLog()).isEmpty();
    }

    @Test
    void tokenFileIsReReadSoARotatedTokenIsUsed(@TempDir Path dir) throws IOException {
        Path tokenFile = dir.resolve("token");
        String first = vault.createToken();
        Files.writeString(tokenFile, first + "\n");
        VaultCredentialsProvider provider = new VaultCredentialsProvider(
                properties(vault.address(), "secret", null, Duration.ofSeconds(30)),
                VaultTokenSource.fileOrEnvironment(tokenFile));
        providers.add(provider);
        assertThat(provider.forPath("network/r2").username()).isEqualTo("backup");

        String second = vault.createToken();
        Files.writeString(tokenFile, second);
        vault.revokeToken(first);

        assertThat(provider.forPath("network/r2").username()).isEqualTo("backup");
        Files.delete(tokenFile);
        CredentialsUnavailableException e = failure(() -> provider.forPath("network/r2"));
        assertThat(e.getMessage()).isEqualTo("cannot read the Vault token file " + tokenFile + " (NoSuchFileException)");
        assertThat(e.getMessage()).doesNotContain(first, second);
    }

    @Test
    void springBindsNetsnapVaultPropertiesAndWiresTheProvider(@TempDir Path dir) throws IOException {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, ROOT);
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(VaultConfiguration.class, VaultCredentialsProvider.class);

        runner.run(context -> {
            VaultProperties defaults = context.getBean(VaultProperties.class);
            assertThat(defaults.address()).isEqualTo(URI.create("http://127.0.0.1:8200"));
            assertThat(defaults.mount()).isEqualTo("secret");
            assertThat(defaults.namespace()).isNull();
            assertThat(defaults.tokenFile()).isNull();
            assertThat(defaults.openTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(defaults.caBundle()).isNull();
        });
        runner.withPropertyValues("netsnap.vault.address=" + vault.address(), "netsnap.vault.token-file=" + tokenFile,
                        "netsnap.vault.read-timeout=10s")
                .run(context -> {
                    assertThat(context.getBean(VaultProperties.class).readTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(context.getBean(CredentialsProvider.class).forPath("network/r2").username())
                            .isEqualTo("backup");
                });
        runner.withPropertyValues("netsnap.vault.mount= ")
                .run(context -> assertThat(context).hasFailed());
    }

    private VaultCredentialsProvider provider(String address, String token) {
        return provider(properties(address, "secret", null, Duration.ofSeconds(30)), token);
    }

    private VaultCredentialsProvider provider(VaultProperties properties, String token) {
        VaultCredentialsProvider provider = new VaultCredentialsProvider(properties, () -> Optional.of(token));
        providers.add(provider);
        return provider;
    }

    private static VaultProperties properties(String address, String mount, String namespace, Duration readTimeout) {
        return new VaultProperties(URI.create(address), mount, namespace, null, Duration.ofSeconds(5), readTimeout,
                null);
    }

    /** Catches the expected failure and checks, for every failure case, that nothing secret leaked into it. */
    private static CredentialsUnavailableException failure(ThrowingCallable call) {
        CredentialsUnavailableException e = catchThrowableOfType(CredentialsUnavailableException.class, call);
        assertThat(e).as("expected a CredentialsUnavailableException").isNotNull();
        assertNoSecretIn(e.getMessage());
        assertNoSecretIn(e.toString());
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertNoSecretIn(trace.toString());
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("errors");
        return e;
    }

    private static void assertNoSecretIn(String text) {
        assertThat(text).doesNotContain(SECRETS);
    }
}
