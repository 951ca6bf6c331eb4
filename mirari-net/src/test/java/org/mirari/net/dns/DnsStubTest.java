package org.mirari.net.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirari.net.NetClock;
import org.mirari.net.device.NetDevice;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.stack.Ipv4Config;
import org.mirari.net.stack.NetStack;
import org.mirari.net.wire.ArpPacket;
import org.mirari.net.wire.DnsMessage;
import org.mirari.net.wire.EtherType;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.IpProtocol;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.Ipv4Packet;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.UdpDatagram;

/**
 * The stub resolver against scripted DNS servers on a virtual switch: the test plays the servers,
 * reading each query the stack sends and answering (or not) as it pleases.
 */
@Timeout(30)
class DnsStubTest {
    static final Ipv4Address ME = Ipv4Address.parse("10.0.0.2"),
            NS1 = Ipv4Address.parse("10.0.0.53"),
            NS2 = Ipv4Address.parse("10.0.0.54");
    final VirtualSwitch sw = new VirtualSwitch();
    NetStack stack;
    NetDevice server;
    MacAddress serverMac = MacAddress.parse("02:00:00:00:00:53");
    final List<Query> seen = new ArrayList<>();

    /** A query as the server saw it. */
    record Query(Ipv4Address to, int srcPort, DnsMessage message, byte[] bytes) {}

    @BeforeEach
    void setUp() throws Exception {
        stack = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:02")), new Random(2));
        server = sw.port(serverMac);
        stack.configure(new Ipv4Config(ME, Ipv4Address.netmask(24), Optional.empty()), NetClock.SYSTEM.nanos());
        for (var ns : List.of(NS1, NS2)) { // the stack learns both servers' MAC, so queries need no resolution
            var arp = new ArpPacket(ArpPacket.REQUEST, serverMac, ns, MacAddress.ZERO, ME);
            server.send(new EthernetFrame(MacAddress.BROADCAST, serverMac, EtherType.ARP, arp.toBuffer()).toBuffer());
        }
        stack.poll(NetClock.SYSTEM.nanos());
        drain();
    }

    @AfterEach
    void tearDown() {
        stack.close();
    }

    DnsStub stub(List<Ipv4Address> servers, Duration timeout) {
        return new DnsStub(stack, NetClock.SYSTEM, () -> servers, new Random(9), new DnsStub.Settings(timeout, 2, 8));
    }

    List<Query> drain() throws Exception {
        var out = new ArrayList<Query>();
        var b = ByteBuffer.allocate(2000);
        while (true) {
            b.clear();
            if (server.receive(b) < 0) return out;
            var f = EthernetFrame.parse(b.flip());
            if (!f.type().equals(EtherType.IPV4)) continue;
            var ip = Ipv4Packet.parse(f.payload());
            if (!ip.protocol().equals(IpProtocol.UDP)) continue;
            var u = UdpDatagram.parse(ip.payload(), ip.src(), ip.dst());
            if (u.dstPort() != 53) continue;
            var bytes = new byte[u.payload().remaining()];
            u.payload().get(bytes);
            out.add(new Query(ip.dst(), u.srcPort(), DnsMessage.parse(ByteBuffer.wrap(bytes)), bytes));
        }
    }

