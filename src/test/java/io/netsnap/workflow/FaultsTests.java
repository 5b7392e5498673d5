package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.BpmnError;
import io.camunda.client.exception.JobError;
import io.netsnap.backup.BackupProperties;
import io.netsnap.backup.DeviceResult;
import io.netsnap.device.DeviceException;

/** The one translation of failures: retries with exponential backoff for transient faults, BPMN errors otherwise. */
class FaultsTests {

    private static final String DEVICE = "GONE-RTR-99";

    private final Faults faults = new Faults(new BackupProperties(Path.of("inventory.yaml"),
            new BackupProperties.Schedule("0 0 2 * * ?"), Duration.ofMillis(200)));

    @Test
    void transientFaultsRetryWithDoublingBackoffThenBecomeTheDevicesFailedResult() {
        DeviceException refused = new DeviceException.Unreachable("GONE-RTR-99", "connection refused", null);
        List<DeviceResult> reported = new ArrayList<>();

        JobError first = (JobError) faults.forDevice(job(3), DEVICE, "ios", null, refused, reported::add);
        JobError second = (JobError) faults.forDevice(job(2), DEVICE, "ios", null, refused, reported::add);
        BpmnError last = (BpmnError) faults.forDevice(job(1), DEVICE, "ios", null, refused, reported::add);

        assertThat(List.of(first.getRetries(), second.getRetries())).containsExactly(2, 1);
        assertThat(List.of(first.getRetryBackoff(), second.getRetryBackoff()))
                .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(last.getErrorCode()).isEqualTo(Processes.ERROR_DEVICE_UNREACHABLE);
        assertThat(reported).singleElement().satisfies(r -> assertThat(r.message()).contains("gave up after retries"));
    }

    @Test
    void aRefusedLoginIsNeverRetried() {
        DeviceException refused = new DeviceException.Authentication("EDGE-RTR-01", "SSH login refused");

        BpmnError error = (BpmnError) faults.forDevice(job(3), DEVICE, "ios", null, refused, result -> { });

        assertThat(error.getErrorCode()).isEqualTo(Processes.ERROR_AUTH_FAILED);
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
