package io.netsnap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.netsnap.workflow.StandaloneEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netsnap engine}: the embedded in-memory engine on its own, serving its gRPC gateway to netsnap replicas in
 * remote mode until the process is stopped. No workers, no models: the replicas deploy and serve. For tests and labs
 * only: state lives in memory and ends with the process, there is no authentication, no Operate and no Tasklist.
 * Production runs Camunda 8, under Camunda's own licence.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Serve the embedded in-memory Zeebe engine alone over gRPC (no workers, no models) until "
                + "stopped, for netsnap replicas in remote mode (--camunda.client.grpc-address=http://ADDRESS:PORT). "
                + "For tests and labs: in memory, no authentication; production uses Camunda 8.")
final class EngineCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--address", defaultValue = "127.0.0.1",
            description = "IP address the gateway listens on (default: ${DEFAULT-VALUE}; as "
                    + "netsnap.engine.embedded-address, with the same warning when it is not loopback).")
    String address;

    @Option(names = "--port", defaultValue = "26500",
            description = "gRPC port (default: ${DEFAULT-VALUE}; 0 for a free one, printed at start).")
    String port;

    @Option(names = "--records", paramLabel = "FILE",
            description = "When stopped, write every record the engine kept to FILE, one JSON document a line.")
    Path records;

    @Override
    public Integer call() throws InterruptedException {
        StandaloneEngine engine = StandaloneEngine.start(address, port);
        if (!engine.loopbackOnly()) {
            spec.commandLine().getErr().println("netsnap engine: WARNING the gateway listens on " + engine.gateway()
                    + ", not on loopback: anyone who can reach it can deploy processes and start instances, with no"
                    + " authentication");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engine.close();
                if (records != null) {
                    engine.writeRecords(records);
                }
            } finally {
                stopped.countDown();
            }
        }, "netsnap-engine-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("netsnap engine: in-memory Zeebe engine serving on " + engine.gateway() + " (gRPC, no"
                + " authentication). Point replicas at it with --camunda.client.grpc-address=" + engine.clientUrl()
                + ". Stop with Ctrl-C.");
        out.flush();
        stopped.await();
        return 0;
    }
}
