package io.netsnap.workflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.camunda.client.api.command.FailJobCommandStep1.FailJobCommandStep2;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.BpmnError;
import io.camunda.client.exception.JobError;
import io.camunda.client.jobhandling.CommandExceptionHandlingStrategy;
import io.camunda.client.jobhandling.CommandWrapper;
import io.camunda.client.jobhandling.JobExceptionHandlingStrategy;
import io.camunda.client.metrics.MetricsRecorder;

/**
 * What a failed job tells the engine, and so Operate: one readable line. The SDK's default sends the whole stack
 * trace of a {@link JobError} as the job's error message, and the job client does the same for any other exception
 * (a variable of the wrong type, a bug): both end in incidents that operators cannot read. Here the stack trace goes
 * to netsnap's log only. BPMN errors keep their code and variables; their message is cut to one line too.
 */
class OneLineJobFailures implements JobExceptionHandlingStrategy {

    private static final Logger log = LoggerFactory.getLogger(OneLineJobFailures.class);
    static final int MAX_MESSAGE = 500;

    /** Time kept between the end of a wait in netsnap and the job's deadline. */
    static final java.time.Duration DEADLINE_MARGIN = java.time.Duration.ofSeconds(30);

    private final CommandExceptionHandlingStrategy commands;
    private final MetricsRecorder metrics;
    /** Where retries wait in the embedded engine, or {@code null} on a remote engine (the broker waits). */
    private final java.util.concurrent.ScheduledExecutorService waits;

    OneLineJobFailures(CommandExceptionHandlingStrategy commands, MetricsRecorder metrics) {
        this(commands, metrics, null);
    }

    /**
     * @param waits where a retry's backoff is waited out before the job is failed with no backoff, or {@code null}
     *              to let the engine wait. In the embedded engine (zeebe-process-test 8.8.21) a job failed with a
     *              backoff was seen, now and then, never to be activated again; one failed without a backoff always
     *              is. So there netsnap keeps the job, waits, then fails it for an immediate retry.
     */
    OneLineJobFailures(CommandExceptionHandlingStrategy commands, MetricsRecorder metrics,
                       java.util.concurrent.ScheduledExecutorService waits) {
        this.commands = commands;
        this.metrics = metrics;
        this.waits = waits;
    }

    @Override
    public void handleException(Exception exception, ExceptionHandlingContext context) throws Exception {
        ActivatedJob job = context.job();
        Integer maxRetries = context.jobWorkerValue().getMaxRetries();
        if (exception instanceof BpmnError error) {
            var thrown = context.jobClient().newThrowErrorCommand(job.getKey()).errorCode(error.getErrorCode())
                    .errorMessage(oneLine(error.getErrorMessage()));
            if (error.getVariables() != null) {
                thrown = thrown.variables(error.getVariables());
            }
            new CommandWrapper(thrown, job, commands, metrics, maxRetries == null ? 0 : maxRetries)
                    .executeAsyncWithMetrics("camunda.job.invocations", "bpmn-error", job.getType());
            return;
        }
        FailJobCommandStep2 fail;
        if (exception instanceof JobError error) {
            int retries = error.getRetries() != null ? error.getRetries() : job.getRetries() - 1;
            fail = context.jobClient().newFailCommand(job.getKey()).retries(retries)
                    .errorMessage(oneLine(error.getErrorMessage()));
            if (error.getRetryBackoff() != null) {
                fail = fail.retryBackoff(error.getRetryBackoff());
            }
            if (error.getVariables() != null) {
                fail = fail.variables(error.getVariables());
            }
            java.time.Duration backoff = error.getRetryBackoff();
            if (waits != null && retries > 0 && backoff != null && !backoff.isZero()
                    && java.time.Instant.now().plus(backoff).plus(DEADLINE_MARGIN)
                    .isBefore(java.time.Instant.ofEpochMilli(job.getDeadline()))) {
                FailJobCommandStep2 later = fail.retryBackoff(java.time.Duration.ZERO);
                waits.schedule(() -> new CommandWrapper(later, job, commands, metrics,
                                maxRetries == null ? 0 : maxRetries)
                                .executeAsyncWithMetrics("camunda.job.invocations", "failed", job.getType()),
                        backoff.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            }
        } else {
            String message = "unexpected " + exception.getClass().getSimpleName() + ": " + exception.getMessage();
            log.error("Job {} ({}, {}) failed: {}", job.getKey(), job.getType(), job.getElementId(), message,
                    exception);
            fail = context.jobClient().newFailCommand(job.getKey()).retries(Math.max(0, job.getRetries() - 1))
                    .errorMessage(oneLine(message + " (details in netsnap's log)"));
        }
        new CommandWrapper(fail, job, commands, metrics, maxRetries == null ? 0 : maxRetries)
                .executeAsyncWithMetrics("camunda.job.invocations", "failed", job.getType());
    }

    /**
     * One line of at most {@link #MAX_MESSAGE} characters: a stack trace keeps its first line only, any other
     * message has its lines joined.
     */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return "failed without a message";
        }
        String text = message.strip();
        String line = text.lines().anyMatch(l -> l.startsWith("\tat ")) ? text.lines().findFirst().orElse("")
                : text.replaceAll("\\s*\\R\\s*", "; ");
        return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "..." : line;
    }

    @Configuration(proxyBeanMethods = false)
    static class Setup {

        /** Replaces the SDK's strategy (it is {@code @ConditionalOnMissingBean}). */
        @Bean
        JobExceptionHandlingStrategy oneLineJobFailures(CommandExceptionHandlingStrategy commands,
                                                        MetricsRecorder metrics,
                                                        org.springframework.core.env.Environment environment) {
            if (!"embedded".equals(environment.getProperty(EngineModeEnvironment.ACTIVE))) {
                return new OneLineJobFailures(commands, metrics);
            }
            java.util.concurrent.ScheduledExecutorService waits = java.util.concurrent.Executors
                    .newSingleThreadScheduledExecutor(Thread.ofPlatform().name("netsnap-retry-wait").daemon()
                            .factory());
            return new OneLineJobFailures(commands, metrics, waits);
        }
    }
}
