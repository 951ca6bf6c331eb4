package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Ipv4PacketTest {
    @Test
    void parsesCapturedEchoRequest() throws Exception {
        var p = Ipv4Packet.parse(payloadOf(ECHO_REQUEST));
        assertThat(p.src()).isEqualTo(Ipv4Address.parse("10.99.0.2"));
        assertThat(p.dst()).isEqualTo(Ipv4Address.parse("10.99.0.1"));
        assertThat(p.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(p.ttl()).isEqualTo(64);
        assertThat(p.isFragment()).isFalse();
        assertThat(p.payload().remaining()).isEqualTo(64);
    }

    @Test
    void roundTripsEveryCapturedIpv4Frame() throws Exception {
        for (int i = 0; i < Fixtures.all().size(); i++) {
            var f = EthernetFrame.parse(frame(i));
            if (!f.type().equals(EtherType.IPV4)) continue;
            var p = Ipv4Packet.parse(f.payload());
            assertThat(bytes(p.toBuffer())).as("frame %d", i).isEqualTo(bytes(f.payload()));
        }
    }

    @Test
    void parsesCapturedFragments() throws Exception {
        var first = Ipv4Packet.parse(payloadOf(FRAG_FIRST));
        var last = Ipv4Packet.parse(payloadOf(FRAG_LAST));
        assertThat(first.moreFragments()).isTrue();
        assertThat(first.fragmentOffset()).isZero();
        assertThat(last.moreFragments()).isFalse();
        assertThat(last.fragmentOffset()).isEqualTo(1480);
        assertThat(last.identification()).isEqualTo(first.identification());
        assertThat(first.payload().remaining() + last.payload().remaining()).isEqualTo(2008);
    }

    @Test
    void checksumMatchesRfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, checksum 220d
        assertThat(Checksum.of(hex("0001f203f4f5f6f7"), 0, 8)).isEqualTo(0x220d);
        assertThat(Checksum.of(hex("0001f203f4f5f6f7220d"), 0, 10)).isZero();
    }

    @Test
    void skipsOptionsAndCutsEthernetPadding() throws Exception {
        // IHL 6: a 4-byte option (NOP NOP NOP EOL), then 4 bytes of payload, then 6 bytes of padding
        var b = hex("4600001c 00010000 4011 0000 0a000001 0a000002 01010100 cafebabe 000000000000");
        b.putShort(Ipv4Packet.CHECKSUM, (short) Checksum.of(b, 0, 24));
        var p = Ipv4Packet.parse(b);
        assertThat(bytes(p.payload())).isEqualTo(bytes(hex("cafebabe")));
        assertThat(p.protocol()).isEqualTo(IpProtocol.UDP);
    }

    @Test
    void unknownProtocolIsAValue() throws Exception {
        var p = Ipv4Packet.of(
                7, new IpProtocol(253), Ipv4Address.parse("1.2.3.4"), Ipv4Address.parse("5.6.7.8"), hex("00"));
        assertThat(Ipv4Packet.parse(p.toBuffer()).protocol()).isEqualTo(new IpProtocol(253));
    }

    @Test
    void rejectsMalformed() throws Exception {
        var good = bytes(payloadOf(ECHO_REQUEST));
        assertThatThrownBy(() -> Ipv4Packet.parse(ByteBuffer.wrap(good, 0, 19)))
                .hasMessage("IPv4 packet of 19 bytes is shorter than its 20-byte header");
        var v6 = good.clone();
        v6[0] = 0x65;
        assertThatThrownBy(() -> Ipv4Packet.parse(ByteBuffer.wrap(v6))).hasMessage("IP version 6 is not 4");
        var ihl = good.clone();
        ihl[0] = 0x44;
        assertThatThrownBy(() -> Ipv4Packet.parse(ByteBuffer.wrap(ihl)))
                .hasMessage("IPv4 header length 16 is below 20");
        assertThatThrownBy(() -> Ipv4Packet.parse(ByteBuffer.wrap(good, 0, 60)))
                .hasMessage("IPv4 total length 84 exceeds the 60 bytes received");
        var sum = good.clone();
        sum[8] = 1; // TTL changed, checksum not
        assertThatThrownBy(() -> Ipv4Packet.parse(ByteBuffer.wrap(sum)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("IPv4 header checksum is wrong");
    }

    @FuzzTest
    void parseFuzz(byte[] data) {
        try {
            var p = Ipv4Packet.parse(ByteBuffer.wrap(data));
            var again = Ipv4Packet.parse(p.toBuffer());
            assertThat(again.payload()).isEqualTo(p.payload());
            assertThat(again.src()).isEqualTo(p.src());
        } catch (MalformedPacketException expected) {
        }
    }
}
