package io.netsnap.lab;

import java.security.PublicKey;
import java.util.List;

/**
 * What every simulator answers the same way: the SSH endpoint of its {@link SimulatorServer} and the commands its
 * sessions logged. The platform classes add only their start-up and their own controls.
 */
abstract class AbstractSimulator implements SimulatedDevice {

    private final SimulatorServer server;
    private final CommandLog commands;

    AbstractSimulator(SimulatorServer server, CommandLog commands) {
        this.server = server;
        this.commands = commands;
    }

    @Override
    public String host() {
        return SimulatorServer.HOST;
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public PublicKey hostPublicKey() {
        return server.hostPublicKey();
    }

    /** Counts every shell this device serves from now on in {@code gauge}, under {@code tag}. */
    void countShells(SessionGauge gauge, String tag) {
        server.countShells(gauge, tag);
    }

    @Override
    public int sessionsOpened() {
        return server.sessionsOpened();
    }

    @Override
    public int mostSessionsAtOnce() {
        return server.mostSessionsAtOnce();
    }

    @Override
    public List<String> commandsReceived() {
        return commands.lines();
    }

    @Override
    public void close() {
        server.close();
    }
}
