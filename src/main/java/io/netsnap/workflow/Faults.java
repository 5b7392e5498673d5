package io.netsnap.workflow;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.netsnap.archive.ArchiveException;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.backup.DeviceResult;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.device.DeviceException;
import io.netsnap.backup.UnknownReferenceException;
import io.netsnap.backup.UnsupportedPlatformException;
import io.netsnap.inventory.InventoryException;
import io.netsnap.upload.UploadException;
import io.netsnap.upload.UploadResult;

/**
 * The one place where failures become process outcomes: a transient fault fails the job so Zeebe retries it with
 * backoff; a permanent fault, or a transient one on the last attempt, becomes a BPMN error that the model catches,
 * carrying the device's failed result. Messages are the exceptions' own, which never hold secrets; stack traces are
 * logged here and never sent to the engine.
 */
@Component
class Faults {

    private static final Logger log = LoggerFactory.getLogger(Faults.class);

    /**
     * Faults that no retry mends: the device is blocked until someone fixes the credentials, the host key, the
     * inventory or the platform.
     */
    static final java.util.Set<String> BLOCKING = java.util.Set.of(Processes.ERROR_AUTH_FAILED,
            Processes.ERROR_HOST_KEY_MISMATCH, Processes.ERROR_DEVICE_UNKNOWN, Processes.ERROR_UNSUPPORTED_PLATFORM);
    /** Forged references (a run netsnap did not start, a context it never found): refused, nobody is asked. */
    static final java.util.Set<String> REFUSED = java.util.Set.of(Processes.ERROR_RUN_INVALID,
            Processes.ERROR_CONTEXT_UNKNOWN);

    private final RetryProperties retry;

    Faults(RetryProperties retry) {
        this.retry = retry;
    }

    /** A classified fault: BPMN error code, whether a retry may help, one-line message. */
    record Fault(String code, boolean transientFault, String message) {

        /** Whether the device is blocked until a person fixes something outside the run. */
        boolean blocking() {
            return BLOCKING.contains(code);
        }

        /** Whether asking a person to retry now is pointless: blocked, or a forged reference. */
        boolean askNobody() {
            return blocking() || REFUSED.contains(code);
        }
    }

