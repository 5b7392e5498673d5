package io.netsnap.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MINA side of one shell or exec channel on a simulated device, whatever the platform: it wires the channel's
 * streams to a {@link TerminalInput} and {@link TerminalOutput}, runs the device's {@link Dialogue} on a thread of the
 * simulator's executor (never on MINA's I/O threads: a dialogue blocks on input, on pauses and, for a hanging device,
 * indefinitely), reports exit status 0 when the dialogue returns, and interrupts it when the client goes away.
 */
final class DialogueChannel implements Command {

    private static final Logger log = LoggerFactory.getLogger(DialogueChannel.class);

    /** What a simulated device does on one channel. */
    interface Dialogue {

        /** On MINA's thread, when the channel starts and before {@link #run}: e.g. to note the client's address. */
        default void opened(ChannelSession channel) {
        }

        /** The whole conversation; returning ends the channel with exit status 0. */
        void run(TerminalInput in, TerminalOutput out) throws IOException;

        /**
         * Exactly once, when the conversation is over for any reason (it returned, failed, or the client closed the
         * channel under it), and before the exit status is sent when there is one.
         */
        default void closed() {
        }
    }

    private final String deviceName;
    private final ExecutorService executor;
    private final Dialogue dialogue;
    private final AtomicBoolean ended = new AtomicBoolean();

    private InputStream rawIn;
    private OutputStream rawOut;
    private ExitCallback exitCallback;
    private volatile Future<?> task;

    DialogueChannel(String deviceName, ExecutorService executor, Dialogue dialogue) {
        this.deviceName = deviceName;
        this.executor = executor;
        this.dialogue = dialogue;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.rawIn = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.rawOut = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        // Network devices write errors to the terminal like any other output.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exitCallback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        TerminalOutput out = new TerminalOutput(rawOut);
        TerminalInput in = new TerminalInput(rawIn, out);
        dialogue.opened(channel);
        try {
            task = executor.submit(() -> converse(in, out));
        } catch (RejectedExecutionException e) {
            end();
            throw new IOException("simulator " + deviceName + " is shutting down", e);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        end();
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
    }

    private void converse(TerminalInput in, TerminalOutput out) {
        try {
            dialogue.run(in, out);
            out.flush();
            end();
            exitCallback.onExit(0);
        } catch (InterruptedIOException e) {
            log.debug("{}: session closed while busy", deviceName);
        } catch (IOException e) {
            if (end()) {
                log.debug("{}: session ended: {}", deviceName, e.toString());
                exitCallback.onExit(0, e.getMessage(), true);
            }
        } finally {
            end();
        }
    }

    /** Tells the dialogue it is over, once; returns {@code true} for the call that did. */
    private boolean end() {
        if (ended.compareAndSet(false, true)) {
            dialogue.closed();
            return true;
        }
        return false;
    }
}
