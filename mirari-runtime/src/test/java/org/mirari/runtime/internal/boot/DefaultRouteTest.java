package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultRouteTest {
    private static final String HEADER =
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void theFirstDefaultRouteWithAGatewayIsChosen() {
        var route = DefaultRoute.parse(HEADER
                + "eth1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                + "eth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth2\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
        assertThat(route).isPresent();
        assertThat(route.get().device()).isEqualTo("eth0");
        assertThat(route.get().gateway().getHostAddress()).isEqualTo("10.0.0.1"); // little-endian hex
    }

    @Test
    void noDefaultRouteOrOnlyOneWithoutAGatewayIsNone() {
        assertThat(DefaultRoute.parse(HEADER)).isEmpty();
        assertThat(DefaultRoute.parse("")).isEmpty();
        assertThat(DefaultRoute.parse(HEADER + "tun0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n"))
                .isEmpty();
    }

    @Test
    void spacesCarriageReturnsAndALastLineWithoutNewlineAreRead() {
        var route = DefaultRoute.parse("Iface Destination Gateway\r\n  wlan0   00000000  FE01A8C0  0003");
        assertThat(route.map(DefaultRoute::device)).isEqualTo(Optional.of("wlan0"));
        assertThat(route.get().gateway().getHostAddress()).isEqualTo("192.168.1.254");
    }

    @Test
    void aDefaultRouteWithABadGatewayMakesTheTableUnreadable() {
        assertThat(DefaultRoute.parse(HEADER + "eth0\t00000000\tZZ00000A\t0003\n" + "eth1\t00000000\t0100000A\t0003\n"))
                .isEmpty();
    }

    @Test
    void fieldsAreSplitOnRunsOfWhitespace() {
        assertThat(DefaultRoute.fields("a \t b\u000bc", 3)).containsExactly("a", "b", "c");
        assertThat(DefaultRoute.fields("a b", 3)).containsExactly("a", "b", null);
        assertThat(DefaultRoute.fields("", 3)).containsExactly("", null, null);
    }
}
