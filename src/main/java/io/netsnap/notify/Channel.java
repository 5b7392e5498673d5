package io.netsnap.notify;

/** Somewhere a notice goes. Each channel is configured on its own and fails on its own. */
interface Channel {

    /** For logs: {@code email}, {@code slack}, {@code teams}. */
    String name();

    boolean enabled();

    /** Where it sends to, for logs: a host, never a token or password. */
    String target();

    /** @throws RuntimeException when the message was not taken; its message must name no secret */
    void send(Notice notice);
}
