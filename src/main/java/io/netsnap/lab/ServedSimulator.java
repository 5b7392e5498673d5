package io.netsnap.lab;

import java.security.PublicKey;

/**
 * What every simulator shares: the {@link SimulatorServer} it listens on. A platform's simulator adds its device
 * model and the knobs it exposes.
 */
abstract class ServedSimulator implements SimulatedDevice {

    private final SimulatorServer server;

    ServedSimulator(SimulatorServer server) {
        this.server = server;
    }

    @Override
    public final String host() {
        return SimulatorServer.HOST;
    }

    @Override
    public final int port() {
        return server.port();
    }

    @Override
    public final PublicKey hostPublicKey() {
        return server.hostPublicKey();
    }

    @Override
    public final int sessionsOpened() {
        return server.sessionsOpened();
    }

    @Override
    public final void close() {
        server.close();
    }
}
