package org.mirari.net.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.net.NetClock;
import org.mirari.net.dns.DnsStub;
import org.mirari.net.dns.MirariDns;
import org.mirari.net.stack.DhcpClient;
import org.mirari.net.stack.DhcpLease;
import org.mirari.net.stack.UdpSocket;
import org.mirari.net.wire.Ipv4Address;

/**
 * Mirari's stack against Linux on a real tap. The tap is created and opened in the test JVM's
 * namespace, then moved into a fresh namespace where the kernel side (10.77.0.1/24), busybox,
 * socat and dnsmasq live; the attached fd keeps working across the move.
 */
@Timeout(120)
class TapInteropIT {
    static final Ipv4Address HOST = Ipv4Address.parse("10.77.0.1"), APP = Ipv4Address.parse("10.77.0.2");
    static final long MS = 1_000_000L;

    /**
     * RFC 5227's probe and announce steps, each as often as the RFC says, on a scale of tenths: the
     * tap and its namespace are this test's alone, and Linux answers a probe at once. With the RFC's
     * own seconds each lease cost 3-7 s and the conflict 10 s more (DhcpProbeTest holds those on the
     * virtual clock; the tool's --unix ITs run them for real).
     */
    static final DhcpClient.ProbeTiming PRIVATE_TAP = new DhcpClient.ProbeTiming(
            100 * MS, 3, 200 * MS, 300 * MS, 500 * MS, 2, 200 * MS, 10, 60_000 * MS, 1000 * MS);

