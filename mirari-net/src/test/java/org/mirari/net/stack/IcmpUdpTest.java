package org.mirari.net.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mirari.net.device.VirtualSwitch;
import org.mirari.net.wire.*;

/** IPv4 input checks, ICMP echo and errors (rate-limited), UDP demultiplexing and bounds. */
class IcmpUdpTest {
    static final Ipv4Address ME = Ipv4Address.parse("10.0.0.2"), PEER = Ipv4Address.parse("10.0.0.3");
    final VirtualClock clock = new VirtualClock();
    final VirtualSwitch sw = new VirtualSwitch();
    NetStack stack;
    Peer peer;

    @BeforeEach
    void setUp() throws Exception {
        stack = new NetStack(sw.port(MacAddress.parse("02:00:00:00:00:02")), new Random(2));
        peer = new Peer(sw.port(MacAddress.parse("02:00:00:00:00:03")), PEER);
        stack.configure(new Ipv4Config(ME, Ipv4Address.netmask(24), Optional.empty()), clock.nanos());
        // let the stack know the peer, so replies need no resolution
        peer.sendArp(ArpPacket.REQUEST, MacAddress.BROADCAST, MacAddress.ZERO, ME);
        poll();
        peer.frames();
    }

    void poll() throws Exception {
        stack.poll(clock.nanos());
    }

