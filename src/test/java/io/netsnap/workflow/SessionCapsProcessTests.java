package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camunda.client.spring.properties.CamundaClientProperties;
import io.netsnap.NetsnapApplication;
import io.netsnap.backup.DeviceStepStarted;
import io.netsnap.device.DeviceSessions;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabConfigs;
import io.netsnap.lab.SessionGauge;

/**
 * {@code netsnap.sessions.*} on the embedded engine: a fleet larger than the caps, on two credentials paths, is backed
 * up whole while the devices themselves never serve more shells at once than the caps allow; and the device steps run
 * on virtual threads.
 */
@SpringBootTest(classes = {NetsnapApplication.class, SessionCapsProcessTests.StepThreads.class})
class SessionCapsProcessTests {

    private static final int MAX = 3;
    private static final int PER_CREDENTIALS = 2;
    private static final String EDGE = "network/lab-edge";
    private static final String CORE = "network/lab-core";

    @RegisterExtension
    static final ProcessLab SETUP = ProcessLab.start(fleet());

    @DynamicPropertySource
    static void lab(DynamicPropertyRegistry registry) {
        SETUP.register(registry);
        registry.add("netsnap.sessions.max", () -> MAX);
        registry.add("netsnap.sessions.per-credentials", () -> PER_CREDENTIALS);
    }

    /** Eight routers on one path, four switches on another; each says "Building configuration..." for a while. */
    private static Lab.LabDevice[] fleet() {
        List<Lab.LabDevice> devices = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String name = (i <= 8 ? "EDGE-RTR-" : "CORE-SW-") + i;
            devices.add(new Lab.LabDevice(name, "ios", i <= 8 ? "edge" : "core", Lab.Kind.SIMULATED,
                    i <= 8 ? LabConfigs.router(name, i) : LabConfigs.aggregationSwitch(name, i),
                    spec -> spec.withBuildDelay(Duration.ofMillis(300))));
        }
        return devices.toArray(Lab.LabDevice[]::new);
    }

    /** Records, on the thread that runs each device step, whether it is a virtual one. */
    @TestConfiguration(proxyBeanMethods = false)
    static class StepThreads {
        final ConcurrentLinkedQueue<Boolean> virtual = new ConcurrentLinkedQueue<>();

        @EventListener
        void on(DeviceStepStarted started) {
            virtual.add(Thread.currentThread().isVirtual());
        }
    }

    @Autowired
    RunLauncher launcher;

    @Autowired
    DeviceSessions sessions;

    @Autowired
    StepThreads steps;

    @Autowired
    CamundaClientProperties client;

    @Test
    void everyDeviceIsBackedUpAndTheDevicesNeverServeMoreSessionsThanTheCaps() {
        SessionGauge shells = SETUP.lab().shells();
        shells.resetPeaks();

        RunLauncher.Result result = ProcessLab.run(launcher, null);

        assertThat(result.outcome()).as(result.toString()).isEqualTo("OK");
        assertThat(result.counts().ok()).isEqualTo(12);
        assertThat(shells.peak()).as("shells open at once on all devices").isBetween(2, MAX);
        assertThat(shells.peak(EDGE)).as("shells open at once with " + EDGE).isBetween(1, PER_CREDENTIALS);
        assertThat(shells.peak(CORE)).as("shells open at once with " + CORE).isBetween(1, PER_CREDENTIALS);
        assertThat(sessions.peak()).isBetween(shells.peak(), MAX);
        assertThat(sessions.open()).isZero();
    }

    @Test
    void deviceStepsRunOnVirtualThreadsAndTheClientActivatesTwiceTheCap() {
        ProcessLab.run(launcher, null, "EDGE-RTR-1", "CORE-SW-9");

        assertThat(steps.virtual).isNotEmpty().containsOnly(true);
        assertThat(client.getWorker().getDefaults().getMaxJobsActive()).isEqualTo(2 * MAX);
    }
}
