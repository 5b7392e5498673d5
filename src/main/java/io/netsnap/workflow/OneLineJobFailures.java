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

    private final CommandExceptionHandlingStrategy commands;
    private final MetricsRecorder metrics;

    OneLineJobFailures(CommandExceptionHandlingStrategy commands, MetricsRecorder metrics) {
        this.commands = commands;
        this.metrics = metrics;
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
                                                        MetricsRecorder metrics) {
            return new OneLineJobFailures(commands, metrics);
        }
    }
}