    @Test
    void answersEcho() throws Exception {
        var echo = IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 0x1234, 7, ByteBuffer.wrap("ping-data".getBytes()));
        peer.sendIp(stack.mac(), IpProtocol.ICMP, ME, echo.toBuffer());
        poll();
        var ips = peer.ips(peer.frames());
        assertThat(ips).hasSize(1);
        assertThat(ips.get(0).src()).isEqualTo(ME);
        assertThat(ips.get(0).dst()).isEqualTo(PEER);
        var reply = IcmpMessage.parse(ips.get(0).payload());
        assertThat(reply)
                .isEqualTo(
                        IcmpMessage.echo(IcmpMessage.ECHO_REPLY, 0x1234, 7, ByteBuffer.wrap("ping-data".getBytes())));
    }

    @Test
    void echoRepliesAreRateLimitedToo() throws Exception {
        var echo = IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 1, 1, ByteBuffer.allocate(8))
                .toBuffer();
        for (int i = 0; i < 150; i++) peer.sendIp(stack.mac(), IpProtocol.ICMP, ME, echo.duplicate());
        poll();
        assertThat(peer.ips(peer.frames())).hasSize(100); // a burst of 100, then 1000 a second
        assertThat(stack.stats().icmpLimited()).isEqualTo(50);
        clock.advanceMillis(10);
        for (int i = 0; i < 20; i++) peer.sendIp(stack.mac(), IpProtocol.ICMP, ME, echo.duplicate());
        poll();
        assertThat(peer.ips(peer.frames())).hasSize(10);
    }

    @Test
    void ignoresEchoToBroadcastAndPacketsForOthers() throws Exception {
        var echo = IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 1, 1, ByteBuffer.allocate(4))
                .toBuffer();
        peer.sendIp(MacAddress.BROADCAST, IpProtocol.ICMP, Ipv4Address.parse("10.0.0.255"), echo);
        peer.sendIp(stack.mac(), IpProtocol.ICMP, Ipv4Address.parse("10.0.0.77"), echo);
        poll();
        assertThat(peer.frames()).isEmpty();
    }

    @Test
    void dropsBadChecksumsSilently() throws Exception {
        var ip = Ipv4Packet.of(
                        1,
                        IpProtocol.ICMP,
                        PEER,
                        ME,
                        IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, 1, 1, ByteBuffer.allocate(4))
                                .toBuffer())
                .toBuffer();
        ip.put(Ipv4Packet.TTL, (byte) 3); // header checksum now wrong
        peer.send(stack.mac(), EtherType.IPV4, ip);
        poll();
        assertThat(peer.frames()).isEmpty();
        assertThat(stack.stats().malformed()).isEqualTo(1);
    }

    @Test
    void portUnreachableQuotesTheDatagramAndIsRateLimited() throws Exception {
        peer.sendUdp(stack.mac(), ME, 40000, 9999, "nobody home");
        poll();
        var ips = peer.ips(peer.frames());
        assertThat(ips).hasSize(1);
        var err = IcmpMessage.parse(ips.get(0).payload());
        assertThat(err.type()).isEqualTo(IcmpMessage.DEST_UNREACHABLE);
        assertThat(err.code()).isEqualTo(IcmpMessage.CODE_PORT_UNREACHABLE);
        var quoted = Ipv4Packet.parse(err.body());
        assertThat(quoted.src()).isEqualTo(PEER);
        assertThat(UdpDatagram.parse(quoted.payload(), PEER, ME).dstPort()).isEqualTo(9999);

        for (int i = 0; i < 100; i++) peer.sendUdp(stack.mac(), ME, 40000, 9999, "x" + i);
        poll();
        assertThat(peer.ips(peer.frames())).hasSize(19); // burst of 20, one spent above
        assertThat(stack.stats().icmpLimited()).isEqualTo(81);
        clock.advanceMillis(100); // 100 per second refill
        for (int i = 0; i < 20; i++) peer.sendUdp(stack.mac(), ME, 40000, 9999, "y" + i);
        poll();
        assertThat(peer.ips(peer.frames())).hasSize(10);
    }

    @Test
    void noErrorForBroadcastDatagrams() throws Exception {
        peer.sendUdp(MacAddress.BROADCAST, Ipv4Address.BROADCAST, 40000, 9999, "anyone?");
        poll();
        assertThat(peer.frames()).isEmpty();
    }

    @Test
    void deliversToTheBoundSocketAndRepliesFromIt() throws Exception {
        var s = stack.openUdp(Ipv4Address.ANY, 7, clock);
        peer.sendUdp(stack.mac(), ME, 40000, 7, "echo me");
        poll();
        var d = s.poll();
        assertThat(d.srcAddress()).isEqualTo(PEER);
        assertThat(d.srcPort()).isEqualTo(40000);
        assertThat(Peer.text(d.payload())).isEqualTo("echo me");
        s.send(d.srcAddress(), d.srcPort(), d.payload());
        var ip = peer.ips(peer.frames()).get(0);
        var u = UdpDatagram.parse(ip.payload(), ip.src(), ip.dst());
        assertThat(u.srcPort()).isEqualTo(7);
        assertThat(u.dstPort()).isEqualTo(40000);
        assertThat(Peer.text(u.payload())).isEqualTo("echo me");
    }

    @Test
    void receiveQueueIsBounded() throws Exception {
        var s = stack.openUdp(Ipv4Address.ANY, 7, clock);
        for (int i = 0; i < UdpSocket.MAX_QUEUED + 10; i++) {
            peer.sendUdp(stack.mac(), ME, 40000, 7, "d" + i);
            if (i % 200 == 0) poll();
        }
        while (stack.poll(clock.nanos())) {}
        assertThat(s.dropped()).isEqualTo(10);
        int n = 0;
        while (s.poll() != null) n++;
        assertThat(n).isEqualTo(UdpSocket.MAX_QUEUED);
    }

    @Test
    void portsAreExclusiveAndEphemeralOnesAreFree() throws Exception {
        var a = stack.openUdp(Ipv4Address.ANY, 7, clock);
        assertThatThrownBy(() -> stack.openUdp(Ipv4Address.ANY, 7, clock))
                .isInstanceOf(BindException.class)
                .hasMessage("UDP port 7 is already in use");
        var e1 = stack.openUdp(Ipv4Address.ANY, 0, clock);
        var e2 = stack.openUdp(Ipv4Address.ANY, 0, clock);
        assertThat(e1.port())
                .isBetween(NetStack.EPHEMERAL_FIRST, NetStack.EPHEMERAL_LAST)
                .isNotEqualTo(e2.port());
        a.close();
        stack.openUdp(Ipv4Address.ANY, 7, clock).close(); // free again after close
        e1.close();
        e2.close();
        assertThat(stack.stats().udpSockets()).isZero();
    }

    @Test
    void bigDatagramsAreFragmentedAndReassembled() throws Exception {
        var s = stack.openUdp(Ipv4Address.ANY, 7, clock);
        byte[] big = new byte[4000];
        new Random(3).nextBytes(big);
        s.send(PEER, 9000, ByteBuffer.wrap(big));
        var frags = peer.ips(peer.frames());
        assertThat(frags).hasSize(3);
        assertThat(frags).allMatch(p -> p.length() <= 1500);
        // send them back to the stack, last first, addressed to its socket
        for (int i = frags.size() - 1; i >= 0; i--) {
            var f = frags.get(i);
            var back = new Ipv4Packet(
                    0,
                    f.identification(),
                    false,
                    f.moreFragments(),
                    f.fragmentOffset(),
                    64,
                    IpProtocol.UDP,
                    PEER,
                    ME,
                    f.payload());
            var buf = back.toBuffer();
            if (i == 0) { // the first fragment holds the UDP header: fix ports and checksum for the swapped addresses
                var whole = ByteBuffer.allocate(8 + big.length);
                new UdpDatagram(9000, 7, ByteBuffer.wrap(big)).emit(whole, PEER, ME);
                buf = new Ipv4Packet(
                                0,
                                f.identification(),
                                false,
                                true,
                                0,
                                64,
                                IpProtocol.UDP,
                                PEER,
                                ME,
                                whole.flip().slice(0, f.payload().remaining()))
                        .toBuffer();
            }
            peer.send(stack.mac(), EtherType.IPV4, buf);
        }
        poll();
        var d = s.poll();
        assertThat(d).isNotNull();
        assertThat(Fixture.bytes(d.payload())).isEqualTo(big);
        assertThat(stack.stats().reassembling()).isZero();
    }

    @Test
    void incompleteDatagramsTimeOut() throws Exception {
        var frag = new Ipv4Packet(0, 99, false, true, 0, 64, IpProtocol.UDP, PEER, ME, ByteBuffer.allocate(16));
        peer.send(stack.mac(), EtherType.IPV4, frag.toBuffer());
        poll();
        assertThat(stack.stats().reassembling()).isEqualTo(1);
        clock.advanceSeconds(30);
        poll();
        assertThat(stack.stats().reassembling()).isZero();
        for (int id = 0; id < 40; id++)
            peer.send(
                    stack.mac(),
                    EtherType.IPV4,
                    new Ipv4Packet(0, id, false, true, 0, 64, IpProtocol.UDP, PEER, ME, ByteBuffer.allocate(16))
                            .toBuffer());
        poll();
        assertThat(stack.stats().reassembling()).isEqualTo(Reassembler.MAX_DATAGRAMS);
    }

    static final class Fixture {
        static byte[] bytes(ByteBuffer b) {
            var d = b.duplicate();
            byte[] a = new byte[d.remaining()];
            d.get(a);
            return a;
        }
    }
}
