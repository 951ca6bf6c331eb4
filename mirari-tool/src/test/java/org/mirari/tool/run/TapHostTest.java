package org.mirari.tool.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.TapPlan;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ExitCode;
import org.mirari.tool.event.EventSink;

/** What a user without the right to make a tap is told (exit 5 with the commands that grant it). */
class TapHostTest {
    static TapPlan plan(String tap, boolean dhcp) {
        return new TapPlan(
                tap,
                "10.0.0.1",
                24,
                "02:00:00:00:00:02",
                dhcp ? Optional.of(List.of("10.0.0.2", "10.0.0.254")) : Optional.empty(),
                Optional.empty(),
                Path.of("/tmp/x.leases"),
                Optional.empty());
    }

    @Test
    void withoutRootAndWithoutATapSaysHowToGetOne() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "no /dev/net/tun here");
        var tap = "mtnone" + Long.toHexString(System.nanoTime() & 0xffffff);
        var tun = Path.of("/dev/net/tun");
        // as root the test JVM can always open it; the message adds chmod for users only when they cannot
        String tunGrant = Files.isReadable(tun) && Files.isWritable(tun) ? "" : "sudo chmod 0666 /dev/net/tun && ";
        assertThatThrownBy(() -> TapHost.prepare(plan(tap, false), new EventSink.Recording(), 1000, "alice"))
                .isInstanceOfSatisfying(
                        BackendException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BACKEND))
                .hasMessage(
                        "--unix needs a tap device and this user may not create one; run as root, or create a persistent"
                                + " tap for yourself once with: " + tunGrant + "sudo ip tuntap add dev " + tap
                                + " mode tap user alice"
                                + " && sudo ip addr add 10.0.0.1/24 dev " + tap + " && sudo ip link set dev " + tap
                                + " up");
    }

    @Test
    void anInterfaceThatIsNoTapIsRefused() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/class/net/lo")), "no /sys/class/net/lo here");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "no /dev/net/tun here");
        assertThatThrownBy(() -> TapHost.prepare(plan("lo", false), new EventSink.Recording(), 0, "root"))
                .isInstanceOf(BackendException.class)
                .hasMessage("lo exists but is not a tap device; choose another name with --tap NAME");
    }

    private static Host machine(Path path, Path tun) {
        return new Host(new ToolContext(
                Path.of("."),
                Map.of("PATH", path.toString()),
                Path.of("."),
                Map.of("mirari.tun.device", tun.toString())));
    }

    @Test
    void noTunDeviceSaysHowToGetOne(@TempDir Path tmp) {
        var tun = tmp.resolve("dev/net/tun");
        assertThatThrownBy(() -> TapHost.prepare(
                        plan("mtnotun", false), new EventSink.Recording(), 0, "root", machine(tmp, tun)))
                .isInstanceOfSatisfying(
                        BackendException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BACKEND))
                .hasMessage(tun + " does not exist, so --unix cannot open a tap here; load the tun module (sudo"
                        + " modprobe tun), or in a container give it the device (docker run --device /dev/net/tun),"
                        + " or use --socket");
    }

    @Test
    void noIpCommandIsNamedWithThePathAndNothingIsMade(@TempDir Path tmp) throws Exception {
        var tun = Files.writeString(tmp.resolve("tun"), "");
        var bin = Files.createDirectories(tmp.resolve("bin"));
        var tap = "mtnoip" + Long.toHexString(System.nanoTime() & 0xffffff);
        assertThatThrownBy(() ->
                        TapHost.prepare(plan(tap, false), new EventSink.Recording(), 0, "root", machine(bin, tun)))
                .isInstanceOfSatisfying(
                        BackendException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BACKEND))
                .hasMessage("ip (Debian package iproute2) is not on PATH (" + bin + "), and --unix needs it to set up"
                        + " the tap " + tap + "; install it (apt-get install iproute2) or add its directory to PATH,"
                        + " or use --socket");
        assertThat(Path.of("/sys/class/net", tap)).doesNotExist();
    }
}
