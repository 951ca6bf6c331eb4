package org.mirari.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BootParametersTest {
    static final AppSpec SPEC = new AppSpec("app", List.of(), Map.of("http-port", "8081", "ip-use-dhcp", "true"));

    @Test
    void theEnvironmentComesBetweenTheConfAndTheArguments() {
        var env =
                Map.of("MIRARI_HTTP_PORT", "9191", "MIRARI_IP_USE_DHCP", "false", "MIRARI_NOT_A_KEY", "x", "HOME", "/");
        var fromEnv = BootParameters.parse(new String[0], SPEC, env);
        assertThat(fromEnv.httpPort()).isEqualTo(9191);
        assertThat(fromEnv.ipUseDhcp()).isFalse();
        assertThat(BootParameters.parse(new String[] {"http-port=7070"}, SPEC, env)
                        .httpPort())
                .isEqualTo(7070);
        assertThat(BootParameters.envName("ip-use-dhcp")).isEqualTo("MIRARI_IP_USE_DHCP");
        assertThatThrownBy(() -> BootParameters.parse(new String[0], SPEC, Map.of("MIRARI_HTTP_PORT", "8o")))
                .hasMessage("boot parameter http-port \"8o\" is not a number; use 1-65535");
    }

    @Test
    void defaultsThenConfThenArguments() {
        var p = BootParameters.parse(new String[0], new AppSpec("app", List.of(), Map.of()));
        assertThat(p.httpPort()).isEqualTo(BootParameters.DEFAULT_HTTP_PORT).isEqualTo(8080);
        assertThat(p.httpAnyAddress()).isTrue();
        assertThat(p.ipUseDhcp()).isFalse();
        assertThat(p.ipAddress().getHostAddress()).isEqualTo("10.0.0.2");
        assertThat(p.ipNetmask().getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(p.ipGateway().map(a -> a.getHostAddress())).contains("10.0.0.1");

        var conf = BootParameters.parse(new String[0], SPEC);
        assertThat(conf.httpPort()).isEqualTo(8081);
        assertThat(conf.ipUseDhcp()).isTrue();

        var args = BootParameters.parse(
                new String[] {
                    "http-port=9090",
                    "http-address=127.0.0.1",
                    "ip-use-dhcp=false",
                    "ip-address=192.168.1.5",
                    "ip-netmask=255.255.0.0",
                    "ip-gateway="
                },
                SPEC);
        assertThat(args.httpPort()).isEqualTo(9090);
        assertThat(args.httpAddress()).isEqualTo("127.0.0.1");
        assertThat(args.ipUseDhcp()).isFalse();
        assertThat(args.ipAddress().getHostAddress()).isEqualTo("192.168.1.5");
        assertThat(args.ipNetmask().getHostAddress()).isEqualTo("255.255.0.0");
        assertThat(args.ipGateway()).isEqualTo(Optional.empty());
        assertThat(args.dns()).isEmpty();
        assertThat(BootParameters.parse(new String[] {"dns=10.0.0.53"}, SPEC)
                        .dns()
                        .map(a -> a.getHostAddress()))
                .contains("10.0.0.53");
    }

    @Test
    void https() {
        assertThat(BootParameters.parse(new String[0], SPEC).https()).isEmpty();
        var h = BootParameters.parse(
                        new String[] {
                            "https-port=8443", "tls-certificate=/c.pem", "tls-key=env:KEY", "http-redirect=https"
                        },
                        SPEC)
                .https()
                .orElseThrow();
        assertThat(h).isEqualTo(new BootParameters.Https(8443, "/c.pem", "env:KEY", true));
        assertThat(BootParameters.parse(new String[] {"https-port=8443"}, SPEC).https())
                .contains(new BootParameters.Https(8443, "", "", false));
        assertThatThrownBy(() -> BootParameters.parse(new String[] {"https-port=8443", "tls-certificate=/c.pem"}, SPEC))
                .hasMessage(
                        "boot parameter tls-certificate is given without tls-key; give both, or neither for a self-signed certificate");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http-port=8o|boot parameter http-port \"8o\" is not a number; use 1-65535",
                "http-port=0|boot parameter http-port 0 is out of range; use 1-65535",
                "http-port=65536|boot parameter http-port 65536 is out of range; use 1-65535",
                "http-address=localhost|boot parameter http-address \"localhost\" is not an IPv4 address; use dotted quads such as 10.0.0.2",
                "ip-address=10.0.0.256|boot parameter ip-address \"10.0.0.256\" is not an IPv4 address; use dotted quads such as 10.0.0.2",
                "ip-netmask=255.0.255.0|boot parameter ip-netmask 255.0.255.0 is not a netmask; use contiguous ones such as 255.255.255.0",
                "ip-use-dhcp=yes|boot parameter ip-use-dhcp \"yes\" is not a boolean; use true or false",
                "http-prot=80|unknown boot parameter http-prot; use one of dns, health-port, http-address, http-port, http-redirect, https-port, ip-address, ip-gateway, ip-netmask, ip-use-dhcp, tls-certificate, tls-key",
                "https-port=8081|boot parameter https-port 8081 is http-port too; use another, e.g. https-port=8443",
                "https-port=44x|boot parameter https-port \"44x\" is not a number; use 1-65535",
                "tls-key=/k.pem|boot parameter tls-key needs https-port; set one, e.g. https-port=8443",
                "http-redirect=yes|boot parameter http-redirect \"yes\" is not https; use http-redirect=https, or leave it empty for none",
                "dns=ns1|boot parameter dns \"ns1\" is not an IPv4 address; use dotted quads such as 10.0.0.2",
                "8080|boot parameter \"8080\" is not key=value; use e.g. http-port=8080"
            })
    void badValuesSayWhatToUse(String arg, String message) {
        assertThatThrownBy(() -> BootParameters.parse(new String[] {arg}, SPEC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
