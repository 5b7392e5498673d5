package io.netsnap.workflow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who deploys the models ({@code netsnap.deploy.*}).
 *
 * @param enabled deploy {@code bpmn/} and {@code forms/} to a remote engine at start-up. {@code netsnap run} does
 *                (default {@code true}); the CLI's one-shot commands set it to {@code false}, so that they never
 *                replace the service's models with their own settings. The embedded engine starts empty and always
 *                gets the models.
 */
@ConfigurationProperties("netsnap.deploy")
record DeployProperties(@DefaultValue("true") boolean enabled) {
}
