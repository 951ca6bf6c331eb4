package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.AppSpec;
import org.mirari.runtime.BootParameters;

class HostNetworkTest {
    @Test
    void theInterfaceCarryingTheHttpAddressIsChosen() throws Exception {
        var params =
                BootParameters.parse(new String[] {"http-address=127.0.0.1"}, new AppSpec("a", List.of(), Map.of()));
        var iface = HostNetwork.describe(params).iface();
        assertThat(iface.address().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(iface.netmask().getHostAddress()).isEqualTo("255.0.0.0");
        assertThat(iface.mac()).isEmpty(); // loopback has no hardware address
    }

    @Test
    void prefixLengthsBecomeNetmasks() {
        assertThat(HostNetwork.mask(24).getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(HostNetwork.mask(0).getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(HostNetwork.mask(32).getHostAddress()).isEqualTo("255.255.255.255");
        assertThat(HostNetwork.mask(20).getHostAddress()).isEqualTo("255.255.240.0");
    }
}
