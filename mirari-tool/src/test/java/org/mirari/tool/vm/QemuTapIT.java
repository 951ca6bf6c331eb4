package org.mirari.tool.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirari run --qemu --tap}: the guest's NIC on a real tap in a network namespace, with a
 * static address and with DHCP from dnsmasq, answered from inside the namespace. Needs root,
 * iproute2, dnsmasq and curl; skipped otherwise.
 */
class QemuTapIT {
    @TempDir
    static Path dir;

    static Path hello;
    final String ns = "mvm" + ProcessHandle.current().pid() % 100000;
    final List<Process> started = new ArrayList<>();

    static boolean has(String tool) {
        return List.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d + tool)));
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
        return out;
    }

    @BeforeAll
    static void needsRootAndTools() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for taps and namespaces");
        for (String t : List.of("ip", "dnsmasq", "curl", "qemu-system-x86_64"))
            Assumptions.assumeTrue(has(t), t + " is not installed");
        hello = BuiltOnce.example("hello", "qemu");
    }

    @BeforeEach
    void namespaceWithATap() throws Exception {
        sh("ip", "netns", "add", ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        sh("ip", "-n", ns, "tuntap", "add", "dev", "tap0", "mode", "tap");
        sh("ip", "-n", ns, "addr", "add", "10.77.0.1/24", "dev", "tap0");
        sh("ip", "-n", ns, "link", "set", "tap0", "up");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (var p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        sh("ip", "netns", "del", ns);
    }

    /** {@code bin/mirari run --qemu --tap tap0} of hello inside the namespace, with a {@code --set} for each of {@code sets}. */
    private Mirari runOnTheTap(String... sets) throws IOException {
        var args = new ArrayList<>(List.of("run", "--qemu", "--tap", "tap0"));
        for (var set : sets) args.addAll(List.of("--set", set));
        args.add(hello.toString());
        return Mirari.start(dir, Map.of(), List.of("ip", "netns", "exec", ns), args.toArray(String[]::new));
    }

    private String curl(String url) throws Exception {
        return sh("ip", "netns", "exec", ns, "curl", "-s", "-m", "20", url);
    }

    @Test
    void aStaticAddressOnTheTap() throws Exception {
        try (var run = runOnTheTap("ip-address=10.77.0.2", "ip-gateway=10.77.0.1")) {
            run.await(l -> l.contains("ready: listening"), Duration.ofMinutes(4));
            assertThat(run.output()).contains("ready: network 10.77.0.2 netmask 255.255.255.0 gateway 10.77.0.1");
            assertThat(curl("http://10.77.0.2:8080/tap")).isEqualTo("Hello from Mirari! You asked for /tap\n");
            assertThat(run.stop()).isEqualTo(130);
        }
    }

    @Test
    void dhcpFromDnsmasqOnTheTap() throws Exception {
        Path leases = dir.resolve(ns + ".leases");
        started.add(new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        ns,
                        "dnsmasq",
                        "--no-daemon",
                        "--conf-file=/dev/null",
                        "--port=0",
                        "--interface=tap0",
                        "--bind-interfaces",
                        "--dhcp-range=10.77.0.10,10.77.0.50,255.255.255.0,1h",
                        "--dhcp-leasefile=" + leases)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(ns + ".dnsmasq.log").toFile())
                .start());
        try (var run = runOnTheTap("ip-use-dhcp=true")) {
            String network = run.await(l -> l.contains("ready: network"), Duration.ofMinutes(4));
            var m = Pattern.compile(
                            "ready: network (10\\.77\\.0\\.(\\d+)) netmask 255\\.255\\.255\\.0 gateway 10\\.77\\.0\\.1")
                    .matcher(network);
            assertThat(m.find()).as(network).isTrue();
            assertThat(Integer.parseInt(m.group(2))).isBetween(10, 50);
            run.await(l -> l.contains("ready: listening"), Duration.ofMinutes(4));
            assertThat(curl("http://" + m.group(1) + ":8080/dhcp"))
                    .isEqualTo("Hello from Mirari! You asked for /dhcp\n");
            assertThat(Files.readString(leases)).contains(m.group(1));
            assertThat(run.stop()).isEqualTo(130);
        }
    }
}
