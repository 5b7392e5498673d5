package io.netsnap.workflow;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;

/**
 * Starts the embedded engine on a thread of its own as soon as the context's bean definitions are known, before the
 * first bean is created: the engine's start-up (several seconds of class loading) then runs beside the creation of
 * the other beans instead of before the client's. The engine bean waits for it and fails as it would have failed
 * itself. An engine that no bean took over (the context failed first) is stopped with the context.
 */
final class EmbeddedEngineStart implements BeanFactoryPostProcessor, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedEngineStart.class);

    private final EmbeddedGateway gateway;
    private final CompletableFuture<ZeebeTestEngine> engine = new CompletableFuture<>();
    private volatile Instant ready;
    private boolean taken;

    EmbeddedEngineStart(EmbeddedGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Thread starter = new Thread(this::start, "embedded-engine-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void start() {
        long began = System.nanoTime();
        try {
            ZeebeTestEngine running = EmbeddedEngineConfiguration.start(gateway);
            ready = Instant.now();
            log.info("Embedded Zeebe engine ready on {} in {} ms", gateway, (System.nanoTime() - began) / 1_000_000);
            engine.complete(running);
        } catch (RuntimeException | Error e) {
            engine.completeExceptionally(e);
        }
    }

    /** The started engine, once it is; from now on its bean stops it. */
    synchronized ZeebeTestEngine take() {
        try {
            ZeebeTestEngine started = engine.join();
            taken = true;
            return started;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** When the engine was ready, or {@code null} before. */
    Instant ready() {
        return ready;
    }

    @Override
    public synchronized void destroy() {
        if (!taken) {
            engine.thenAccept(ZeebeTestEngine::stop);
        }
    }
}
