package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.plan.Boot;

/** The --unix backend's effects as values: the app's command line and the host side's plan. */
class UnixBackendTest {
    @TempDir
    Path dir;

    final UnixBackend backend = new UnixBackend();

    AppBuild app() {
        return TestApps.bare(dir.resolve("ping/ping.conf"), "main-ip: Ping.main\n", List.of("-Xmx64m"));
    }

    @Test
    void launchPutsTheAppOnTheTapWithTheSelectorProvider() {
        var launch = backend.launch(
                        app(), boot(Map.of("ip-address", "10.0.0.9")), new RunOptions(true, "tap7", Optional.empty()))
                .launch();
        var appDir = dir.resolve("ping");
        assertThat(launch.command())
                .containsExactly(
                        "/jdk/bin/java",
                        "-Xmx64m",
                        "-Dmirari.kv.dir=" + appDir.resolve(".mirari/kv"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dmirari.net=tap:tap7",
                        "-Dmirari.mac=" + UnixBackend.appMac("ping"),
                        "-Djava.nio.channels.spi.SelectorProvider=org.mirari.net.nio.MirariSelectorProvider",
                        "-jar",
                        appDir.resolve(".mirari/socket/ping.jar").toString(),
                        "ip-address=10.0.0.9");
        assertThat(launch.aotTraining()).isEmpty();
        assertThat(launch.directory()).isEqualTo(appDir);
    }

    Boot boot(Map<String, String> overrides) {
        return TestApps.boot(dir.resolve("ping/ping.conf"), "main-ip: Ping.main\n", overrides);
    }

    @Test
    void launchOfAnIpAppPreparesTheTapFirst() {
        var spec = backend.launch(app(), boot(Map.of()), new RunOptions(true, "tap7", Optional.empty()));
        assertThat(spec).isInstanceOfSatisfying(RunSpec.HostPrepared.class, h -> assertThat(
                        h.host().tap())
                .isEqualTo("tap7"));
        var noip = TestApps.bare(dir.resolve("ping/ping.conf"), "main-noip: Ping.main\n", List.of());
        assertThat(backend.launch(noip, boot(Map.of()), new RunOptions(true))).isInstanceOf(RunSpec.Process.class);
    }

    @Test
    void appMacIsStableLocallyAdministeredUnicast() {
        var mac = UnixBackend.appMac("ping");
        assertThat(mac)
                .matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}")
                .isEqualTo(UnixBackend.appMac("ping"))
                .isNotEqualTo(UnixBackend.appMac("pong"));
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        assertThat(first & 0x03).isEqualTo(0x02);
    }

    @Test
    void staticPlanPutsTheHostOnTheAppsGateway() {
        var plan = backend.tapPlan(
                app(),
                boot(Map.of("ip-address", "192.168.7.5", "ip-netmask", "255.255.255.0", "ip-gateway", "192.168.7.254")),
                new RunOptions(true));
        assertThat(plan.tap()).isEqualTo("tap0");
        assertThat(plan.createCommands())
                .containsExactly(
                        List.of("ip", "tuntap", "add", "dev", "tap0", "mode", "tap"),
                        List.of("ip", "link", "set", "dev", "tap0", "alias", "mirari-run"),
                        List.of("ip", "addr", "add", "192.168.7.254/24", "dev", "tap0"),
                        List.of("ip", "link", "set", "dev", "tap0", "mtu", "65520"),
                        List.of("ip", "link", "set", "dev", "tap0", "up"));
        assertThat(plan.deleteCommand()).containsExactly("ip", "link", "del", "dev", "tap0");
        assertThat(plan.dnsmasqCommand("dnsmasq")).isEmpty();
        assertThat(backend.tapPlan(app(), boot(Map.of()), new RunOptions(true)).hostAddress())
                .isEqualTo("10.0.0.1");
        // the gateway (10.0.0.1) is off the app's subnet: the first other address of the subnet
        assertThat(backend.tapPlan(app(), boot(Map.of("ip-address", "10.1.0.1")), new RunOptions(true))
                        .hostAddress())
                .isEqualTo("10.1.0.2");
    }

