package io.netsnap.workflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;

/**
 * Embedded mode: an in-memory Zeebe engine in this JVM, reached by the ordinary client over gRPC, so the same
 * workers and models run as in production. State lives as long as the process.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = EngineModeEnvironment.ACTIVE, havingValue = "embedded")
class EmbeddedEngineConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedEngineConfiguration.class);
    static final String ENGINE_BEAN = "embeddedZeebeEngine";

    /** The engine's start, under way from before the first bean is created (see {@link EmbeddedEngineStart}). */
    @Bean
    static EmbeddedEngineStart embeddedEngineStart(Environment environment) {
        EmbeddedGateway gateway = EmbeddedGateway.parse(
                environment.getProperty(EngineModeEnvironment.EMBEDDED_ADDRESS),
                environment.getProperty(EngineModeEnvironment.EMBEDDED_PORT));
        if (!gateway.loopbackOnly()) {
            log.warn("The embedded engine's gateway listens on {}, not on loopback: anyone who can reach that address"
                    + " can deploy processes and start instances, with no authentication", gateway);
        }
        return new EmbeddedEngineStart(gateway);
    }

    @Bean(name = ENGINE_BEAN, destroyMethod = "stop")
    ZeebeTestEngine embeddedZeebeEngine(EmbeddedEngineStart start) {
        return start.take();
    }

    /** The engine with its gateway on {@code gateway}, its workarounds in place, started; tests start it here too. */
    static ZeebeTestEngine start(EmbeddedGateway gateway) {
        ZeebeTestEngine engine = EmbeddedEngineFactory.create(gateway.socketAddress());
        if (!EngineLogGuard.guard(engine)) {
            log.warn("Could not make the embedded engine's log thread-safe (unexpected engine version); under load"
                    + " its stream processor may stop");
        }
        if (!EngineScheduleGuard.guard(engine)) {
            log.warn("Could not move the embedded engine's scheduled tasks onto its stream processor (unexpected engine"
                    + " version); a job retry after a backoff, a timer or a job timeout may then be lost");
        }
        try {
            engine.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot start the embedded engine's gateway on " + gateway + ": "
                    + e.getMessage(), e);
        }
        return engine;
    }

    /** The client must start after the engine and close before it. */
    @Bean
    static BeanFactoryPostProcessor clientAfterEmbeddedEngine() {
        return beanFactory -> {
            for (String name : beanFactory.getBeanNamesForType(io.camunda.client.CamundaClient.class, true, false)) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                String[] dependsOn = definition.getDependsOn();
                definition.setDependsOn(dependsOn == null ? new String[] {ENGINE_BEAN}
                        : concat(dependsOn, ENGINE_BEAN));
            }
        };
    }

    private static String[] concat(String[] values, String extra) {
        String[] result = java.util.Arrays.copyOf(values, values.length + 1);
        result[values.length] = extra;
        return result;
    }
}
