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
     * The most SSH sessions that were logged in at the same time, from authentication to the session's close, as the
     * device counts its VTY lines: a second session to one device while one is open shows as 2.
     */
    int mostSessionsAtOnce();

    /**
     * Every command line received, in order. Answers to password prompts and pager keys are not commands and are
     * never recorded.
     */
    List<String> commandsReceived();

    /** Disconnects every client and stops listening. */
    @Override
    void close();
}