    /** Runs {@code lookup} on another thread while playing the servers with {@code answer} (null: stay silent). */
    <T> T serve(Function<Query, byte[]> answer, Callable<T> lookup) throws Exception {
        var result = CompletableFuture.supplyAsync(() -> {
            try {
                return lookup.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        while (!result.isDone()) {
            stack.poll(NetClock.SYSTEM.nanos());
            for (var q : drain()) {
                seen.add(q);
                var reply = answer.apply(q);
                if (reply != null) sendFrom(q.to(), 53, q.srcPort(), reply);
            }
            stack.poll(NetClock.SYSTEM.nanos());
            Thread.onSpinWait();
        }
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
    }

    interface Callable<T> {
        T call() throws Exception;
    }

    void sendFrom(Ipv4Address src, int srcPort, int dstPort, byte[] payload) throws Exception {
        var u = new UdpDatagram(srcPort, dstPort, ByteBuffer.wrap(payload)).toBuffer(src, ME);
        var ip = Ipv4Packet.of(1, IpProtocol.UDP, src, ME, u).toBuffer();
        server.send(new EthernetFrame(stack.mac(), serverMac, EtherType.IPV4, ip).toBuffer());
    }

    /** A response to {@code q} with {@code rcode} and records given as (name, type, data) triples. */
    static byte[] respond(Query q, int idDelta, int rcode, Object... records) {
        var out = new ByteArrayOutputStream();
        var h = ByteBuffer.wrap(q.bytes().clone());
        h.putShort(0, (short) (q.message().id() + idDelta));
        h.putShort(2, (short) (0x8180 | rcode));
        h.putShort(6, (short) (records.length / 3));
        out.writeBytes(h.array());
        for (int i = 0; i < records.length; i += 3) {
            out.writeBytes(name((String) records[i]));
            int type = (int) records[i + 1];
            byte[] data = type == DnsMessage.TYPE_CNAME
                    ? name((String) records[i + 2])
                    : Ipv4Address.parse((String) records[i + 2]).toInet().getAddress();
            out.writeBytes(ByteBuffer.allocate(10)
                    .putShort((short) type)
                    .putShort((short) 1)
                    .putInt(300)
                    .putShort((short) data.length)
                    .array());
            out.writeBytes(data);
        }
        return out.toByteArray();
    }

    static byte[] name(String n) {
        var q = DnsMessage.query(0, n, 1);
        var b = new byte[q.remaining() - 12 - 4];
        q.position(12).get(b);
        return b;
    }

    @Test
    void resolvesAnARecordWithARandomIdAndSourcePortEachTime() throws Exception {
        var stub = stub(List.of(NS1), Duration.ofSeconds(5));
        var a = serve(q -> respond(q, 0, 0, "www.mirari.test", 1, "10.77.0.6"), () -> stub.lookup("WWW.mirari.test"));
        var b = serve(
                q -> respond(q, 0, 0, "www.mirari.test", 1, "10.77.0.6", "www.mirari.test", 1, "10.77.0.7"),
                () -> stub.lookup("www.mirari.test."));
        assertThat(a).containsExactly(Ipv4Address.parse("10.77.0.6"));
        assertThat(b).containsExactly(Ipv4Address.parse("10.77.0.6"), Ipv4Address.parse("10.77.0.7"));
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).message().id())
                .isNotEqualTo(seen.get(1).message().id());
        assertThat(seen.get(0).srcPort())
                .isNotEqualTo(seen.get(1).srcPort())
                .isBetween(NetStack.EPHEMERAL_FIRST, NetStack.EPHEMERAL_LAST);
        assertThat(seen.get(0).message().questions()).containsExactly(new DnsMessage.Question("www.mirari.test", 1, 1));
        assertThat(stack.stats().udpSockets())
                .as("each query's socket is closed")
                .isZero();
    }

    @Test
    void followsACnameChainWithinTheAnswerAndAsksForAnAliasItStopsAt() throws Exception {
        var stub = stub(List.of(NS1), Duration.ofSeconds(5));
        var inAnswer = serve(
                q -> respond(
                        q,
                        0,
                        0,
                        "alias.mirari.test",
                        5,
                        "mid.mirari.test",
                        "mid.mirari.test",
                        5,
                        "www.mirari.test",
                        "www.mirari.test",
                        1,
                        "10.77.0.6"),
                () -> stub.lookup("alias.mirari.test"));
        assertThat(inAnswer).containsExactly(Ipv4Address.parse("10.77.0.6"));
        seen.clear();
        var asked = serve(
                q -> q.message().questions().get(0).name().equals("alias.mirari.test")
                        ? respond(q, 0, 0, "alias.mirari.test", 5, "www.mirari.test")
                        : respond(q, 0, 0, "www.mirari.test", 1, "10.77.0.8"),
                () -> stub.lookup("alias.mirari.test"));
        assertThat(asked).containsExactly(Ipv4Address.parse("10.77.0.8"));
        assertThat(seen)
                .extracting(q -> q.message().questions().get(0).name())
                .containsExactly("alias.mirari.test", "www.mirari.test");
    }

    @Test
    void aCnameLoopEnds() {
        var stub = stub(List.of(NS1), Duration.ofSeconds(5));
        assertThatThrownBy(() -> serve(
                        q -> respond(q, 0, 0, "a.test", 5, "b.test", "b.test", 5, "a.test"),
                        () -> stub.lookup("a.test")))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("CNAME chain");
    }

    @Test
    void spoofedAnswersAreIgnored() throws Exception {
        var stub = stub(List.of(NS1), Duration.ofSeconds(5));
        var got = serve(
                q -> {
                    try {
                        sendFrom(
                                NS2,
                                53,
                                q.srcPort(),
                                respond(q, 0, 0, q.message().questions().get(0).name(), 1, "6.6.6.1")); // another host
                        sendFrom(
                                NS1,
                                5353,
                                q.srcPort(),
                                respond(q, 0, 0, q.message().questions().get(0).name(), 1, "6.6.6.2")); // another port
                        sendFrom(
                                NS1,
                                53,
                                q.srcPort(),
                                respond(q, 1, 0, q.message().questions().get(0).name(), 1, "6.6.6.3")); // another ID
                        var other = new Query(
                                q.to(),
                                q.srcPort(),
                                q.message(),
                                DnsMessage.query(q.message().id(), "evil.test", 1)
                                        .array());
                        sendFrom(
                                NS1,
                                53,
                                q.srcPort(),
                                respond(other, 0, 0, "evil.test", 1, "6.6.6.4")); // another question
                        sendFrom(NS1, 53, q.srcPort(), new byte[] {1, 2, 3}); // garbage
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                    return respond(q, 0, 0, "www.mirari.test", 1, "10.77.0.6");
                },
                () -> stub.lookup("www.mirari.test"));
        assertThat(got).containsExactly(Ipv4Address.parse("10.77.0.6"));
    }

    @Test
    void nxdomainEndsTheLookupAtOnce() {
        var stub = stub(List.of(NS1, NS2), Duration.ofSeconds(5));
        assertThatThrownBy(
                        () -> serve(q -> respond(q, 0, DnsMessage.RCODE_NXDOMAIN), () -> stub.lookup("nx.mirari.test")))
                .isInstanceOf(UnknownHostException.class)
                .hasMessage("nx.mirari.test: no such name (10.0.0.53)");
        assertThat(seen).hasSize(1);
    }

    @Test
    void servfailAndSilenceMoveOnToTheNextServer() throws Exception {
        var stub = stub(List.of(NS1, NS2), Duration.ofMillis(200));
        var got = serve(
                q -> q.to().equals(NS1)
                        ? respond(q, 0, DnsMessage.RCODE_SERVFAIL)
                        : respond(q, 0, 0, "www.mirari.test", 1, "10.77.0.6"),
                () -> stub.lookup("www.mirari.test"));
        assertThat(got).containsExactly(Ipv4Address.parse("10.77.0.6"));
        seen.clear();
        var quiet = serve(
                q -> q.to().equals(NS1) ? null : respond(q, 0, 0, "www.mirari.test", 1, "10.77.0.9"),
                () -> stub.lookup("www.mirari.test"));
        assertThat(quiet).containsExactly(Ipv4Address.parse("10.77.0.9"));
        assertThat(seen).extracting(Query::to).containsExactly(NS1, NS2);
    }

    @Test
    void noAnswerAfterEveryAttemptSaysSo() {
        var stub = stub(List.of(NS1, NS2), Duration.ofMillis(50));
        assertThatThrownBy(() -> serve(q -> null, () -> stub.lookup("www.mirari.test")))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("did not answer");
        assertThat(seen).extracting(Query::to).containsExactly(NS1, NS2, NS1, NS2); // two rounds
        assertThatThrownBy(() -> stub(List.of(), Duration.ofMillis(50)).lookup("www.mirari.test"))
                .hasMessageContaining("no DNS server");
        assertThatThrownBy(() -> stub.lookup("not a name")).isInstanceOf(UnknownHostException.class);
    }
}
