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
import org.mirari.net.wire.EtherType;
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
        assertThatThrownBy(() -> s.connectTcp(B, 80, clock)).isInstanceOf(BindException.class)
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
        peer.sendIp(a.mac(), IpProtocol.TCP, A, new TcpSegment(4000, 81, 1, 0, TcpSegment.RST, 0, 0, TcpOptions.NONE, ByteBuffer.allocate(0)).toBuffer(B, A));
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
        assertThat(clients.stream().filter(c -> c.state() == TcpState.ESTABLISHED).count()).isEqualTo(2);
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
                case 0 -> { s.close(); run(1, a, b); c.read(buf.clear(), 0); c.close(); }
                case 1 -> { run(1, a, b); c.read(buf.clear(), 0); c.close(); run(1, a, b); s.close(); }
                case 2 -> { run(1, a, b); c.read(buf.clear(), 0); c.close(); s.close(); }
                default -> { c.close(true); run(1, a, b); s.close(); }
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
}
