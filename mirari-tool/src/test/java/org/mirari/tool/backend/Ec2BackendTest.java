package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirari.tool.error.ConfigException;

/** The {@code --ec2} disk's command line and {@code run --ec2}'s QEMU network as values (no VM here). */
class Ec2BackendTest {
    @Test
    void theDisksCommandLineNamesTheMetadataServiceForTheInitAndDefaultsToDhcp() {
        var app = XenBackendTest.seed(List.of("ip-use-dhcp=false"));
        var noDhcp = XenBackendTest.seed(List.of());
        String line = Ec2Backend.cmdline(
                XenBackendTest.image(app),
                Ec2Backend.bootParameters(XenBackendTest.seed(List.of()).config()));
        // Before "--": the kernel gives NAME=value to the init as environment; after it: the app's parameters.
        String before = line.substring(0, line.indexOf(" -- "));
        assertThat(before).startsWith("console=ttyS0 MIRARI_IMDS=169.254.169.254 panic=-1 quiet");
        assertThat(before).doesNotContain("tsc_early_khz");
        assertThat(line.substring(line.indexOf(" -- "))).contains(" http-port=80");
        assertThat(line).contains(" ip-use-dhcp=true");
    }

    @Test
    void runsUserNetworkHoldsTheMetadataServiceAndHandsItsConnectionsToTheStandIn() {
        var app = XenBackendTest.seed(List.of());
        var overrides = new LinkedHashMap<String, String>();
        overrides.put("http-port", "9090");
        overrides.put("http-address", "*");
        var boot = XenBackendTest.boot(app, overrides);
        var urls = new ArrayList<String>();
        String imds = Ec2Backend.imdsCommand(Path.of("/opt/mirari,x"), boot.overrides());
        String netdev = Ec2Backend.userNetdev(boot, List.of(PortForward.parse("18555:9090")), app.config(), urls, imds);
        assertThat(imds)
                .matches("/bin/sh /opt/mirari,x/bin/mirari-imds mirari-[0-9a-f]{16} http-port=9090 'http-address=\\*'");
        assertThat(netdev)
                .isEqualTo("user,id=n0,net=169.254.169.0/24,host=169.254.169.1,dhcpstart=169.254.169.15,"
                        + "hostfwd=tcp:127.0.0.1:18555-169.254.169.15:9090,"
                        + "guestfwd=tcp:169.254.169.254:80-cmd:" + imds.replace(",", ",,"));
        assertThat(urls).containsExactly("http://127.0.0.1:18555/");
        // The token follows the user data: another --set, another token.
        assertThat(Ec2Backend.imdsCommand(Path.of("/m"), Map.of("http-port", "9091"))
                        .split(" ")[2])
                .isNotEqualTo(imds.split(" ")[2]);
    }

    @Test
    void setsThatUserDataCannotCarryAreRefusedWithWhatToDo() {
        var app = XenBackendTest.seed(List.of());
        var backend = new Ec2Backend(Host.bare());
        assertThatThrownBy(() -> backend.launch(
                        app, XenBackendTest.boot(app, Map.of("ip-address", "10.0.0.9")), RunOptions.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--set ip-address: on --ec2 the network comes up (by DHCP, as on EC2) before the user data"
                        + " that carries --set is read; put them in app.conf and run mirari build --ec2 again");
        var tap = new RunOptions(true, RunOptions.DEFAULT_TAP, Optional.empty(), List.of(), Optional.of("tap7"));
        assertThatThrownBy(() -> backend.launch(app, XenBackendTest.boot(app, Map.of("http-port", "9090")), tap))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--set http-port: on --ec2 they reach the guest as user data from run --ec2's stand-in"
                        + " metadata service, which only the user network has; drop --tap, or put them in app.conf"
                        + " and run mirari build --ec2 again");
    }
}
