package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PcapWriterTest {
    @Test
    void writesWhatTheReaderAndTcpdumpRead() throws Exception {
        var out = new ByteArrayOutputStream();
        try (var w = new PcapWriter(out)) {
            w.write(1_700_000_000_123_456_789L, frame(ARP_REQUEST));
            w.write(1_700_000_001_000_000_000L, frame(ECHO_REQUEST));
        }
        var back = PcapReader.read(ByteBuffer.wrap(out.toByteArray()));
        assertThat(back).hasSize(2);
        assertThat(back.get(0).epochNanos()).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(back.get(0).frame()).isEqualTo(frame(ARP_REQUEST));
        assertThat(back.get(1).frame()).isEqualTo(frame(ECHO_REQUEST));
        // global header: nanosecond magic, version 2.4, link type 1 (little-endian)
        assertThat(bytes(ByteBuffer.wrap(out.toByteArray(), 0, 24)))
                .isEqualTo(bytes(hex("4d3cb2a1 0200 0400 00000000 00000000 ffff0000 01000000")));
    }

    @Test
    void readsTheCapturedMicrosecondFile() {
        assertThat(Fixtures.all()).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> PcapReader.read(ByteBuffer.allocate(24)))
                .hasMessage("not a pcap file (magic 0x00000000)");
    }

    @FuzzTest
    void readFuzz(byte[] data) {
        try {
            PcapReader.read(ByteBuffer.wrap(data));
        } catch (MalformedPacketException expected) {
        }
    }
}
