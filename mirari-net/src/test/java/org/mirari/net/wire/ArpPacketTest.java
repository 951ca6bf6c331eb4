package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ArpPacketTest {
    static final MacAddress A = MacAddress.parse("02:00:00:00:00:01"), B = MacAddress.parse("02:00:00:00:00:02");

    @Test
    void parsesCapturedRequestAndReply() throws Exception {
        var req = ArpPacket.parse(payloadOf(ARP_REQUEST));
        assertThat(req)
                .isEqualTo(new ArpPacket(
                        ArpPacket.REQUEST,
                        B,
                        Ipv4Address.parse("10.99.0.2"),
                        MacAddress.ZERO,
                        Ipv4Address.parse("10.99.0.1")));
        var rep = ArpPacket.parse(payloadOf(ARP_REPLY));
        assertThat(rep)
                .isEqualTo(new ArpPacket(
                        ArpPacket.REPLY, A, Ipv4Address.parse("10.99.0.1"), B, Ipv4Address.parse("10.99.0.2")));
        // Linux's reply is exactly what we would build from the request
        assertThat(req.replyFrom(A)).isEqualTo(rep);
    }

    @Test
    void roundTrips() throws Exception {
        for (int i : new int[] {ARP_PROBE_REQUEST, ARP_REQUEST, ARP_REPLY}) {
            var p = ArpPacket.parse(payloadOf(i));
            assertThat(bytes(p.toBuffer())).isEqualTo(bytes(payloadOf(i)));
        }
    }

    @Test
    void unknownOperationIsAValue() throws Exception {
        var b = ByteBuffer.wrap(bytes(payloadOf(ARP_REQUEST)));
        b.putShort(ArpPacket.OPER, (short) 9);
        assertThat(ArpPacket.parse(b).operation()).isEqualTo(9);
    }

    @Test
    void rejectsMalformed() throws Exception {
        assertThatThrownBy(() -> ArpPacket.parse(ByteBuffer.allocate(27)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("ARP packet of 27 bytes is shorter than 28");
        var b = ByteBuffer.wrap(bytes(payloadOf(ARP_REQUEST)));
        b.putShort(ArpPacket.HTYPE, (short) 6);
        assertThatThrownBy(() -> ArpPacket.parse(b))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("ARP for hardware type 6, protocol 0x0800 is not Ethernet/IPv4");
    }

    @FuzzTest
    void parseFuzz(byte[] data) {
        try {
            var p = ArpPacket.parse(ByteBuffer.wrap(data));
            assertThat(ArpPacket.parse(p.toBuffer())).isEqualTo(p);
        } catch (MalformedPacketException expected) {
        }
    }
}