    static Fault classify(RuntimeException e) {
        return switch (e) {
            case DeviceException.Authentication a -> new Fault(Processes.ERROR_AUTH_FAILED, false, a.getMessage());
            case DeviceException.HostKeyMismatch h -> new Fault(Processes.ERROR_HOST_KEY_MISMATCH, false,
                    h.getMessage());
            case DeviceException.Unreachable u -> new Fault(Processes.ERROR_DEVICE_UNREACHABLE, true, u.getMessage());
            case DeviceException.Timeout t -> new Fault(Processes.ERROR_DEVICE_TIMEOUT, true, t.getMessage());
            case DeviceException.UnsupportedCommand c -> new Fault(Processes.ERROR_UNSUPPORTED_COMMAND, false,
                    c.getMessage());
            case DeviceException d -> new Fault(Processes.ERROR_DEVICE_PROTOCOL, false, d.getMessage());
            case CredentialsUnavailableException c -> new Fault(Processes.ERROR_CREDENTIALS_UNAVAILABLE,
                    c.transientFault(), c.getMessage());
            case ArchiveException a -> new Fault(Processes.ERROR_ARCHIVE_FAILED, true, a.getMessage());
            case UnsupportedPlatformException u -> new Fault(Processes.ERROR_UNSUPPORTED_PLATFORM, false,
                    u.getMessage());
            case UnknownReferenceException u -> new Fault(switch (u.kind()) {
                case DEVICE -> Processes.ERROR_DEVICE_UNKNOWN;
                case CONTEXT -> Processes.ERROR_CONTEXT_UNKNOWN;
                case RUN -> Processes.ERROR_RUN_INVALID;
            }, false, u.getMessage());
            case InventoryException i -> new Fault(Processes.ERROR_INVENTORY_INVALID, false, oneLine(i.getMessage()));
            default -> new Fault(Processes.ERROR_DEVICE_PROTOCOL, false,
                    "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        };
    }

    /**
     * Turns a failure of a device step (backup, context discovery, one context) into a job retry or a BPMN error
     * whose variable {@code result} is the failed result.
     *
     * @param deviceName     the device the step was for, as the variable named it ({@code null} when absent)
     * @param platform       its platform from the inventory, or {@code null} when it was not found there
     * @param context        the context the step was for, or {@code null}
     * @param onFinalFailure told about the final failed result before the error is thrown
     */
    RuntimeException forDevice(ActivatedJob job, String deviceName, String platform, String context,
                               RuntimeException e, Consumer<DeviceResult> onFinalFailure) {
        Fault fault = classify(e);
        String device = deviceName == null || deviceName.isBlank() ? "(no device name)"
                : DeviceDirectory.printable(deviceName);
        String label = context == null ? device : device + "/" + DeviceDirectory.printable(context);
        if (e instanceof UnknownReferenceException || e instanceof InventoryException) {
            log.warn("{}: refused, {}: {}", label, fault.code(), DeviceResult.withoutName(device, fault.message()));
        } else if (!(e instanceof DeviceException || e instanceof CredentialsUnavailableException)) {
            log.error("{}: {}", label, fault.message(), e);
        }
        int retriesLeft = job.getRetries() - 1;
        int attempt = attempt(job, retry.attempts());
        if (fault.transientFault() && retriesLeft > 0) {
            Duration backoff = retry.after(attempt);
            log.warn("{}: {} (attempt {} of {}, retrying in {})", label,
                    DeviceResult.withoutName(device, fault.message()), attempt, attempt + retriesLeft, wait(backoff));
            return CamundaError.jobError(fault.message(), Map.of(), retriesLeft, backoff);
        }
        // the engine's error message names the device, as Operate shows it without the result
        String message = deviceName == null || deviceName.isBlank() || fault.message().startsWith(device + ": ")
                ? fault.message() : device + ": " + fault.message();
        DeviceResult failed = DeviceResult.failed(device, context == null ? null : DeviceDirectory.printable(context),
                platform, fault.code(), fault.transientFault()
                        ? message + " (gave up after " + attempt + " attempt" + (attempt == 1 ? ")" : "s)")
                        : fault.blocking() ? message + " (blocked: not retried until fixed)" : message);
        onFinalFailure.accept(failed);
        // attempts: what the person deciding next sees; blocked: the model asks nobody, since no retry would mend it
        return CamundaError.bpmnError(fault.code(), failed.message(), Map.of("result", failed,
                "attempts", attempt, "blocked", fault.askNobody()));
    }

    /**
     * Turns a failed upload into a job retry with backoff (network trouble, while attempts are left) or the BPMN
     * error {@code UPLOAD_FAILED} whose variable {@code upload} carries the cause, so the run goes on to retention
     * and its report.
     */
    RuntimeException forUpload(ActivatedJob job, String target, UploadException e) {
        int retriesLeft = job.getRetries() - 1;
        if (e.transientFault() && retriesLeft > 0) {
            Duration backoff = retry.after(attempt(job, Processes.RUN_STEP_ATTEMPTS));
            log.warn("Upload: {}: {} (retrying in {}, {} attempt(s) left)", e.code(), e.getMessage(),
                    wait(backoff), retriesLeft);
            return CamundaError.jobError(e.code() + ": " + e.getMessage(), Map.of(), retriesLeft, backoff);
        }
        log.error("Upload failed, {}: {}", e.code(), e.getMessage());
        UploadResult failed = UploadResult.failed(target, e);
        return CamundaError.bpmnError(Processes.ERROR_UPLOAD_FAILED, failed.error(), Map.of("upload", failed));
    }

    /**
     * Turns a failure of a restore step into a job retry with backoff (a transient device fault while attempts are
     * left) or the BPMN error {@code code} that the model catches, with the variable {@code refusal}: one line, the
     * code of the cause first. {@code onFinalFailure} is told the cause's code and message before the error is made.
     */
    RuntimeException forRestore(ActivatedJob job, String restoreId, String code, RuntimeException e,
                                boolean retryable, java.util.function.BiConsumer<String, String> onFinalFailure) {
        Fault fault = e instanceof io.netsnap.restore.RestoreRefusedException refused
                ? new Fault(refused.reason().name(), false, refused.getMessage())
                : e instanceof io.netsnap.restore.RestoreService.PushFailed
                        || e instanceof io.netsnap.restore.RestoreService.VerificationFailed
                        ? new Fault(code, false, e.getMessage()) : switch (e) {
                            case DeviceException.ReplaceFailed r -> new Fault("REPLACE_FAILED", false, r.getMessage());
                            case DeviceException.ReplaceInterrupted r -> new Fault("REPLACE_INTERRUPTED", false,
                                    r.getMessage());
                            case DeviceException.RollbackFailed r -> new Fault("ROLLBACK_FAILED", false,
                                    r.getMessage());
                            default -> classify(e);
                        };
        String label = "Restore " + DeviceDirectory.printable(String.valueOf(restoreId));
        if (!(e instanceof DeviceException || e instanceof CredentialsUnavailableException
                || e instanceof io.netsnap.restore.RestoreRefusedException
                || e instanceof io.netsnap.restore.RestoreService.PushFailed
                || e instanceof io.netsnap.restore.RestoreService.VerificationFailed)) {
            log.error("{}: {}", label, fault.message(), e);
        }
        int retriesLeft = job.getRetries() - 1;
        if (retryable && fault.transientFault() && retriesLeft > 0) {
            Duration backoff = retry.after(attempt(job, Processes.RUN_STEP_ATTEMPTS));
            log.warn("{}: {} (retrying in {}, {} attempt(s) left)", label, fault.message(), wait(backoff),
                    retriesLeft);
            return CamundaError.jobError(fault.message(), Map.of(), retriesLeft, backoff);
        }
        String cause = oneLine(fault.message() + (fault.transientFault() && retryable ? " (gave up after retries)"
                : ""));
        onFinalFailure.accept(fault.code(), cause);
        String message = fault.code() + ": " + cause;
        log.warn("{}: {}", label, message);
        return CamundaError.bpmnError(code, message, Map.of("refusal", message));
    }

    /** A wait as people say it: 500 ms, 30 s, 2 min. */
    static String wait(Duration wait) {
        if (wait.toMillis() < 1000) {
            return wait.toMillis() + " ms";
        }
        return wait.toSeconds() % 60 == 0 ? wait.toMinutes() + " min" : wait.toSeconds() + " s";
    }

    /**
     * Which attempt just failed (1 for the first), counted from the retries the job has left: the model gives the
     * step {@code attempts} retries, one is used per failure.
     */
    private static int attempt(ActivatedJob job, int attempts) {
        return Math.max(1, attempts - job.getRetries() + 1);
    }

    /**
     * Run-level failure (scope or preflight): the model decides what follows (abort with a report, or a person's
     * task), so only the caller knows what to log.
     */
    RuntimeException abort(String code, RuntimeException e, Map<String, Object> variables) {
        java.util.Map<String, Object> all = new java.util.HashMap<>(variables);
        String message = oneLine(e.getMessage());
        all.put("abortReason", code + ": " + message);
        return CamundaError.bpmnError(code, message, all);
    }

    /** A message as one line: the lines of a multi-line message (an inventory's problems) joined with "; ". */
    static String oneLine(String message) {
        return String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
