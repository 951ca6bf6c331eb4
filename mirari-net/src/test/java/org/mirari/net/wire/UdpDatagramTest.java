package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UdpDatagramTest {
    static final Ipv4Address A = Ipv4Address.parse("10.99.0.1"), B = Ipv4Address.parse("10.99.0.2");

    @Test
    void parsesCapturedDatagramAndChecksThePseudoHeader() throws Exception {
        var u = UdpDatagram.parse(ipPayloadOf(UDP), B, A);
        assertThat(u.srcPort()).isEqualTo(40000);
        assertThat(u.dstPort()).isEqualTo(9999);
        assertThat(StandardCharsets.US_ASCII.decode(u.payload()).toString()).isEqualTo("mirari\n");
        assertThat(bytes(u.toBuffer(B, A))).isEqualTo(bytes(ipPayloadOf(UDP)));
        // the same bytes claimed from another address fail the pseudo-header checksum
        assertThatThrownBy(() -> UdpDatagram.parse(ipPayloadOf(UDP), Ipv4Address.parse("10.99.0.3"), A))
                .hasMessage("UDP checksum is wrong");
    }

    @Test
    void parsesCapturedDhcpDatagrams() throws Exception {
        for (int i : new int[] {DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, DHCP_ACK}) {
            var ip = Ipv4Packet.parse(payloadOf(i));
            var u = UdpDatagram.parse(ip.payload(), ip.src(), ip.dst());
            assertThat(bytes(u.toBuffer(ip.src(), ip.dst()))).as("frame %d", i).isEqualTo(bytes(ip.payload()));
        }
    }

    @Test
    void zeroChecksumMeansNone() throws Exception {
        var b = hex("9c40 270f 000a 0000 6869");
        assertThat(UdpDatagram.parse(b, A, B).payload()).isEqualTo(hex("6869"));
    }

    @Test
    void computedZeroIsSentAsAllOnes() throws Exception {
        // find a payload whose checksum computes to zero, then check it goes out as ffff and parses
        for (int x = 0; x < 65536; x++) {
            var u = new UdpDatagram(1, 2, ByteBuffer.wrap(new byte[] {(byte) (x >> 8), (byte) x}));
            var out = u.toBuffer(A, B);
            if ((out.getShort(UdpDatagram.CHECKSUM) & 0xffff) == 0xffff) {
                assertThat(UdpDatagram.parse(out, A, B)).isEqualTo(u);
                return;
            }
        }
        throw new AssertionError("no payload checksums to zero");
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> UdpDatagram.parse(ByteBuffer.allocate(7), A, B))
                .hasMessage("UDP datagram of 7 bytes is shorter than 8");
        assertThatThrownBy(() -> UdpDatagram.parse(hex("0001 0002 0020 0000"), A, B))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("UDP length 32 does not fit the 8 bytes received");
        assertThatThrownBy(() -> UdpDatagram.parse(hex("0001 0002 0007 0000"), A, B))
                .hasMessage("UDP length 7 does not fit the 8 bytes received");
    }

    @FuzzTest
    void parseFuzz(FuzzedDataProvider data) {
        var src = new Ipv4Address(data.consumeInt());
        var dst = new Ipv4Address(data.consumeInt());
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            var u = UdpDatagram.parse(ByteBuffer.wrap(bytes), src, dst);
            assertThat(UdpDatagram.parse(u.toBuffer(src, dst), src, dst)).isEqualTo(u);
        } catch (MalformedPacketException expected) {
        }
    }
}
