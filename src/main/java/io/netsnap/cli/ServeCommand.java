package io.netsnap.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code netsnap run}: the long-running service: deploys the models and serves the job workers. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run as a service: deploy bpmn/ and forms/ (unless netsnap.deploy.enabled=false), serve the job "
                + "workers (remote or embedded engine), start the nightly run on schedule. Stops on SIGTERM / Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    SpringSettings settings;

    @Override
    public Integer call() throws InterruptedException {
        ConfigurableApplicationContext context = Application.start(settings.properties(), null,
                Application.Role.SERVICE);
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        closed.await();
        return NetsnapCommand.OK;
    }
}
