package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.wire.*;

/** ARP as scripts on the virtual clock: resolution, the pending queue, retries, expiry, refresh. */
class ArpTest {
    static final Ipv4Address ME = Ipv4Address.parse("10.0.0.2"),
            GW = Ipv4Address.parse("10.0.0.1"),
            NEIGHBOUR = Ipv4Address.parse("10.0.0.3");
    final VirtualClock clock = new VirtualClock();
    final VirtualSwitch sw = new VirtualSwitch();
    NetStack stack;
    Peer peer, gateway;
    UdpSocket socket;

    @BeforeEach
    void setUp() throws Exception {
        stack = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:02")), new Random(1));
        peer = new Peer(sw.port(MacAddress.parse("02:00:00:00:00:03")), NEIGHBOUR);
        gateway = new Peer(sw.port(MacAddress.parse("02:00:00:00:00:01")), GW);
        stack.configure(new Ipv4Config(ME, Ipv4Address.netmask(24), java.util.Optional.of(GW)), clock.nanos());
        socket = stack.openUdp(Ipv4Address.ANY, 5000, clock);
        // the gratuitous ARP announcing our address
        var announce = peer.arps(peer.frames());
        assertThat(announce).containsExactly(new ArpPacket(ArpPacket.REQUEST, stack.mac(), ME, MacAddress.ZERO, ME));
        gateway.frames();
    }

    void poll() throws Exception {
        stack.poll(clock.nanos());
    }

    void send(Ipv4Address dst, String text) throws Exception {
        socket.send(dst, 7, ByteBuffer.wrap(text.getBytes()));
    }

    @Test
    void firstPacketWaitsForTheReplyInsteadOfBeingLost() throws Exception {
        send(NEIGHBOUR, "first");
        var frames = peer.frames();
        assertThat(peer.arps(frames)).containsExactly(ArpPacket.request(stack.mac(), ME, NEIGHBOUR));
        assertThat(peer.ips(frames)).isEmpty();
        send(NEIGHBOUR, "second");
        assertThat(peer.frames()).isEmpty(); // one request per resolution, not per packet
        assertThat(stack.stats().arpQueued()).isEqualTo(2);

        clock.advanceMillis(200);
        peer.sendArp(ArpPacket.REPLY, stack.mac(), stack.mac(), ME);
        poll();
        var ips = peer.ips(peer.frames());
        assertThat(ips)
                .extracting(p -> Peer.text(
                        UdpDatagram.parse(p.payload(), p.src(), p.dst()).payload()))
                .containsExactly("first", "second");
        assertThat(stack.stats().arpQueued()).isZero();
        send(NEIGHBOUR, "third"); // resolved now: straight out
        assertThat(peer.ips(peer.frames())).hasSize(1);
    }

    @Test
    void retriesThreeTimesOneSecondApartThenDropsTheQueue() throws Exception {
        send(NEIGHBOUR, "lost");
        assertThat(peer.arps(peer.frames())).hasSize(1);
        assertThat(stack.nextDeadline()).isEqualTo(clock.nanos() + ArpCache.RETRY_NANOS);
        clock.advanceMillis(999);
        poll();
        assertThat(peer.frames()).isEmpty();
        clock.advanceMillis(1);
        poll();
        assertThat(peer.arps(peer.frames())).containsExactly(ArpPacket.request(stack.mac(), ME, NEIGHBOUR));
        clock.advanceMillis(1000);
        poll();
        assertThat(peer.arps(peer.frames())).hasSize(1);
        clock.advanceMillis(1000);
        poll();
        assertThat(peer.frames()).isEmpty();
        assertThat(stack.stats().arpDropped()).isEqualTo(1);
        assertThat(stack.stats().arpQueued()).isZero();
        assertThat(stack.stats().arpEntries()).isZero();
        // a late reply aimed at us still teaches us the address (RFC 826: target is mine, so add)
        peer.sendArp(ArpPacket.REPLY, stack.mac(), stack.mac(), ME);
        poll();
        assertThat(stack.stats().arpEntries()).isEqualTo(1);
        send(NEIGHBOUR, "now");
        assertThat(peer.ips(peer.frames())).hasSize(1);
    }

    @Test
    void pendingQueueIsBoundedPerDestination() throws Exception {
        for (int i = 0; i < 20; i++) send(NEIGHBOUR, "m" + i);
        assertThat(stack.stats().arpQueued()).isEqualTo(ArpCache.MAX_QUEUED_PER_DEST);
        peer.frames();
        peer.sendArp(ArpPacket.REPLY, stack.mac(), stack.mac(), ME);
        poll();
        // the oldest were dropped, the newest kept, in order
        assertThat(peer.ips(peer.frames()))
                .extracting(p -> Peer.text(
                        UdpDatagram.parse(p.payload(), p.src(), p.dst()).payload()))
                .containsExactly("m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
    }

    @Test
    void entriesExpireAndAreRefreshedByTheNeighboursArp() throws Exception {
        peer.sendArp(ArpPacket.REQUEST, MacAddress.BROADCAST, MacAddress.ZERO, ME);
        poll();
        assertThat(peer.arps(peer.frames()))
                .containsExactly(new ArpPacket(ArpPacket.REPLY, stack.mac(), ME, peer.mac, NEIGHBOUR));
        send(NEIGHBOUR, "a"); // learned from its request: no resolution needed
        assertThat(peer.ips(peer.frames())).hasSize(1);

        clock.advanceSeconds(50);
        peer.sendArp(ArpPacket.REQUEST, MacAddress.BROADCAST, MacAddress.ZERO, GW); // not for us, but refreshes
        poll();
        clock.advanceSeconds(50); // 100 s after learning, 50 s after the refresh
        send(NEIGHBOUR, "b");
        assertThat(peer.ips(peer.frames())).hasSize(1);

        clock.advanceSeconds(61); // no refresh for over a minute: stale
        send(NEIGHBOUR, "c");
        var frames = peer.frames();
        assertThat(peer.arps(frames)).containsExactly(ArpPacket.request(stack.mac(), ME, NEIGHBOUR));
        assertThat(peer.ips(frames)).isEmpty();
    }

    @Test
    void answersOnlyRequestsForItsOwnAddress() throws Exception {
        peer.sendArp(ArpPacket.REQUEST, MacAddress.BROADCAST, MacAddress.ZERO, Ipv4Address.parse("10.0.0.99"));
        poll();
        assertThat(peer.frames()).isEmpty();
        assertThat(stack.stats().arpEntries()).isZero();
    }

    @Test
    void offLinkTrafficGoesToTheGatewaysMac() throws Exception {
        send(Ipv4Address.parse("192.0.2.9"), "far");
        assertThat(gateway.arps(gateway.frames())).containsExactly(ArpPacket.request(stack.mac(), ME, GW));
        gateway.sendArp(ArpPacket.REPLY, stack.mac(), stack.mac(), ME);
        poll();
        var frames = gateway.frames();
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).dst()).isEqualTo(gateway.mac);
        assertThat(Ipv4Packet.parse(frames.get(0).payload()).dst()).isEqualTo(Ipv4Address.parse("192.0.2.9"));
    }

    @Test
    void noGatewayMeansNoRoute() throws Exception {
        stack.configure(new Ipv4Config(ME, Ipv4Address.netmask(24), java.util.Optional.empty()), clock.nanos());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(Ipv4Address.parse("192.0.2.9"), "far"))
                .isInstanceOf(java.net.NoRouteToHostException.class)
                .hasMessage("192.0.2.9 is not on 10.0.0.2/24 and there is no gateway");
    }
}
