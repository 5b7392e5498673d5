package io.netsnap.workflow;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the embedded engine's gRPC gateway listens. The gateway has no authentication: whoever reaches it can deploy
 * processes and start instances that netsnap's workers then serve, so it stays on loopback unless opened on purpose.
 *
 * @param address {@code netsnap.engine.embedded-address}: an IP address of this machine, default {@code 127.0.0.1};
 *                {@code 0.0.0.0} or {@code ::} for every interface
 * @param port    {@code netsnap.engine.embedded-port}: 0 (default) until a free port is chosen
 */
record EmbeddedGateway(InetAddress address, int port) {

    static final String ADDRESS_KEY = "netsnap.engine.embedded-address";
    static final String PORT_KEY = "netsnap.engine.embedded-port";
    static final String DEFAULT_ADDRESS = "127.0.0.1";

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** Hex digits, colons and dots, led by a hex digit or a colon: the JDK parses it as an IPv6 literal, no DNS. */
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    EmbeddedGateway {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65_535) {
            throw new IllegalStateException(PORT_KEY + " must be between 0 and 65535, not " + port);
        }
    }

    /**
     * @param address the configured address, {@code null} for the default
     * @param port    the configured port, {@code null} or {@code 0} for a free one
     * @throws IllegalStateException naming the key, when a value is not an IP address or a port
     */
    static EmbeddedGateway parse(String address, String port) {
        return new EmbeddedGateway(parseAddress(address == null ? DEFAULT_ADDRESS : address.trim()),
                parsePort(port == null ? "0" : port.trim()));
    }

    private static InetAddress parseAddress(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (IPV4.matcher(literal).matches() || IPV6.matcher(literal).matches()) {
            try {
                return InetAddress.getByName(literal);
            } catch (UnknownHostException invalid) {
                // an IPv6-looking text that is not one: reported below
            }
        }
        throw new IllegalStateException(ADDRESS_KEY + " must be an IP address (127.0.0.1 by default, 0.0.0.0 or :: for"
                + " every interface), not '" + text + "'");
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(PORT_KEY + " must be a port number, not '" + text + "'");
        }
    }

    EmbeddedGateway withPort(int chosen) {
        return new EmbeddedGateway(address, chosen);
    }

    /** Reachable from this machine only. */
    boolean loopbackOnly() {
        return address.isLoopbackAddress();
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** How netsnap's own client reaches the gateway: the bound address, or loopback when bound to every interface. */
    String clientUrl() {
        InetAddress target = address;
        if (address.isAnyLocalAddress()) {
            target = address instanceof Inet6Address ? ipv6Loopback() : InetAddress.getLoopbackAddress();
        }
        return "http://" + hostLiteral(target) + ":" + port;
    }

    @Override
    public String toString() {
        return hostLiteral(address) + ":" + port;
    }

    private static String hostLiteral(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    private static InetAddress ipv6Loopback() {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        try {
            return InetAddress.getByAddress(loopback);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
