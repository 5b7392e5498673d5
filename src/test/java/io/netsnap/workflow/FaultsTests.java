package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.BpmnError;
import io.camunda.client.exception.JobError;
import io.netsnap.backup.DeviceResult;
import io.netsnap.device.DeviceException;

/** The one translation of failures: retries on the backoff schedule for transient faults, BPMN errors otherwise. */
class FaultsTests {

    private static final String DEVICE = "GONE-RTR-99";

    private final Faults faults = new Faults(new RetryProperties(List.of(Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofSeconds(5))));

    @Test
    void transientFaultsRetryOnTheScheduleThenBecomeTheDevicesFailedResult() {
        DeviceException refused = new DeviceException.Unreachable("GONE-RTR-99", "connection refused", null);
        List<DeviceResult> reported = new ArrayList<>();

        List<JobError> retries = new ArrayList<>();
        for (int left = 4; left > 1; left--) {
            retries.add((JobError) faults.forDevice(job(left), DEVICE, "ios", null, refused, reported::add));
        }
        BpmnError last = (BpmnError) faults.forDevice(job(1), DEVICE, "ios", null, refused, reported::add);

        assertThat(retries).extracting(JobError::getRetries).containsExactly(3, 2, 1);
        assertThat(retries).extracting(JobError::getRetryBackoff)
                .containsExactly(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(last.getErrorCode()).isEqualTo(Processes.ERROR_DEVICE_UNREACHABLE);
        assertThat(last.getVariables()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("attempts", 4).containsEntry("blocked", false);
        assertThat(reported).singleElement()
                .satisfies(r -> assertThat(r.message()).contains("gave up after 4 attempts"));
    }

    @Test
    void aScheduleShorterThanTheModelsRetriesRepeatsItsLastWait() {
        Faults two = new Faults(new RetryProperties(List.of(Duration.ofSeconds(1), Duration.ofSeconds(3))));
        DeviceException timeout = new DeviceException.Timeout(DEVICE, "no prompt within PT30S");

        // a model deployed by someone else with more retries than the schedule has waits
        JobError late = (JobError) two.forDevice(job(5), DEVICE, "ios", null, timeout, result -> { });

        assertThat(late.getRetryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new RetryProperties(List.of(Duration.ofSeconds(1), Duration.ofSeconds(3))).after(7))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aRefusedLoginIsNeverRetriedAndBlocksTheDevice() {
        DeviceException refused = new DeviceException.Authentication("EDGE-RTR-01", "SSH login refused");

        BpmnError error = (BpmnError) faults.forDevice(job(4), DEVICE, "ios", null, refused, result -> { });

        assertThat(error.getErrorCode()).isEqualTo(Processes.ERROR_AUTH_FAILED);
        assertThat(error.getVariables()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("attempts", 1).containsEntry("blocked", true);
        assertThat(error.getErrorMessage()).contains("blocked: not retried until fixed");
    }

    @Test
    void aForgedRunReferenceIsRefusedAndAsksNobody() {
        RuntimeException forged = new io.netsnap.backup.UnknownReferenceException(
                io.netsnap.backup.UnknownReferenceException.Kind.RUN, "run 20990101-000000-dead was not started here");

        BpmnError error = (BpmnError) faults.forDevice(job(4), DEVICE, "ios", null, forged, result -> { });

        assertThat(error.getErrorCode()).isEqualTo(Processes.ERROR_RUN_INVALID);
        assertThat(error.getVariables()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("blocked", true);
        assertThat(error.getErrorMessage()).doesNotContain("blocked: not retried until fixed");
    }

    @Test
    void aProtocolErrorIsNotRetriedButNotBlockingEither() {
        DeviceException odd = new DeviceException.Protocol(DEVICE, "unexpected prompt");

        BpmnError error = (BpmnError) faults.forDevice(job(4), DEVICE, "ios", null, odd, result -> { });

        assertThat(error.getErrorCode()).isEqualTo(Processes.ERROR_DEVICE_PROTOCOL);
        assertThat(error.getVariables()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("blocked", false);
    }

    /** A job as a worker sees it; only its retries matter here. */
    private static ActivatedJob job(int retries) {
        return (ActivatedJob) Proxy.newProxyInstance(FaultsTests.class.getClassLoader(),
                new Class<?>[] {ActivatedJob.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRetries" -> retries;
                    case "toString" -> "job with " + retries + " retries";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
