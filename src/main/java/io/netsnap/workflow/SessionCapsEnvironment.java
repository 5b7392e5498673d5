package io.netsnap.workflow;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.netsnap.device.SessionProperties;

/**
 * Derives the client's job activation from {@code netsnap.sessions.max}, before the client exists: each worker may
 * hold {@value #JOBS_PER_SESSION} times as many activated jobs as there are device sessions. The client asks for more
 * jobs only once 30 % of its activated ones are left; with as many jobs as sessions the sessions would fall to 30 % of
 * the cap between two polls, with twice as many they stay at 60 % or more, and at most {@code max} jobs wait for a
 * session, each for about one session's time. Job handlers run on virtual threads ({@link JobThreads}), so
 * {@code camunda.client.execution-threads} only sizes the pool of polls and timers. Both are defaults: an explicit
 * {@code camunda.client.*} setting wins.
 */
public class SessionCapsEnvironment implements EnvironmentPostProcessor {

    static final int JOBS_PER_SESSION = 2;
    static final int TIMER_THREADS = 2;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        int max = SessionProperties.effectiveMax(environment.getProperty("netsnap.sessions.max"));
        environment.getPropertySources().addLast(new MapPropertySource("netsnap-session-caps", Map.of(
                "camunda.client.worker.defaults.max-jobs-active", JOBS_PER_SESSION * max,
                "camunda.client.execution-threads", TIMER_THREADS)));
    }
}
