package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.netsnap.NetsnapApplication;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.VaultDouble;
import io.netsnap.support.LeakScanner;

/**
 * network-backup with AppRole login and tokens that live 1 h on the Vault double's clock, which the test moves and
 * netsnap reads: a run that lasts longer than that succeeds because the token is renewed, not because netsnap logs in
 * again.
 */
@SpringBootTest(classes = NetsnapApplication.class)
@Import(VaultRenewalProcessTests.VaultTime.class)
@ExtendWith(OutputCaptureExtension.class)
class VaultRenewalProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)));
    private static final Lab LAB = SETUP.lab();
    private static final Duration TOKEN_TTL = Duration.ofHours(1);
    private static final VaultDouble.AppRoleLogin ROLE = LAB.vault().addAppRole("approle", "netsnap",
            List.of("netsnap"), TOKEN_TTL, null);

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) throws IOException {
        SETUP.register(registry);
        Path secretId = Files.writeString(SETUP.data().resolve("secret-id"), ROLE.secretId());
        // AppRole instead of the lab's token file
        registry.add("netsnap.vault.token-file", () -> "");
        registry.add("netsnap.vault.auth", () -> "approle");
        registry.add("netsnap.vault.approle.role-id", ROLE::roleId);
        registry.add("netsnap.vault.approle.secret-id-file", secretId::toString);
        // The held read waits for the renewals: wide margin, so that a busy machine cannot time it out.
        registry.add("netsnap.vault.read-timeout", () -> "PT5M");
    }

    /** netsnap measures token lifetimes by the Vault double's clock. */
    @TestConfiguration(proxyBeanMethods = false)
    static class VaultTime {
        @Bean
        Clock vaultClock() {
            return LAB.vault().clock();
        }
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    ZeebeTestEngine engine;

    @Test
    void aRunLongerThanTheTokenTtlSucceedsThroughRenewal(CapturedOutput log) throws Exception {
        VaultDouble vault = LAB.vault();
        RunLauncher.Result result;
        // The run's credentials read waits while the Vault double's clock moves 81 min, past the 1 h TTL, so that
        // only a token renewed (twice, by the timer) can serve it.
        try (VaultDouble.Hold held = vault.hold("secret/data/network/lab-edge")) {
            CompletableFuture<RunLauncher.Result> run = CompletableFuture.supplyAsync(() -> launcher.startAndWait(
                    new RunLauncher.Request(null, List.of("EDGE-RTR-01"), null, "renewal"), Duration.ofMinutes(2)));
            await().atMost(Duration.ofMinutes(1)).until(() -> held.waiting() >= 1);
            vault.advance(Duration.ofMinutes(41));
            await().atMost(Duration.ofSeconds(30)).until(() -> vault.renewals() >= 1);
            vault.advance(Duration.ofMinutes(40));
            await().atMost(Duration.ofSeconds(30)).until(() -> vault.renewals() >= 2);
            held.close();
            result = run.get(2, TimeUnit.MINUTES);
        }

        assertThat(result.outcome()).as(String.valueOf(result.preflightProblems())).isEqualTo("OK");
        assertThat(vault.logins()).as("one AppRole login, kept alive by renew-self").isEqualTo(1);
        assertThat(vault.servedBeyondInitialTtl()).as("reads served with the token after its first TTL ran out")
                .isPositive();

        Set<String> secrets = new HashSet<>(LAB.secrets());
        secrets.addAll(vault.credentialsHandedOut());
        LeakScanner scanner = new LeakScanner(secrets);
        scanner.assertClean("the engine's record stream", new RunRecords(engine).json());
        scanner.assertClean("the application log", log.getAll());
        scanner.assertClean(SETUP.data().resolve("runs"));
    }

}
