package io.netsnap.lab;

import java.security.PublicKey;
import java.util.List;

/** A simulated device of any platform, as the lab and tests see it: an SSH endpoint on loopback with a host key. */
public interface SimulatedDevice extends AutoCloseable {

    String host();

    int port();

    PublicKey hostPublicKey();

    /** The number of SSH sessions that passed authentication so far. */
    int sessionsOpened();

    /**
     * Every command line received, in order. Answers to password prompts and pager keys are not commands and are
     * never recorded.
     */
    List<String> commandsReceived();

    /** Disconnects every client and stops listening. */
    @Override
    void close();
}
