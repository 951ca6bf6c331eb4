package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpMessageTest {
    static final MacAddress CLIENT = MacAddress.parse("02:00:00:00:00:02");
    static final Ipv4Address SERVER = Ipv4Address.parse("10.99.0.1");

    static DhcpMessage dhcp(int frame) throws MalformedPacketException {
        var ip = Ipv4Packet.parse(payloadOf(frame));
        return DhcpMessage.parse(
                UdpDatagram.parse(ip.payload(), ip.src(), ip.dst()).payload());
    }

    static ByteBuffer dhcpBytes(int frame) throws MalformedPacketException {
        var ip = Ipv4Packet.parse(payloadOf(frame));
        return UdpDatagram.parse(ip.payload(), ip.src(), ip.dst()).payload();
    }

    @Test
    void parsesCapturedExchange() throws Exception {
        var discover = dhcp(DHCP_DISCOVER);
        assertThat(discover.op()).isEqualTo(DhcpMessage.BOOTREQUEST);
        assertThat(discover.messageType()).isEqualTo(DhcpMessage.DISCOVER);
        assertThat(discover.chaddr()).isEqualTo(CLIENT);

        var offer = dhcp(DHCP_OFFER);
        assertThat(offer.messageType()).isEqualTo(DhcpMessage.OFFER);
        assertThat(offer.xid()).isEqualTo(discover.xid());
        assertThat(offer.yiaddr()).isEqualTo(Ipv4Address.parse("10.99.0.16"));
        assertThat(offer.addressOption(DhcpOption.SERVER_ID)).contains(SERVER);
        assertThat(offer.addressOption(DhcpOption.SUBNET_MASK)).contains(Ipv4Address.parse("255.255.255.0"));
        assertThat(offer.secondsOption(DhcpOption.LEASE_TIME)).contains(120L);

        var request = dhcp(DHCP_REQUEST);
        assertThat(request.messageType()).isEqualTo(DhcpMessage.REQUEST);
        assertThat(request.addressOption(DhcpOption.REQUESTED_IP)).contains(Ipv4Address.parse("10.99.0.16"));
        assertThat(request.addressOption(DhcpOption.SERVER_ID)).contains(SERVER);

        var ack = dhcp(DHCP_ACK);
        assertThat(ack.messageType()).isEqualTo(DhcpMessage.ACK);
        assertThat(ack.secondsOption(DhcpOption.RENEWAL_TIME)).contains(60L);
        assertThat(ack.secondsOption(DhcpOption.REBINDING_TIME)).contains(105L);
    }

    @Test
    void roundTripsCapturedMessages() throws Exception {
        for (int i : new int[] {DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, DHCP_ACK}) {
            var m = dhcp(i);
            assertThat(DhcpMessage.parse(m.toBuffer())).as("frame %d", i).isEqualTo(m);
            assertThat(m.toBuffer().remaining()).isEqualTo(300);
        }
    }

    @Test
    void unknownOptionsAreValues() throws Exception {
        var m = new DhcpMessage(
                1,
                42,
                0,
                true,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                Ipv4Address.ANY,
                CLIENT,
                List.of(
                        DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, DhcpMessage.DISCOVER),
                        new DhcpOption(224, new byte[] {1, 2, 3})));
        var back = DhcpMessage.parse(m.toBuffer());
        assertThat(back).isEqualTo(m);
        assertThat(back.option(224).orElseThrow().data()).containsExactly(1, 2, 3);
        assertThat(back.broadcast()).isTrue();
    }

    @Test
    void rejectsMalformed() throws Exception {
        var good = bytes(dhcpBytes(DHCP_OFFER));
        assertThatThrownBy(() -> DhcpMessage.parse(ByteBuffer.wrap(good, 0, 239)))
                .hasMessage("DHCP message of 239 bytes is shorter than 240");
        var cookie = good.clone();
        cookie[236] = 0;
        assertThatThrownBy(() -> DhcpMessage.parse(ByteBuffer.wrap(cookie))).hasMessage("DHCP magic cookie is missing");
        var htype = good.clone();
        htype[1] = 6;
        assertThatThrownBy(() -> DhcpMessage.parse(ByteBuffer.wrap(htype)))
                .hasMessage("DHCP hardware type 6/6 is not Ethernet");
        // option 53 claiming 200 bytes near the end of the message
        var trunc = ByteBuffer.allocate(244)
                .put(ByteBuffer.wrap(good, 0, 240))
                .put((byte) 53)
                .put((byte) 200)
                .put((byte) 1)
                .put((byte) 2);
        assertThatThrownBy(() -> DhcpMessage.parse(trunc.flip()))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("DHCP option 53 of 200 bytes runs past the message");
        var nolen = ByteBuffer.allocate(241).put(ByteBuffer.wrap(good, 0, 240)).put((byte) 53);
        assertThatThrownBy(() -> DhcpMessage.parse(nolen.flip())).hasMessage("DHCP option 53 has no length byte");
    }

    @FuzzTest
    void parseFuzz(byte[] data) {
        try {
            var m = DhcpMessage.parse(ByteBuffer.wrap(data));
            assertThat(DhcpMessage.parse(m.toBuffer())).isEqualTo(m);
        } catch (MalformedPacketException expected) {
        }
    }
}