    @Test
    void dhcpPlanRunsDnsmasqOnTheTapAndReservesTheConfsAddress() {
        var plan = backend.tapPlan(
                app(), boot(Map.of("ip-use-dhcp", "true")), new RunOptions(true, "tap3", Optional.empty()));
        assertThat(plan.hostAddress()).isEqualTo("10.0.0.1");
        assertThat(plan.dhcpRange()).contains(List.of("10.0.0.2", "10.0.0.254"));
        assertThat(plan.dnsmasqCommand("/usr/sbin/dnsmasq").orElseThrow())
                .containsExactly(
                        "/usr/sbin/dnsmasq",
                        "--no-daemon",
                        "--conf-file=/dev/null",
                        "--port=0",
                        "--interface=tap3",
                        "--except-interface=lo",
                        "--bind-dynamic",
                        "--no-ping",
                        "--dhcp-range=10.0.0.2,10.0.0.254,255.255.255.0,1h",
                        "--dhcp-leasefile=" + dir.resolve("ping/.mirari/unix/dnsmasq.leases"),
                        "--dhcp-authoritative",
                        "--dhcp-host=" + UnixBackend.appMac("ping") + ",10.0.0.2");
    }

    @Test
    void dhcpPlanHasMirarisOwnResponderAsFallback() {
        var withNet = new AppBuild(
                "ping",
                dir.resolve("ping/ping.conf"),
                List.of(),
                List.of(Path.of("/m/mirari-runtime.jar"), Path.of("/m/mirari-net-0.1.0-SNAPSHOT.jar")),
                List.of(),
                25,
                Path.of("/jdk"),
                List.of(),
                "test",
                app().config());
        var plan = backend.tapPlan(
                withNet, boot(Map.of("ip-use-dhcp", "true", "ip-address", "10.0.0.5")), new RunOptions(true));
        assertThat(plan.responderCommand().orElseThrow())
                .containsExactly(
                        "/jdk/bin/java",
                        "-cp",
                        "/m/mirari-net-0.1.0-SNAPSHOT.jar",
                        "org.mirari.net.dhcp.DhcpResponder",
                        "10.0.0.1/24",
                        UnixBackend.appMac("ping"),
                        "10.0.0.5",
                        "3600");
        assertThat(backend.tapPlan(withNet, boot(Map.of()), new RunOptions(true))
                        .responderCommand())
                .isEmpty(); // static: no DHCP
    }

    @Test
    void hostAddressOption() {
        var plan = backend.tapPlan(app(), boot(Map.of()), new RunOptions(true, "tap0", Optional.of("172.16.0.1/16")));
        assertThat(plan.hostAddress()).isEqualTo("172.16.0.1");
        assertThat(plan.prefix()).isEqualTo(16);
        assertThat(plan.netmask()).isEqualTo("255.255.0.0");
        assertThatThrownBy(() -> backend.tapPlan(
                        app(), boot(Map.of()), new RunOptions(true, "tap0", Optional.of("172.16.0.1/40"))))
                .isInstanceOf(BackendException.class)
                .hasMessage("--host-address 172.16.0.1/40 has no valid prefix; use e.g. 10.0.0.1/24");
    }

    @Test
    void badTapNamesAreRefused() {
        assertThatThrownBy(() -> backend.launch(
                        app(), boot(Map.of()), new RunOptions(true, "a-very-long-tap-name", Optional.empty())))
                .isInstanceOf(BackendException.class)
                .hasMessage(
                        "--tap \"a-very-long-tap-name\" is not a device name; use 1-15 letters, digits, '-', '_' or '.'");
    }

    @Test
    void grantCommandsAreExact() {
        var plan = backend.tapPlan(app(), boot(Map.of()), new RunOptions(true));
        assertThat(plan.grantCommands("alice"))
                .isEqualTo("sudo ip tuntap add dev tap0 mode tap user alice"
                        + " && sudo ip addr add 10.0.0.1/24 dev tap0 && sudo ip link set dev tap0 up");
    }
}
