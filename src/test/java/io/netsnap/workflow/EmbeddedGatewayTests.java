package io.netsnap.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded gateway's address and port settings, as read before any bean exists. */
class EmbeddedGatewayTests {

    @Test
    void loopbackAndAFreePortByDefault() {
        EmbeddedGateway gateway = EmbeddedGateway.parse(null, null);

        assertThat(gateway.address().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(gateway.port()).isZero();
        assertThat(gateway.loopbackOnly()).isTrue();
    }

    @Test
    void anIpv6LoopbackIsLoopbackToo() {
        EmbeddedGateway gateway = EmbeddedGateway.parse("[::1]", "26500");

        assertThat(gateway.loopbackOnly()).isTrue();
        assertThat(gateway.clientUrl()).isEqualTo("http://[0:0:0:0:0:0:0:1]:26500");
    }

    @Test
    void everyInterfaceIsOpenAndTheClientStillUsesLoopback() {
        EmbeddedGateway gateway = EmbeddedGateway.parse(" 0.0.0.0 ", "26500");

        assertThat(gateway.loopbackOnly()).isFalse();
        assertThat(gateway.clientUrl()).isEqualTo("http://127.0.0.1:26500");
        assertThat(EmbeddedGateway.parse("::", "26500").clientUrl()).isEqualTo("http://[0:0:0:0:0:0:0:1]:26500");
    }

    @Test
    void aNetworkAddressIsOpenAndTheClientUsesIt() {
        EmbeddedGateway gateway = EmbeddedGateway.parse("192.0.2.10", "26500");

        assertThat(gateway.loopbackOnly()).isFalse();
        assertThat(gateway.clientUrl()).isEqualTo("http://192.0.2.10:26500");
        assertThat(gateway).hasToString("192.0.2.10:26500");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "gateway.example.com", "256.0.0.1", "127.1", "10.0.0", "1:2:3",
            "::1%lo", ".:1", "127.0.0.1:26500"})
    void anythingButAnIpAddressIsAClearError(String address) {
        assertThatThrownBy(() -> EmbeddedGateway.parse(address, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("netsnap.engine.embedded-address must be an IP address (127.0.0.1 by default, 0.0.0.0 or"
                        + " :: for every interface), not '" + address + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "http", "26500.5"})
    void anythingButAPortIsAClearError(String port) {
        assertThatThrownBy(() -> EmbeddedGateway.parse(null, port))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("netsnap.engine.embedded-port must be");
    }
}
