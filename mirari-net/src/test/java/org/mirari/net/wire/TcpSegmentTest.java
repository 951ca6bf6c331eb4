package org.mirari.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirari.net.wire.Fixtures.hex;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TcpSegmentTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1"), B = Ipv4Address.parse("10.0.0.2");

    /** A SYN as Linux 6.x sends it: MSS, SACK-permitted, timestamps, NOP, window scale 7. */
    static ByteBuffer linuxSyn() {
        var b = hex("c350 0050 0000 03e8 0000 0000 a002 faf0 0000 0000"
                + "0204 05b4 0402 080a 0001 e240 0000 0000 0103 0307");
        b.putShort(TcpSegment.CHECKSUM, (short)
                Checksum.finish(Checksum.add(Checksum.pseudoHeader(A, B, 6, b.remaining()), b, 0, b.remaining())));
        return b;
    }

    @Test
    void parsesALinuxSynWithItsOptions() throws Exception {
        var s = TcpSegment.parse(linuxSyn(), A, B);
        assertThat(s.srcPort()).isEqualTo(50000);
        assertThat(s.dstPort()).isEqualTo(80);
        assertThat(s.seq()).isEqualTo(1000);
        assertThat(s.flags()).isEqualTo(TcpSegment.SYN);
        assertThat(s.window()).isEqualTo(64240);
        assertThat(s.options()).isEqualTo(new TcpOptions(1460, 7, true)); // timestamps skipped by length
        assertThat(s.sequenceLength()).isEqualTo(1);
    }

    @Test
    void aPartialChecksumCompletedOverTheSegmentIsTheFullOne() throws Exception {
        var data = ByteBuffer.allocate(1001);
        for (int i = 0; i < data.limit(); i++) data.put(i, (byte) (i * 7));
        var s = new TcpSegment(1, 2, 3, 4, TcpSegment.ACK_FLAG | TcpSegment.PSH, 5, 0, TcpOptions.NONE, data);
        var full = s.toBuffer(A, B);
        var partial = ByteBuffer.allocate(s.length());
        s.emit(partial, A, B, true);
        partial.flip();
        assertThat(partial.getShort(TcpSegment.CHECKSUM)).isNotEqualTo(full.getShort(TcpSegment.CHECKSUM));
        assertThatThrownBy(() -> TcpSegment.parse(partial, A, B)).isInstanceOf(MalformedPacketException.class);
        assertThat(TcpSegment.parse(partial, A, B, false).payload()).isEqualTo(data.duplicate());
        // what a device does with it (CHECKSUM_PARTIAL): sum from the TCP header on, complement
        int c = Checksum.of(partial, 0, partial.limit());
        partial.putShort(TcpSegment.CHECKSUM, (short) c);
        assertThat(partial).isEqualTo(full);
    }

    @Test
    void sackBlocksRoundTripAndABadLengthIsMalformed() throws Exception {
        var blocks = java.util.List.of(
                new TcpOptions.SackBlock(-10, 1000), new TcpOptions.SackBlock(2000, 3000),
                new TcpOptions.SackBlock(5, 6), new TcpOptions.SackBlock(7, 8));
        var s = new TcpSegment(1, 2, 3, 4, TcpSegment.ACK_FLAG, 5, 0, TcpOptions.sack(blocks), ByteBuffer.allocate(0));
        assertThat(s.headerLength()).isEqualTo(20 + 36);
        var b = s.toBuffer(A, B);
        assertThat(TcpSegment.parse(b, A, B).options().sack()).isEqualTo(blocks);
        // a SACK option of 2 + 7 bytes: not a whole number of blocks
        b.put(20 + 3, (byte) 9);
        b.putShort(TcpSegment.CHECKSUM, (short) 0);
        b.putShort(TcpSegment.CHECKSUM, (short)
                Checksum.finish(Checksum.add(Checksum.pseudoHeader(A, B, 6, b.remaining()), b, 0, b.remaining())));
        assertThatThrownBy(() -> TcpSegment.parse(b, A, B))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("SACK option has length 9");
    }

    @Test
    void aSuperSegmentIsCutAsTsoCutsIt() {
        var data = ByteBuffer.allocate(2500);
        int flags = TcpSegment.ACK_FLAG | TcpSegment.PSH | TcpSegment.FIN | TcpSegment.CWR;
        var s = new TcpSegment(1, 2, -100, 4, flags, 5, 0, TcpOptions.NONE, data);
        var parts = s.cut(1000);
        assertThat(parts).hasSize(3);
        assertThat(parts).extracting(p -> p.payload().remaining()).containsExactly(1000, 1000, 500);
        assertThat(parts).extracting(TcpSegment::seq).containsExactly(-100, 900, 1900);
        assertThat(parts)
                .extracting(TcpSegment::flags)
                .containsExactly(
                        TcpSegment.ACK_FLAG | TcpSegment.CWR,
                        TcpSegment.ACK_FLAG,
                        TcpSegment.ACK_FLAG | TcpSegment.PSH | TcpSegment.FIN);
        assertThat(s.cut(2500)).containsExactly(s);
    }

    @Test
    void emitThenParseIsTheIdentity() throws Exception {
        var s = new TcpSegment(
                1,
                2,
                -5,
                0x7fffffff,
                TcpSegment.ACK_FLAG | TcpSegment.PSH | TcpSegment.FIN,
                65535,
                0,
                new TcpOptions(8960, 14, false),
                ByteBuffer.wrap("hello".getBytes()));
        var parsed = TcpSegment.parse(s.toBuffer(A, B), A, B);
        assertThat(parsed).isEqualTo(s);
        assertThat(parsed.sequenceLength()).isEqualTo(6);
    }

    @Test
    void rejectsWhatCouldHangOrOverrunAParser() {
        var zeroLength = hex("0001 0002 0000 0000 0000 0000 6002 1000 0000 0000 0200 0000"); // option of length 0
        zeroLength.putShort(
                16, (short) Checksum.finish(Checksum.add(Checksum.pseudoHeader(A, B, 6, 24), zeroLength, 0, 24)));
        assertThatThrownBy(() -> TcpSegment.parse(zeroLength, A, B))
                .hasMessage("TCP option 2 has length 0 in 4 bytes left");
        assertThatThrownBy(() -> TcpSegment.parse(ByteBuffer.allocate(19), A, B))
                .hasMessage("TCP segment of 19 bytes is shorter than its 20-byte header");
        var badOffset = hex("0001 0002 0000 0000 0000 0000 f002 1000 0000 0000");
        assertThatThrownBy(() -> TcpSegment.parse(badOffset, A, B))
                .hasMessage("TCP data offset 60 does not fit the 20 bytes received");
        var s = linuxSyn();
        s.put(30, (byte) (s.get(30) ^ 1));
        assertThatThrownBy(() -> TcpSegment.parse(s, A, B)).hasMessage("TCP checksum is wrong");
    }

    @Test
    void aWindowScaleAbove14CountsAs14() throws Exception {
        var b = hex("0001 0002 0000 0000 0000 0000 6002 1000 0000 0000 0303 0f00");
        b.putShort(16, (short) Checksum.finish(Checksum.add(Checksum.pseudoHeader(A, B, 6, 24), b, 0, 24)));
        assertThat(TcpSegment.parse(b, A, B).options().windowScale()).isEqualTo(14); // RFC 7323 2.3
    }

    /** Any bytes, with a checksum made right so the option parser is reached: only MalformedPacketException may come out. */
    @FuzzTest
    void parseFuzz(byte[] data) {
        var b = ByteBuffer.wrap(data.clone());
        if (data.length >= 18) {
            b.putShort(16, (short) 0);
            b.putShort(16, (short)
                    Checksum.finish(Checksum.add(Checksum.pseudoHeader(A, B, 6, data.length), b, 0, data.length)));
        }
        try {
            var s = TcpSegment.parse(b, A, B);
            var again = TcpSegment.parse(s.toBuffer(A, B), A, B);
            assertThat(again).isEqualTo(s);
            assertThat(s.headerLength()).isLessThanOrEqualTo(TcpSegment.MAX_HEADER_LEN);
        } catch (MalformedPacketException expected) {
            // the only exception allowed
        }
    }
}
