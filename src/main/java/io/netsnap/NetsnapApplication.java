package io.netsnap;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.netsnap.cli.NetsnapCommand;

/** netsnap: network configuration backup as BPMN processes on Camunda 8. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NetsnapApplication {

    public static void main(String[] args) {
        System.exit(NetsnapCommand.execute(args));
    }
}
