package io.netsnap.lab;

import java.util.concurrent.ScheduledExecutorService;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;

/**
 * One I/O service and one timer for every SSH server the lab runs in this process, where MINA gives each server its
 * own: an asynchronous channel group (an epoll descriptor, a wake-up pipe and a pool of threads) and a timer thread.
 * A bench fleet of thousands of simulated devices would otherwise hold some 4 open files and 4 threads per device,
 * and spend the machine switching between idle threads. Each server still has its own acceptor (its port), its own
 * sessions, keys and settings; only the threads that move bytes and check timeouts are common.
 *
 * <p>The shared service lives as long as the process (its threads are daemons): servers come and go, and closing a
 * server leaves it to the others.
 */
final class SharedIo {

    /** The settings the shared I/O service reads for every server (socket options, buffers). */
    private static final SshServer SETTINGS = settings();
    private static final IoServiceFactory SERVICE = new Nio2ServiceFactoryFactory().create(SETTINGS);
    private static final ScheduledExecutorService TIMER = ThreadUtils.newSingleThreadScheduledExecutor(
            "netsnap-lab-ssh-timer");

    private SharedIo() {
    }

    /** Makes {@code server}, not started yet, use the shared I/O service and timer. */
    static void use(SshServer server) {
        server.setIoServiceFactoryFactory(new Views());
        server.setScheduledExecutorService(TIMER, false);
    }

    private static SshServer settings() {
        SshServer settings = SshServer.setUpDefaultServer();
        // as sshd does for interactive sessions, and as a device's single write per answer amounts to: an answer in
        // two segments must not wait for the client's delayed acknowledgement (40 ms)
        CoreModuleProperties.TCP_NODELAY.set(settings, true);
        return settings;
    }

    /** Hands every server a view of the shared service that its own close leaves open. */
    private static final class Views implements IoServiceFactoryFactory {

        @Override
        public IoServiceFactory create(FactoryManager manager) {
            return new View();
        }

        @Override
        public void setExecutorServiceFactory(org.apache.sshd.common.Factory<CloseableExecutorService> factory) {
            throw new UnsupportedOperationException("the lab's SSH servers share one I/O service");
        }
    }

    /** The shared service as one server sees it: its acceptor is its own, closing it closes nothing shared. */
    private static final class View extends AbstractCloseable implements IoServiceFactory {

        @Override
        public IoConnector createConnector(IoHandler handler) {
            return SERVICE.createConnector(handler);
        }

        @Override
        public IoAcceptor createAcceptor(IoHandler handler) {
            return SERVICE.createAcceptor(handler);
        }

        @Override
        public IoServiceEventListener getIoServiceEventListener() {
            return SERVICE.getIoServiceEventListener();
        }

        @Override
        public void setIoServiceEventListener(IoServiceEventListener listener) {
            throw new UnsupportedOperationException("the lab's SSH servers share one I/O service");
        }
    }
}
