package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IcmpMessageTest {
    @Test
    void parsesCapturedEchoPair() throws Exception {
        var req = IcmpMessage.parse(ipPayloadOf(ECHO_REQUEST));
        var rep = IcmpMessage.parse(ipPayloadOf(ECHO_REPLY));
        assertThat(req.type()).isEqualTo(IcmpMessage.ECHO_REQUEST);
        assertThat(rep.type()).isEqualTo(IcmpMessage.ECHO_REPLY);
        assertThat(rep.echoId()).isEqualTo(req.echoId());
        assertThat(rep.echoSequence()).isEqualTo(req.echoSequence()).isZero();
        assertThat(rep.body()).isEqualTo(req.body());
        // Linux's reply is byte for byte the reply we build
        var ours = IcmpMessage.echo(IcmpMessage.ECHO_REPLY, req.echoId(), req.echoSequence(), req.body());
        assertThat(bytes(ours.toBuffer())).isEqualTo(bytes(ipPayloadOf(ECHO_REPLY)));
    }

    @Test
    void parsesCapturedPortUnreachable() throws Exception {
        var m = IcmpMessage.parse(ipPayloadOf(PORT_UNREACHABLE));
        assertThat(m.type()).isEqualTo(IcmpMessage.DEST_UNREACHABLE);
        assertThat(m.code()).isEqualTo(IcmpMessage.CODE_PORT_UNREACHABLE);
        // the body quotes the offending datagram: its IPv4 header and the UDP header that follows
        var quoted = Ipv4Packet.parse(m.body());
        assertThat(quoted.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(bytes(m.toBuffer())).isEqualTo(bytes(ipPayloadOf(PORT_UNREACHABLE)));
    }

    @Test
    void acceptsEitherZeroAsChecksum() throws Exception {
        var m = IcmpMessage.parse(hex("ffffffffffffffff")); // sums to 0xffff with checksum 0xffff: valid
        assertThat(m.type()).isEqualTo(255);
        assertThat(bytes(m.toBuffer())).isEqualTo(bytes(hex("ffff0000ffffffff")));
    }

    @Test
    void rejectsMalformed() throws Exception {
        assertThatThrownBy(() -> IcmpMessage.parse(ByteBuffer.allocate(7)))
                .hasMessage("ICMP message of 7 bytes is shorter than 8");
        var b = bytes(ipPayloadOf(ECHO_REQUEST));
        b[10] ^= 1;
        assertThatThrownBy(() -> IcmpMessage.parse(ByteBuffer.wrap(b)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("ICMP checksum is wrong");
    }

    @FuzzTest
    void parseFuzz(byte[] data) {
        try {
            var m = IcmpMessage.parse(ByteBuffer.wrap(data));
            // Byte-identical except the checksum: ones' complement has two zeros, and a sender may
            // write 0xffff where we write 0x0000 (found by fuzzing: eight 0xff bytes).
            byte[] out = bytes(m.toBuffer());
            byte[] in = data.clone();
            out[2] = out[3] = in[2] = in[3] = 0;
            assertThat(out).isEqualTo(in);
            assertThat(IcmpMessage.parse(m.toBuffer())).isEqualTo(m);
        } catch (MalformedPacketException expected) {
        }
    }
}
