package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.camunda.client.CamundaClient;
import io.netsnap.NetsnapApplication;
import io.netsnap.lab.Lab;

/**
 * Where the embedded engine's gateway listens (issue #10): on loopback unless opened. Checked from outside, as a
 * neighbour would: a connection to one of this machine's network addresses, and, on Linux, the kernel's table of
 * listening sockets.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedGatewayBindingTests {

    private static final Path DATA = tempDir();
    private static final Lab LAB = Lab.start(DATA.resolve("lab"), List.of());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final String WARNING = "anyone who can reach that address can deploy processes and start instances";

    @AfterAll
    static void stopLab() {
        LAB.close();
    }

    @Test
    void byDefaultTheGatewayListensOnLoopbackOnly(CapturedOutput output) throws IOException {
        try (ConfigurableApplicationContext context = start(Map.of())) {
            int port = port(context);

            assertThat(context.getEnvironment().getProperty("netsnap.engine.embedded-address")).isEqualTo("127.0.0.1");
            assertThat(accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
            assertThat(topologyAnswers(context)).isTrue();
            int checks = 0;
            for (InetAddress address : networkAddresses()) {
                assertThat(accepts(address, port)).as("connection to %s:%d", address, port).isFalse();
                checks++;
            }
            List<InetAddress> listening = listeningAddresses(port);
            if (listening != null) {
                assertThat(listening).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
                checks++;
            }
            assertThat(checks).as("a network address to connect to, or /proc/net/tcp to read").isPositive();
            assertThat(output).doesNotContain(WARNING);
        }
    }

    @Test
    void anOpenedGatewayIsReachableFromTheNetworkAndSaysSo(CapturedOutput output) throws IOException {
        try (ConfigurableApplicationContext context = start(Map.of("netsnap.engine.embedded-address", "0.0.0.0"))) {
            int port = port(context);

            assertThat(topologyAnswers(context)).isTrue();
            int checks = 0;
            for (InetAddress address : networkAddresses()) {
                if (address instanceof Inet4Address) {
                    assertThat(accepts(address, port)).as("connection to %s:%d", address, port).isTrue();
                    checks++;
                }
            }
            List<InetAddress> listening = listeningAddresses(port);
            if (listening != null) {
                assertThat(listening).singleElement().matches(InetAddress::isAnyLocalAddress);
                checks++;
            }
            assertThat(checks).as("an IPv4 network address to connect to, or /proc/net/tcp to read").isPositive();
            assertThat(output).contains("The embedded engine's gateway listens on 0.0.0.0:" + port + ", not on"
                    + " loopback: " + WARNING + ", with no authentication");
        }
    }

    @Test
    void anAddressThatIsNotAnAddressStopsTheStart() {
        assertThatThrownBy(() -> start(Map.of("netsnap.engine.embedded-address", "every-interface")))
                .hasMessage("netsnap.engine.embedded-address must be an IP address (127.0.0.1 by default, 0.0.0.0 or"
                        + " :: for every interface), not 'every-interface'");
    }

    private static ConfigurableApplicationContext start(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(LAB.properties());
        properties.put("netsnap.archive.root", DATA.toString());
        properties.put("netsnap.engine.mode", "embedded");
        properties.put("netsnap.schedule.cron", "0 0 3 1 1 ?");
        properties.putAll(extra);
        return new SpringApplicationBuilder(NetsnapApplication.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("netsnap.engine.embedded-port"));
    }

    private static boolean topologyAnswers(ConfigurableApplicationContext context) {
        return !context.getBean(CamundaClient.class).newTopologyRequest().send().join().getBrokers().isEmpty();
    }

    /** {@code true} when a TCP connection is accepted, {@code false} when refused; anything else fails the test. */
    private static boolean accepts(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    /** This machine's addresses on interfaces that are up, other than loopback. */
    private static List<InetAddress> networkAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(EmbeddedGatewayBindingTests::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress())
                .toList();
    }

    private static boolean up(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The local addresses of the sockets listening on {@code port}, from Linux's {@code /proc/net/tcp} and
     * {@code tcp6}; {@code null} where there is no such table. Addresses are hex, 32-bit words in host byte order.
     */
    private static List<InetAddress> listeningAddresses(int port) throws IOException {
        Path ipv4 = Path.of("/proc/net/tcp");
        if (!Files.isReadable(ipv4)) {
            return null;
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Path table : List.of(ipv4, Path.of("/proc/net/tcp6"))) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                boolean listen = "0A".equals(fields[3]);
                if (listen && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(decode(local[0]));
                }
            }
        }
        return addresses;
    }

    private static InetAddress decode(String hex) throws UnknownHostException {
        byte[] words = HexFormat.of().parseHex(hex);
        byte[] address = new byte[words.length];
        boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < words.length; i++) {
            address[i] = littleEndian ? words[i - i % 4 + 3 - i % 4] : words[i];
        }
        return InetAddress.getByAddress(address);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("netsnap-gateway-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
