package org.mirari.net.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirari.net.wire.Checksum;
import org.mirari.net.wire.EtherType;
import org.mirari.net.wire.EthernetFrame;
import org.mirari.net.wire.IpProtocol;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.Ipv4Packet;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.UdpDatagram;

/** The software fallback of {@link TxOffload}: partial checksums completed, TCP super-segments cut as Linux's GSO does. */
class SoftwareOffloadTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.2"), B = Ipv4Address.parse("10.0.0.1");
    static final MacAddress MA = MacAddress.parse("02:00:00:00:00:02"), MB = MacAddress.parse("02:00:00:00:00:01");

    /** Ethernet + IPv4 + a 20-byte TCP header (seq, flags) + payload, with the TCP checksum partial. */
    static ByteBuffer tcpSuperSegment(int seq, int flags, byte[] payload, int ipId) {
        var tcp = ByteBuffer.allocate(20 + payload.length);
        tcp.putShort((short) 40000)
                .putShort((short) 80)
                .putInt(seq)
                .putInt(7)
                .put((byte) 0x50)
                .put((byte) flags)
                .putShort((short) 65535)
                .putShort((short) 0)
                .putShort((short) 0)
                .put(payload)
                .flip();
        int pseudo =
                Checksum.finish(Checksum.pseudoHeader(A, B, 6, tcp.remaining())) ^ 0xffff; // folded, not complemented
        tcp.putShort(16, (short) pseudo);
        var ip = Ipv4Packet.of(ipId, IpProtocol.TCP, A, B, tcp).toBuffer();
        return new EthernetFrame(MB, MA, EtherType.IPV4, ip).toBuffer();
    }

    static List<ByteBuffer> finish(ByteBuffer frame, TxOffload o) throws Exception {
        var out = new ArrayList<ByteBuffer>();
        SoftwareOffload.finish(
                frame, o, f -> out.add(ByteBuffer.allocate(f.remaining()).put(f).flip()));
        return out;
    }

    static int tcpChecksumOf(Ipv4Packet p) {
        var t = p.payload();
        return Checksum.finish(Checksum.add(
                Checksum.pseudoHeader(p.src(), p.dst(), 6, t.remaining()), t, t.position(), t.remaining()));
    }

    @Test
    void completesAPartialUdpChecksumToTheOneTheWireTypeComputes() throws Exception {
        var data = ByteBuffer.wrap("offloaded".getBytes());
        var whole = new UdpDatagram(5000, 53, data).toBuffer(A, B);
        var partial =
                ByteBuffer.allocate(whole.remaining()).put(whole.duplicate()).flip();
        int pseudo = Checksum.finish(Checksum.pseudoHeader(A, B, 17, partial.remaining())) ^ 0xffff;
        partial.putShort(6, (short) pseudo);
        var frame = new EthernetFrame(
                        MB,
                        MA,
                        EtherType.IPV4,
                        Ipv4Packet.of(1, IpProtocol.UDP, A, B, partial).toBuffer())
                .toBuffer();
        var out = finish(frame, TxOffload.checksum(14 + 20, TxOffload.UDP_CHECKSUM_OFFSET));
        assertThat(out).hasSize(1);
        var ip = Ipv4Packet.parse(EthernetFrame.parse(out.get(0)).payload());
        assertThat(ip.payload().getShort(6)).isEqualTo(whole.getShort(6));
        assertThat(UdpDatagram.parse(ip.payload(), A, B).payload()).isEqualTo(data.rewind());
    }

    @Test
    void aFrameWithoutOffloadPassesUnchanged() throws Exception {
        var frame = tcpSuperSegment(1, 0x18, new byte[10], 3);
        assertThat(finish(frame.duplicate(), TxOffload.NONE)).containsExactly(frame);
    }

    @Test
    void cutsATcpSuperSegmentIntoMssSegmentsWithSequenceIdsFlagsAndChecksums() throws Exception {
        byte[] payload = new byte[3 * 1000 + 123];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31);
        int seq = 0xfffffc00; // wraps within the super-segment
        var frame = tcpSuperSegment(
                seq, 0x80 | 0x18 | 0x01 | 0x10, payload, 0xfffe); // CWR PSH FIN ACK; the IP id wraps too
        var out = finish(frame, TxOffload.tcp4Segments(34, 54, 1000));
        assertThat(out).hasSize(4);
        var joined = ByteBuffer.allocate(payload.length);
        for (int i = 0; i < 4; i++) {
            var ip = Ipv4Packet.parse(EthernetFrame.parse(out.get(i)).payload());
            var tcp = ip.payload();
            int len = tcp.remaining() - 20;
            assertThat(len).isEqualTo(i < 3 ? 1000 : 123);
            assertThat(ip.identification()).isEqualTo((0xfffe + i) & 0xffff);
            assertThat(tcp.getInt(4)).isEqualTo(seq + 1000 * i);
            int flags = tcp.get(13) & 0xff;
            assertThat(flags & 0x10).as("ACK on every segment").isNotZero();
            assertThat(flags & 0x80).as("CWR only on the first").isEqualTo(i == 0 ? 0x80 : 0);
            assertThat(flags & 0x09).as("PSH and FIN only on the last").isEqualTo(i == 3 ? 0x09 : 0);
            assertThat(tcpChecksumOf(ip)).as("segment %d checksum", i).isZero();
            joined.put(tcp.position(tcp.position() + 20));
        }
        assertThat(joined.array()).isEqualTo(payload);
    }

    @Test
    void aSuperSegmentNoLongerThanOneMssIsOnlyChecksummed() throws Exception {
        var out = finish(tcpSuperSegment(5, 0x18, new byte[900], 9), TxOffload.tcp4Segments(34, 54, 1000));
        assertThat(out).hasSize(1);
        assertThat(tcpChecksumOf(
                        Ipv4Packet.parse(EthernetFrame.parse(out.get(0)).payload())))
                .isZero();
    }

    @Test
    void refusesInconsistentRequests() {
        assertThatThrownBy(() -> new TxOffload(34, 6, 1000, 54)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> finish(ByteBuffer.allocate(40), TxOffload.checksum(34, 16)))
                .hasMessageContaining("outside the 40-byte frame");
    }

    @Test
    void tapOffloadWordsImplyWhatTheKernelRequires() {
        assertThat(TapOffload.parse("none")).isEqualTo(TapOffload.NONE);
        assertThat(TapOffload.parse("tso4")).isEqualTo(TapOffload.ALL);
        assertThat(TapOffload.parse("vnet")).isEqualTo(new TapOffload(true, false, false));
        assertThat(TapOffload.parse("vnet, csum").toString()).isEqualTo("vnet,csum");
        assertThatThrownBy(() -> TapOffload.parse("gso"))
                .hasMessage("tap offload \"gso\" is unknown; use none, or a comma-separated list of vnet, csum, tso4");
    }

    @Test
    void devicesWithoutOffloadsSayNoneAndFinishRequestsInSoftware() throws Exception {
        var dev = new LoopbackDevice(MA, 1500);
        assertThat(dev.offloads()).isEqualTo(Offloads.none(1500));
        assertThat(dev.offloads().maxFrameLength()).isEqualTo(1514);
        dev.send(tcpSuperSegment(1, 0x10, new byte[2500], 1), TxOffload.tcp4Segments(34, 54, 1460));
        var b = ByteBuffer.allocate(1514);
        int n1 = dev.receive(b);
        b.clear();
        int n2 = dev.receive(b.clear());
        assertThat(n1).isEqualTo(54 + 1460);
        assertThat(n2).isEqualTo(54 + 1040);
    }
}
