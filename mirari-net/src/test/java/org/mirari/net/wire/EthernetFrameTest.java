package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EthernetFrameTest {
    @Test
    void parsesCapturedArpRequest() throws Exception {
        var f = EthernetFrame.parse(frame(ARP_REQUEST));
        assertThat(f.dst()).isEqualTo(MacAddress.BROADCAST);
        assertThat(f.src()).isEqualTo(MacAddress.parse("02:00:00:00:00:02"));
        assertThat(f.type()).isEqualTo(EtherType.ARP);
        assertThat(f.payload().remaining()).isEqualTo(28);
    }

    @Test
    void everyCapturedFrameRoundTrips() throws Exception {
        for (int i = 0; i < Fixtures.all().size(); i++) {
            var f = EthernetFrame.parse(frame(i));
            assertThat(bytes(f.toBuffer())).as("frame %d", i).isEqualTo(bytes(frame(i)));
        }
    }

    @Test
    void unknownTypeIsAValue() throws Exception {
        var b = hex("ffffffffffff 020000000001 88b5 0102");
        var f = EthernetFrame.parse(b);
        assertThat(f.type()).isEqualTo(new EtherType(0x88b5));
        assertThat(f.type().toString()).isEqualTo("0x88b5");
        assertThat(EthernetFrame.type(b)).isEqualTo(0x88b5);
    }

    @Test
    void parseLeavesTheBufferAlone() throws Exception {
        var b = frame(ECHO_REQUEST);
        int pos = b.position(), lim = b.limit();
        EthernetFrame.parse(b);
        assertThat(b.position()).isEqualTo(pos);
        assertThat(b.limit()).isEqualTo(lim);
    }

    @Test
    void rejectsShortFrame() {
        assertThatThrownBy(() -> EthernetFrame.parse(ByteBuffer.allocate(13)))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessage("Ethernet frame of 13 bytes is shorter than its 14-byte header");
    }

    @FuzzTest
    void parseFuzz(byte[] data) {
        try {
            var f = EthernetFrame.parse(ByteBuffer.wrap(data));
            assertThat(bytes(f.toBuffer())).isEqualTo(data);
        } catch (MalformedPacketException expected) {
            // the only exception allowed
        }
    }
}
