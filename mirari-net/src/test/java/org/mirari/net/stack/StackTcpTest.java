package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.stack.tcp.TcpState;
import org.mirari.net.wire.IpProtocol;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.Ipv4Packet;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.TcpOptions;
import org.mirari.net.wire.TcpSegment;

/** TCP through whole stacks on the virtual switch and clock: tables, ports, listeners, resets. */
class StackTcpTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.2"), B = Ipv4Address.parse("10.0.0.3");
    final VirtualClock clock = new VirtualClock();
    final VirtualSwitch sw = new VirtualSwitch();

    NetStack stack(String mac, Ipv4Address ip, long seed) throws Exception {
        var s = new NetStack(sw.port(MacAddress.parse(mac)), new Random(seed));
        s.setClock(clock);
        s.configure(new Ipv4Config(ip, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        return s;
    }

    void run(long ms, NetStack... stacks) throws Exception {
        for (long t = 0; t < ms; t++) {
            for (int i = 0; i < 4; i++) for (var s : stacks) s.poll(clock.nanos());
            clock.advanceMillis(1);
        }
    }

    @Test
    void ephemeralPortExhaustionFailsAtOnceWithAClearError() throws Exception {
        var s = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:0a")), new Random(1), 40000, 40003);
        s.setClock(clock);
        s.configure(new Ipv4Config(A, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        var held = new ArrayList<TcpSocket>();
        for (int i = 0; i < 3; i++) held.add(s.connectTcp(B, 80, clock));
        s.openUdp(Ipv4Address.ANY, 0, clock); // UDP and TCP share the allocator
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> s.connectTcp(B, 80, clock))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("no free local port for TCP in 40000-40003 (all 4 are in use");
        assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L); // known hang elsewhere: an endless search
        held.getFirst().close(true);
        assertThat(s.connectTcp(B, 80, clock).localPort()).isBetween(40000, 40003); // a closed socket frees its port
    }

    @Test
    void aSegmentForNoConnectionGetsARstAndNothingIsCreated() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var peer = new Peer(sw.port(MacAddress.parse("02:00:00:00:00:0c")), B);
        peer.sendArp(org.mirari.net.wire.ArpPacket.REPLY, a.mac(), a.mac(), A);
        a.poll(clock.nanos());
        peer.frames();
        var syn = new TcpSegment(4000, 81, 777, 0, TcpSegment.SYN, 1000, 0, TcpOptions.NONE, ByteBuffer.allocate(0));
        peer.sendIp(a.mac(), IpProtocol.TCP, A, syn.toBuffer(B, A));
        a.poll(clock.nanos());
        var ips = peer.ips(peer.frames());
        assertThat(ips).hasSize(1);
        var rst = TcpSegment.parse(ips.getFirst().payload(), A, B);
        assertThat(rst.flags()).isEqualTo(TcpSegment.RST | TcpSegment.ACK_FLAG);
        assertThat(rst.ack()).isEqualTo(778);
        assertThat(a.stats().tcp().connections()).isZero();
        // and never a RST for a RST
        peer.sendIp(
                a.mac(),
                IpProtocol.TCP,
                A,
                new TcpSegment(4000, 81, 1, 0, TcpSegment.RST, 0, 0, TcpOptions.NONE, ByteBuffer.allocate(0))
                        .toBuffer(B, A));
        a.poll(clock.nanos());
        assertThat(peer.frames()).isEmpty();
    }

    @Test
    void theBacklogBoundsBothQueuesAndExtraSynsAreDroppedSilently() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var b = stack("02:00:00:00:00:0b", B, 2);
        var server = a.listenTcp(Ipv4Address.ANY, 80, 2);
        var clients = new ArrayList<TcpSocket>();
        for (int i = 0; i < 4; i++) clients.add(b.connectTcp(A, 80, clock));
        run(50, a, b);
        assertThat(server.pending()).isEqualTo(2);
        assertThat(a.stats().tcp().listenDrops()).isPositive();
        assertThat(clients.stream()
                        .filter(c -> c.state() == TcpState.ESTABLISHED)
                        .count())
                .isEqualTo(2);
        // accepting makes room; the dropped SYNs are retransmitted and get in
        assertThat(server.accept(0)).isNotNull();
        assertThat(server.accept(0)).isNotNull();
        run(3000, a, b);
        assertThat(clients).allMatch(c -> c.state() == TcpState.ESTABLISHED);
        server.close(); // the two never accepted are reset
        run(10, a, b);
        assertThat(clients.stream().filter(c -> c.error() != null).count()).isEqualTo(2);
    }

    @Test
    void thousandsOfShortConnectionsLeaveTheTablesAtBaseline() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var b = stack("02:00:00:00:00:0b", B, 2);
        a.setTcpConfig(a.tcpConfig().withTimeWait(2_000_000_000L));
        b.setTcpConfig(b.tcpConfig().withTimeWait(2_000_000_000L));
        var server = a.listenTcp(Ipv4Address.ANY, 80, 128);
        var buf = ByteBuffer.allocate(100);
        for (int round = 0; round < 2000; round++) {
            var c = b.connectTcp(A, 80, clock);
            run(1, a, b);
            var s = server.accept(0);
            assertThat(s).as("round %d", round).isNotNull();
            c.write(ByteBuffer.wrap("GET".getBytes()), false);
            run(1, a, b);
            assertThat(s.read(buf.clear(), 0)).isEqualTo(3);
            s.write(ByteBuffer.wrap("OK".getBytes()), false);
            // the orders of closing vary: server first, client first, both at once, and a reset
            switch (round % 4) {
                case 0 -> {
                    s.close();
                    run(1, a, b);
                    c.read(buf.clear(), 0);
                    c.close();
                }
                case 1 -> {
                    run(1, a, b);
                    c.read(buf.clear(), 0);
                    c.close();
                    run(1, a, b);
                    s.close();
                }
                case 2 -> {
                    run(1, a, b);
                    c.read(buf.clear(), 0);
                    c.close();
                    s.close();
                }
                default -> {
                    c.close(true);
                    run(1, a, b);
                    s.close();
                }
            }
            run(1, a, b);
        }
        run(5000, a, b);
        server.close();
        for (var st : new NetStack[] {a, b}) {
            var t = st.stats().tcp();
            assertThat(t.connections()).as("%s", st.tcpStates()).isZero();
            assertThat(t.ports()).isZero();
            assertThat(t.listeners()).isZero();
            assertThat(t.timers()).isZero();
        }
    }

    /** A peer that answers the stack's ARP, so segments to it go out at once. */
    Peer peerFor(NetStack a) throws Exception {
        var peer = new Peer(sw.port(MacAddress.parse("02:00:00:00:00:0c")), B);
        peer.sendArp(
                org.mirari.net.wire.ArpPacket.REQUEST,
                MacAddress.BROADCAST,
                MacAddress.ZERO,
                A); // the stack learns B's MAC
        a.poll(clock.nanos());
        peer.frames();
        return peer;
    }

    /** An ICMP error from the peer quoting the IP packet {@code quoted}. */
    static ByteBuffer icmpAbout(int type, int code, int rest, Ipv4Packet quoted) {
        var q = quoted.toBuffer();
        return new org.mirari.net.wire.IcmpMessage(type, code, rest, q.slice(0, Math.min(q.remaining(), 28 + 20)))
                .toBuffer();
    }

    @Test
    void icmpPortUnreachableFailsTheConnectItAnswers() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var peer = peerFor(a);
        var c = a.connectTcp(B, 80, clock);
        var syn = peer.ips(peer.frames()).getFirst();
        peer.sendIp(a.mac(), IpProtocol.ICMP, A, icmpAbout(3, 3, 0, syn));
        a.poll(clock.nanos());
        assertThatThrownBy(() -> c.awaitConnected(0))
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessageContaining("ICMP port unreachable from 10.0.0.3");
        assertThat(a.stats().icmp().errorsDelivered()).isEqualTo(1);
        c.close();
        assertThat(a.stats().tcp().connections()).isZero();
    }

    @Test
    void icmpFragmentationNeededLowersTheMss() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var peer = peerFor(a);
        var c = a.connectTcp(B, 80, clock);
        var syn = TcpSegment.parse(peer.ips(peer.frames()).getFirst().payload(), A, B);
        var synAck = new TcpSegment(
                80,
                c.localPort(),
                5000,
                syn.seq() + 1,
                TcpSegment.SYN | TcpSegment.ACK_FLAG,
                65535,
                0,
                new TcpOptions(1460, 0, false),
                ByteBuffer.allocate(0));
        peer.sendIp(a.mac(), IpProtocol.TCP, A, synAck.toBuffer(B, A));
        a.poll(clock.nanos());
        peer.frames();
        c.write(ByteBuffer.allocate(3000), false);
        var big = peer.ips(peer.frames()).getFirst();
        assertThat(big.length()).isEqualTo(1500);
        assertThat(big.dontFragment()).isTrue();
        peer.sendIp(a.mac(), IpProtocol.ICMP, A, icmpAbout(3, 4, 1000, big)); // next-hop MTU 1000 (RFC 1191)
        a.poll(clock.nanos());
        clock.advanceSeconds(2); // the retransmission goes out at the new size
        a.poll(clock.nanos());
        var again = peer.ips(peer.frames());
        assertThat(again).isNotEmpty().allMatch(p -> p.length() <= 1000);
    }

    @Test
    void icmpPortUnreachableReachesAConnectedUdpSocket() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var peer = peerFor(a);
        var u = a.openUdp(Ipv4Address.ANY, 5353, clock);
        u.setConnected(B, 53);
        u.send(B, 53, ByteBuffer.wrap("q".getBytes()));
        var sent = peer.ips(peer.frames()).getFirst();
        peer.sendIp(a.mac(), IpProtocol.ICMP, A, icmpAbout(3, 3, 0, sent));
        a.poll(clock.nanos());
        assertThatThrownBy(u::poll).isInstanceOf(java.net.PortUnreachableException.class);
        assertThat(u.poll()).isNull(); // reported once
    }

    @Test
    void theLoopbackQueueIsBounded() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var u = a.openUdp(Ipv4Address.ANY, 0, clock);
        for (int i = 0; i < NetStack.LOOPBACK_QUEUE + 100; i++) u.send(A, 9, ByteBuffer.wrap(new byte[] {1}));
        assertThat(a.stats().ip().loopbackQueued()).isEqualTo(NetStack.LOOPBACK_QUEUE);
        assertThat(a.stats().ip().loopbackDropped()).isEqualTo(100);
        while (a.poll(clock.nanos())) {}
        assertThat(a.stats().ip().loopbackQueued()).isZero();
    }

    @Test
    void listenersAreNeverCalledUnderTheStacksLock() throws Exception {
        var a = stack("02:00:00:00:00:0a", A, 1);
        var b = stack("02:00:00:00:00:0b", B, 2);
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        var underLock = new java.util.concurrent.atomic.AtomicInteger();
        Runnable check = () -> {
            calls.incrementAndGet();
            if (a.lock.isHeldByCurrentThread() || b.lock.isHeldByCurrentThread()) underLock.incrementAndGet();
        };
        var server = a.listenTcp(Ipv4Address.ANY, 80, 4);
        server.setListener(check);
        a.addConfigListener(c -> check.run());
        var c = b.connectTcp(A, 80, clock);
        c.setListener(check);
        run(5, a, b);
        var s = server.accept(0);
        s.setListener(check);
        c.write(ByteBuffer.wrap("x".getBytes()), false);
        run(5, a, b);
        s.close();
        run(5, a, b);
        a.configure(
                new Ipv4Config(Ipv4Address.parse("10.0.0.9"), Ipv4Address.netmask(24), Optional.empty()),
                clock.nanos());
        assertThat(calls.get()).isGreaterThanOrEqualTo(5);
        assertThat(underLock.get()).isZero();
    }
}
