package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirari.tool.examples.HostCommands.exec;
import static org.mirari.tool.examples.HostCommands.sh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.examples.HostCommands;
import org.mirari.tool.examples.Unprivileged;

/**
 * {@code mirari run --unix examples/ping} for real: the tool runs inside a fresh network namespace
 * (so its tap and DHCP server are private to the test), the host side pings the app and talks UDP
 * to it, and stopping the tool removes what it created.
 */
@Timeout(180)
class UnixRunIT {
    @TempDir
    Path tmp;

    String ns;
    String tap;
    Process tool;
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        String why = !"root".equals(System.getProperty("user.name"))
                ? "needs root for namespaces and taps"
                : !Files.isWritable(Path.of("/dev/net/tun"))
                        ? "/dev/net/tun is not usable"
                        : !Files.isExecutable(Path.of("/usr/bin/busybox")) ? "busybox is not installed" : null;
        if (why != null) System.out.println("UnixRunIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        ns = "mirari-unix-" + id;
        tap = "mu" + id;
        sh("ip", "netns", "add", ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        copy(Path.of(System.getProperty("mirari.home"), "examples/ping"), tmp.resolve("ping"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tool != null) {
            // A failed test must not leave the app or the DHCP responder behind: ask the tool to
            // stop (it cleans up on SIGTERM), then kill whatever of its tree is still there.
            var tree = tool.descendants().toList();
            if (tool.isAlive()) tool.destroy();
            if (!tool.waitFor(10, TimeUnit.SECONDS)) tool.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        if (ns != null) exec("ip", "netns", "del", ns);
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (var f : s.toList()) {
                var name = f.getFileName().toString();
                if (Files.isRegularFile(f) && (name.endsWith(".java") || name.endsWith(".conf")))
                    Files.copy(f, to.resolve(name));
            }
        }
    }

    String inNs(String... cmd) throws IOException, InterruptedException {
        return HostCommands.inNs(ns, cmd);
    }

    final List<String> toolProperties = new ArrayList<>();

    void startTool(String... args) throws IOException {
        var home = Path.of(System.getProperty("mirari.home"));
        var cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dmirari.home=" + home,
                "-Dmirari.java.home=" + System.getProperty("java.home")));
        cmd.addAll(toolProperties);
        cmd.addAll(List.of(
                "-jar", home.resolve("mirari-tool/target/mirari.jar").toString(), "run", "--unix", "--tap", tap));
        cmd.addAll(List.of(args));
        cmd.add(tmp.resolve("ping").toString());
        tool = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        tool.getOutputStream().close();
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(tool.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                    all.add(l);
                }
            } catch (IOException e) {
                // tool gone
            }
        });
    }

    String awaitLine(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            var l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && l.contains(fragment)) return l;
            if (l == null && !tool.isAlive()) break;
        }
        throw new AssertionError("no line with \"" + fragment + "\" in:\n" + String.join("\n", all));
    }

    int stopTool() throws InterruptedException {
        tool.destroy(); // SIGTERM, as Ctrl-C's path in the tool
        assertThat(tool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return tool.exitValue();
    }

    @Test
    void staticAddressAnswersPingAndUdpThenCleansUp() throws Exception {
        startTool();
        assertThat(awaitLine("mirari: created tap")).contains(tap, "10.0.0.1/24");
        assertThat(awaitLine("ready: network")).contains("10.0.0.2");
        awaitLine("ping: echoing UDP");
        var ping = inNs("busybox", "ping", "-c", "3", "-W", "2", "10.0.0.2");
        assertThat(ping).contains("seq=0", "3 packets received");
        assertThat(inNs("sh", "-c", "echo hello-unix | socat -T 3 - UDP4:10.0.0.2:7007"))
                .isEqualTo("0:hello-unix\n");
        assertThat(stopTool()).isEqualTo(130);
        assertThat(inNs("ip", "link", "show", tap)).doesNotStartWith("0:");
    }

    @Test
    void dhcpFromDnsmasqGivesTheConfsAddressAndIsStoppedOnExit() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")), "dnsmasq is not installed");
        startTool("--set", "ip-use-dhcp=true");
        awaitLine("dnsmasq answers DHCP on " + tap);
        assertThat(awaitLine("ready: network")).contains("10.0.0.2");
        assertThat(inNs("busybox", "ping", "-c", "2", "-W", "2", "10.0.0.2")).contains("2 packets received");
        assertThat(stopTool()).isEqualTo(130);
        assertThat(inNs("ip", "link", "show", tap)).doesNotStartWith("0:");
        assertThat(exec("sh", "-c", "ps -eo args | grep -c '[d]nsmasq.*--interface=" + tap + "'"))
                .isEqualTo("1:0\n");
    }

    @Test
    void dhcpFromMirarisOwnResponderWhenDnsmasqIsNotUsed() throws Exception {
        toolProperties.add("-Dmirari.unix.dhcp=builtin");
        startTool("--set", "ip-use-dhcp=true", "--set", "ip-address=10.0.0.7");
        awaitLine("Mirari's DHCP responder answers on " + tap);
        assertThat(awaitLine("ready: network")).contains("10.0.0.7");
        awaitLine("ping: echoing UDP"); // the app binds its socket after the network is up
        assertThat(inNs("sh", "-c", "echo via-builtin-dhcp | socat -T 3 - UDP4:10.0.0.7:7007"))
                .isEqualTo("0:via-builtin-dhcp\n");
        assertThat(stopTool()).isEqualTo(130);
        assertThat(inNs("ip", "link", "show", tap)).doesNotStartWith("0:");
        assertThat(exec("sh", "-c", "ps -eo args | grep -c '[D]hcpResponder 10.0.0.1/24'"))
                .isEqualTo("1:0\n");
    }

    @Test
    void aUserWithoutRootIsToldTheCommandsAndExits5() throws Exception {
        String why = Unprivileged.unavailableReason();
        if (why != null) System.out.println("UnixRunIT.aUserWithoutRootIsToldTheCommandsAndExits5 skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        var app = tmp.resolve("ping").toString();
        var home = Files.createDirectories(tmp.resolve("home"));
        Unprivileged.openUp(tmp);
        // the real launcher as user nobody (uid 65534), inside the test's namespace
        var cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(Unprivileged.command(home, "run", "--unix", "--tap", tap, app));
        var out = exec(cmd.toArray(String[]::new));
        assertThat(out)
                .startsWith("5:")
                .contains("mirari: --unix needs a tap device and this user may not create one; run as root,"
                        + " or create a persistent tap for yourself once with: ")
                .contains("sudo ip tuntap add dev " + tap + " mode tap user nobody && sudo ip addr add 10.0.0.1/24 dev "
                        + tap + " && sudo ip link set dev " + tap + " up");
        assertThat(inNs("ip", "link", "show", tap)).doesNotStartWith("0:");
    }

    @Test
    void existingPersistentTapIsReusedAndKept() throws Exception {
        sh("ip", "-n", ns, "tuntap", "add", "dev", tap, "mode", "tap");
        startTool();
        assertThat(awaitLine("using existing tap")).contains(tap);
        awaitLine("ready: network");
        assertThat(inNs("busybox", "ping", "-c", "1", "-W", "2", "10.0.0.2")).contains("1 packets received");
        assertThat(stopTool()).isEqualTo(130);
        assertThat(inNs("ip", "link", "show", tap)).startsWith("0:");
        assertThat(inNs("ip", "-o", "-4", "addr", "show", "dev", tap))
                .doesNotContain("10.0.0.1"); // the address it added is gone
    }
}
