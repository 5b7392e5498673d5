package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * network-backup with AppRole login and tokens that live 2 s: a run that lasts longer than that succeeds because
 * the token is renewed, not because netsnap logs in again.
 */
@SpringBootTest(classes = NetsnapApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class VaultRenewalProcessTests {

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(
            new Lab.LabDevice("EDGE-RTR-01", "edge", Lab.Kind.SIMULATED, LabConfigs.router("EDGE-RTR-01", 1)));
    private static final Lab LAB = SETUP.lab();
    private static final Duration TOKEN_TTL = Duration.ofSeconds(2);
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
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    ZeebeTestEngine engine;

    @Test
    void aRunLongerThanTheTokenTtlSucceedsThroughRenewal(CapturedOutput log) throws Exception {
        VaultDouble vault = LAB.vault();
        RunLauncher.Result result;
        // The run's credentials reads wait until the token has been renewed twice, i.e. outlived its 2 s TTL.
        try (VaultDouble.Hold held = vault.hold("secret/data/network/lab-edge")) {
            CompletableFuture<RunLauncher.Result> run = CompletableFuture.supplyAsync(() -> launcher.startAndWait(
                    new RunLauncher.Request(null, List.of("EDGE-RTR-01"), null, "renewal"), Duration.ofMinutes(2)));
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
