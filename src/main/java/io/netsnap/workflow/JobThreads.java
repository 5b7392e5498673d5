package io.netsnap.workflow;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.camunda.client.jobhandling.CamundaClientExecutorService;
import io.camunda.client.spring.properties.CamundaClientProperties;
import io.netsnap.device.SessionProperties;

/**
 * Where job handlers run: each job on a virtual thread of its own, while the client's polls and timers stay on a
 * small platform pool ({@code camunda.client.execution-threads}). A device step blocks on SSH for seconds or minutes;
 * on a virtual thread that costs no platform thread, so the caps of {@code netsnap.sessions.*} and
 * {@code max-jobs-active}, not a pool size, bound how many run at once.
 *
 * <p>The 8.8 client takes one {@link ScheduledExecutorService} for both (the separate job executor came in 8.9): the
 * client only ever {@code schedule}s its polls and {@code execute}s its jobs, so this executor sends the one to the
 * platform pool and the other to virtual threads.
 */
final class JobThreads extends AbstractExecutorService implements ScheduledExecutorService {

    private final ScheduledExecutorService timers;
    private final ExecutorService jobs;

    JobThreads(int timerThreads) {
        this.timers = Executors.newScheduledThreadPool(Math.max(1, timerThreads),
                Thread.ofPlatform().name("netsnap-job-poll-", 0).daemon().factory());
        this.jobs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("netsnap-job-", 0).factory());
    }

    /** A job: on a virtual thread of its own. */
    @Override
    public void execute(Runnable command) {
        jobs.execute(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return timers.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return timers.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return timers.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                     TimeUnit unit) {
        return timers.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
        timers.shutdown();
        jobs.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return Stream.concat(timers.shutdownNow().stream(), jobs.shutdownNow().stream()).toList();
    }

    @Override
    public boolean isShutdown() {
        return timers.isShutdown() && jobs.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return timers.isTerminated() && jobs.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return timers.awaitTermination(timeout, unit)
                && jobs.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Configuration(proxyBeanMethods = false)
    static class Setup {

        /**
         * Each worker may hold {@value #JOBS_PER_SESSION} times as many activated jobs as there are device sessions
         * ({@code netsnap.sessions.max}). The client asks for more jobs only once 30 % of its activated ones are left:
         * with as many jobs as sessions, the sessions would fall to 30 % of the cap between two polls; with twice as
         * many they stay at 60 % or more, and at most {@code max} jobs wait for a session, each about one session's
         * time. An explicit {@code camunda.client.worker.defaults.max-jobs-active} wins.
         */
        static final int JOBS_PER_SESSION = 2;
        /** The platform threads of polls and timers: they only send requests and wait for none. */
        static final int TIMER_THREADS = 2;
        static final String MAX_JOBS_ACTIVE = "camunda.client.worker.defaults.max-jobs-active";

        /** Replaces the SDK's fixed pool (its bean is {@code @ConditionalOnMissingBean}); the client shuts it down. */
        @Bean
        CamundaClientExecutorService camundaClientExecutorService(
                @Value("${camunda.client.execution-threads:" + TIMER_THREADS + "}") int timerThreads) {
            return new CamundaClientExecutorService(new JobThreads(timerThreads), true);
        }

        /** Sets {@code max-jobs-active} from the session cap once the client's settings are bound. */
        @Bean
        static BeanPostProcessor maxJobsActiveFromSessionCap(Environment environment) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessBeforeInitialization(Object bean, String name) {
                    if (bean instanceof CamundaClientProperties client
                            && !environment.containsProperty(MAX_JOBS_ACTIVE)) {
                        client.getWorker().getDefaults().setMaxJobsActive(JOBS_PER_SESSION
                                * SessionProperties.effectiveMax(environment.getProperty("netsnap.sessions.max")));
                    }
                    return bean;
                }
            };
        }
    }
}
