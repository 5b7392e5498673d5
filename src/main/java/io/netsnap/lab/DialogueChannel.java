package io.netsnap.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
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
 * The MINA side of one shell or exec channel of a simulator. The device's {@link Dialogue} runs on a thread of the
 * simulator's executor, never on MINA's I/O threads, because it blocks on input, on the device's pauses and, for a
 * hanging device, indefinitely. When the dialogue returns the channel closes with exit status 0; when the client
 * closes the channel first the dialogue's thread is interrupted.
 */
final class DialogueChannel implements Command {

    private static final Logger log = LoggerFactory.getLogger(DialogueChannel.class);

    /** What one platform says on one channel. */
    @FunctionalInterface
    interface Dialogue {
        /**
         * Talks with the client until the session should end. Blocking calls end in an {@link IOException} (often an
         * {@link InterruptedIOException}) once the client has gone.
         */
        void run(InputStream in, TerminalOutput out) throws IOException;

        /** On MINA's thread when the channel starts, before {@link #run}: e.g. to note the client's address. */
        default void opened(ChannelSession channel) {
        }

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
    private final CountDownLatch destroyed = new CountDownLatch(1);
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
        // Network CLIs write errors to the terminal like any other output.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exitCallback = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        dialogue.opened(channel);
        try {
            task = executor.submit(this::converse);
        } catch (RejectedExecutionException e) {
            end();
            throw new IOException("simulator " + deviceName + " is shutting down", e);
        }
        if (destroyed.getCount() == 0) {
            // destroy() ran before the task was assigned and could not cancel it.
            task.cancel(true);
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed.countDown();
        end();
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
    }

    private void converse() {
        TerminalOutput out = new TerminalOutput(rawOut);
        try {
            dialogue.run(rawIn, out);
            out.flush();
            end();
            exitCallback.onExit(0);
        } catch (InterruptedIOException e) {
            log.debug("{}: session closed while busy", deviceName);
        } catch (IOException e) {
            if (destroyed.getCount() > 0) {
                log.debug("{}: session ended: {}", deviceName, e.toString());
                end();
                exitCallback.onExit(0, e.getMessage(), true);
            }
        } catch (RuntimeException e) {
            // A simulator bug: say so and close the channel, rather than leave the client waiting on a dead thread.
            log.warn("{}: simulated session failed", deviceName, e);
            end();
            exitCallback.onExit(1, e.toString(), true);
        } finally {
            end();
        }
    }

    /** Tells the dialogue it is over, once. */
    private void end() {
        if (ended.compareAndSet(false, true)) {
            dialogue.closed();
        }
    }

    /** Blocks until the client closes the channel, as a device does that never answers. */
    static void hang() throws InterruptedIOException {
        TerminalOutput.pause(Long.MAX_VALUE);
    }
}
