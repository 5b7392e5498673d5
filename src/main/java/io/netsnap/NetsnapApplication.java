package io.netsnap;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * netsnap: network configuration backup as BPMN processes on Camunda 8. This is the Spring application every
 * capability below {@code io.netsnap} is scanned into; the executable's entry point is the command line
 * ({@code cli.NetsnapCommand}), which starts it the way each command needs, so that nothing here depends on a
 * package beneath it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NetsnapApplication {
}