    TapInNamespace kernel;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        TapInNamespace.assumeAvailable("TapInteropIT");
        kernel = new TapInNamespace(HOST);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (kernel != null) kernel.close();
    }

    void startStatic() throws Exception {
        kernel.startStatic(kernel.device, APP, HOST);
    }

    @Test
    void busyboxPingIsAnsweredFromTheFirstPacketWithColdCaches() throws Exception {
        startStatic();
        var r = kernel.ns.execIn(30, "busybox", "ping", "-c", "3", "-W", "2", APP.toString());
        assertThat(r.output())
                .contains("seq=0", "seq=1", "seq=2")
                .contains("3 packets transmitted, 3 packets received, 0% packet loss");
        assertThat(r.code()).isZero();
        // and large pings, which the kernel fragments and we reassemble and answer fragmented
        var big = kernel.ns.execIn(30, "busybox", "ping", "-c", "2", "-s", "4000", "-W", "2", APP.toString());
        assertThat(big.output()).contains("2 packets received");
    }

    @Test
    void udpEchoAnswersSocat() throws Exception {
        Assumptions.assumeTrue(Netns.which("socat") != null, "socat is not installed");
        startStatic();
        var socket = kernel.stack().openUdp(Ipv4Address.ANY, 7, NetClock.SYSTEM);
        var echo = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    var d = socket.receive(-1);
                    socket.send(d.srcAddress(), d.srcPort(), d.payload());
                }
            } catch (Exception closed) {
            }
        });
        var r = kernel.ns.execIn(30, "sh", "-c", "echo hello-mirari | socat -T 3 - UDP4:" + APP + ":7");
        assertThat(r.output()).isEqualTo("hello-mirari\n");
        // a closed port answers with ICMP port unreachable, which socat reports as refused
        var refused = kernel.ns.execIn(30, "sh", "-c", "echo x | socat -T 2 - UDP4:" + APP + ":9");
        assertThat(refused.output()).contains("Connection refused");
        socket.close();
        assertThat(echo.join(Duration.ofSeconds(10)))
                .as("the echo thread ends with its socket")
                .isTrue();
    }

    @Test
    void stackSendsUdpToTheHost() throws Exception {
        Assumptions.assumeTrue(Netns.which("socat") != null, "socat is not installed");
        startStatic();
        var out = tmp.resolve("recv.txt");
        // -d -d: socat says when it listens, on stderr, which wakes the wait for the listener
        kernel.ns.start(
                out, tmp.resolve("socat.err"), "socat", "-d", "-d", "-u", "UDP4-RECV:9000,bind=" + HOST, "STDOUT");
        kernel.ns.awaitUdpListener(9000, Duration.ofSeconds(20));
        try (UdpSocket s = kernel.stack().openUdp(Ipv4Address.ANY, 0, NetClock.SYSTEM)) {
            // the very first datagram waits for ARP instead of being lost
            s.send(HOST, 9000, ByteBuffer.wrap("from-mirari\n".getBytes()));
            kernel.ns.output.until(
                    Duration.ofSeconds(10), () -> "socat to print the datagram", () -> Files.readString(out)
                            .contains("from-mirari"));
        }
        assertThat(Files.readString(out)).isEqualTo("from-mirari\n");
    }

    @Test
    void leaseFromDnsmasqIsAcquiredAndRenewed() throws Exception {
        Assumptions.assumeTrue(Netns.which("dnsmasq") != null, "dnsmasq is not installed");
        var log = tmp.resolve("dnsmasq.log");
        startDnsmasqAndDhcp(log, "--port=0", "--dhcp-option=option:T1,2", "--dhcp-option=option:T2,4");
        DhcpLease first = awaitLease(null, 20);
        assertThat(first.address().bits() & 0xffffff00).isEqualTo(HOST.bits() & 0xffffff00);
        assertThat(first.netmask()).isEqualTo(Ipv4Address.netmask(24));
        assertThat(first.server()).isEqualTo(HOST);
        assertThat(first.renewAt() - NetClock.SYSTEM.nanos()).isLessThan(3_000_000_000L);
        DhcpLease renewed = awaitLease(first, 20);
        assertThat(renewed.address()).isEqualTo(first.address());
        assertThat(renewed.expiresAt()).isGreaterThan(first.expiresAt());
        assertThat(Files.readString(log)).contains("DHCPACK(" + kernel.tap + ") " + first.address());
        // the leased address answers pings
        var r = kernel.ns.execIn(
                30, "busybox", "ping", "-c", "1", "-W", "2", first.address().toString());
        assertThat(r.output()).contains("1 packets received");
    }

    @Test
    void anOfferedAddressThatAnotherHostHasIsDeclinedAndAnotherLeased() throws Exception {
        Assumptions.assumeTrue(Netns.which("dnsmasq") != null, "dnsmasq is not installed");
        // The kernel's side holds 10.77.0.10 too, and answers ARP probes for it (RFC 5227 2.1.1);
        // dnsmasq reserves exactly that address for the stack's MAC, so the first offer conflicts.
        var taken = Ipv4Address.parse("10.77.0.10");
        Netns.run("ip", "-n", kernel.ns.name, "addr", "add", taken + "/32", "dev", kernel.tap);
        var log = tmp.resolve("dnsmasq.log");
        // Broadcast replies: an OFFER unicast to 10.77.0.10 would stay inside the host, which owns that address.
        startDnsmasqAndDhcp(
                log,
                "--port=0",
                "--dhcp-broadcast",
                "--dhcp-host=" + kernel.stack().mac() + "," + taken);
        // a DECLINE, a wait (RFC 2131 3.1 step 5; 10 s by the RFC, 1 s here), a new DISCOVER, and probes of the next
        // offer
        DhcpLease lease = awaitLease(null, 60);
        assertThat(lease.address()).isNotEqualTo(taken);
        assertThat(kernel.stack().dhcp().orElseThrow().conflicts()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("DHCPDECLINE(" + kernel.tap + ") " + taken);
        assertThat(kernel.stack().config().orElseThrow().address()).isEqualTo(lease.address());
        var r = kernel.ns.execIn(
                30, "busybox", "ping", "-c", "1", "-W", "2", lease.address().toString());
        assertThat(r.output()).contains("1 packets received");
    }

    @Test
    void namesResolveThroughTheStackWithTheDnsServerFromTheLease() throws Exception {
        Assumptions.assumeTrue(Netns.which("dnsmasq") != null, "dnsmasq is not installed");
        // dnsmasq serves DHCP (handing itself out as DNS server, option 6) and DNS for a test zone only
        var log = tmp.resolve("dnsmasq.log");
        startDnsmasqAndDhcp(
                log,
                "--port=53",
                "--no-resolv",
                "--no-hosts",
                "--log-queries",
                "--host-record=www.mirari.test,10.77.0.6",
                "--cname=alias.mirari.test,www.mirari.test");
        var lease = awaitLease(null, 30);
        assertThat(lease.dns()).containsExactly(HOST);
        var stub =
                new DnsStub(kernel.stack(), NetClock.SYSTEM, lease::dns, new SecureRandom(), DnsStub.Settings.DEFAULT);
        assertThat(stub.lookup("www.mirari.test")).containsExactly(Ipv4Address.parse("10.77.0.6"));
        MirariDns.install(stub); // as TapNetworkProvider does: now InetAddress asks through the stack
        try {
            assertThat(InetAddress.getByName("www.mirari.test").getHostAddress())
                    .isEqualTo("10.77.0.6");
            assertThat(InetAddress.getAllByName("alias.mirari.test"))
                    .extracting(InetAddress::getHostAddress)
                    .containsExactly("10.77.0.6");
            assertThatThrownBy(() -> InetAddress.getByName("nx.other.test")).isInstanceOf(UnknownHostException.class);
            assertThat(InetAddress.getByName("localhost").isLoopbackAddress()).isTrue();
            assertThat(InetAddress.getLocalHost())
                    .as("the host's own name, from /etc/hosts as before")
                    .isNotNull();
        } finally {
            MirariDns.uninstall(stub);
        }
        assertThat(Files.readString(log))
                .contains("query[A] www.mirari.test from " + lease.address())
                .contains("query[A] alias.mirari.test from " + lease.address());
    }

    @Test
    void leaseFromMirarisOwnResponder() throws Exception {
        var log = tmp.resolve("dnsmasq.log"); // awaitLease shows this file on failure
        kernel.ns.start(
                log,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.mirari.net.dhcp.DhcpResponder",
                HOST + "/24",
                kernel.stack().mac().toString(),
                "10.77.0.9",
                "30");
        kernel.ns.awaitUdpListener(67, Duration.ofSeconds(60)); // the responder's JVM has started
        kernel.stack().startDhcp(NetClock.SYSTEM.nanos(), PRIVATE_TAP);
        kernel.startDriver();
        var lease = awaitLease(null, 30);
        assertThat(lease.address()).isEqualTo(Ipv4Address.parse("10.77.0.9"));
        assertThat(lease.router()).contains(HOST);
        var r = kernel.ns.execIn(30, "busybox", "ping", "-c", "1", "-W", "2", "10.77.0.9");
        assertThat(r.output()).contains("1 packets received");
    }

    /** dnsmasq on the tap serving 10.77.0.10-20 with {@code extra} options, then the stack's DHCP client and driver. */
    private void startDnsmasqAndDhcp(Path log, String... extra) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of(
                "dnsmasq",
                "--no-daemon",
                "--conf-file=/dev/null",
                "--interface=" + kernel.tap,
                "--bind-interfaces",
                "--no-ping",
                "--dhcp-range=10.77.0.10,10.77.0.20,255.255.255.0,2m",
                "--dhcp-leasefile=" + tmp.resolve("leases"),
                "--log-dhcp"));
        cmd.addAll(java.util.List.of(extra));
        kernel.ns.start(log, cmd.toArray(String[]::new));
        kernel.ns.awaitUdpListener(67, Duration.ofSeconds(20));
        kernel.stack().startDhcp(NetClock.SYSTEM.nanos(), PRIVATE_TAP);
        kernel.startDriver();
    }

    private DhcpLease awaitLease(DhcpLease previous, int seconds) throws Exception {
        var got = new java.util.concurrent.atomic.AtomicReference<DhcpLease>();
        try {
            kernel.settled.until(Duration.ofSeconds(seconds), () -> previous == null ? "a lease" : "a renewal", () -> {
                var lease = kernel.stack().dhcp().flatMap(d -> {
                    synchronized (kernel.stack()) {
                        return d.lease();
                    }
                });
                lease.filter(l -> !l.equals(previous)).ifPresent(got::set);
                return got.get() != null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + Files.readString(tmp.resolve("dnsmasq.log")));
        }
        return got.get();
    }
}
