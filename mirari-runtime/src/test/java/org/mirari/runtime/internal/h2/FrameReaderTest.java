package org.mirari.runtime.internal.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(Frame.header(payload.length, type, flags, stream));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static FrameReader withPreface() {
        var r = new FrameReader(16384);
        r.feed(FrameReader.PREFACE, 0, FrameReader.PREFACE.length);
        return r;
    }

    @Test
    void framesArriveInPieces() throws Exception {
        var r = new FrameReader(16384);
        r.feed(FrameReader.PREFACE, 0, 10);
        assertThat(r.next()).isNull();
        r.feed(FrameReader.PREFACE, 10, FrameReader.PREFACE.length - 10);
        byte[] settings = frame(Frame.SETTINGS, 0, 0, new byte[6]);
        r.feed(settings, 0, 5);
        assertThat(r.next()).isNull();
        r.feed(settings, 5, settings.length - 5);
        var f = r.next();
        assertThat(f.type()).isEqualTo(Frame.SETTINGS);
        assertThat(f.length()).isEqualTo(6);
        assertThat(r.next()).isNull();
    }

    @Test
    void paddingAndPriorityAreRemoved() throws Exception {
        var r = withPreface();
        byte[] payload = {3, 0, 0, 0, 1, 16, 'a', 'b', 0, 0, 0}; // pad 3, priority (5), "ab", padding
        byte[] f = frame(Frame.HEADERS, Frame.PADDED | Frame.PRIORITY_FLAG | Frame.END_HEADERS, 1, payload);
        r.feed(f, 0, f.length);
        var h = r.next();
        assertThat(new String(h.payload(), h.offset(), h.length())).isEqualTo("ab");
        assertThat(h.has(Frame.END_HEADERS)).isTrue();
    }

    @Test
    void violations() {
        var bad = new FrameReader(16384);
        bad.feed("GET / HTTP/1.1\r\n".getBytes(), 0, 16);
        assertThatThrownBy(bad::next).hasMessageContaining("preface");
        var big = withPreface();
        big.feed(Frame.header(16385, Frame.DATA, 0, 1), 0, 9);
        assertThatThrownBy(big::next).hasMessageContaining("above the 16384 advertised");
        var ping = withPreface();
        byte[] p = frame(Frame.PING, 0, 0, new byte[7]);
        ping.feed(p, 0, p.length);
        assertThatThrownBy(ping::next).hasMessage("frame type 6 of length 7");
        var data0 = withPreface();
        byte[] d = frame(Frame.DATA, 0, 0, new byte[1]);
        data0.feed(d, 0, d.length);
        assertThatThrownBy(data0::next).hasMessage("frame type 0 on stream 0");
    }

    @Test
    void aContinuationFloodIsCutOff() throws Exception {
        var blocks = new HeaderBlocks(32 * 1024, 32);
        var r = withPreface();
        byte[] h = frame(Frame.HEADERS, 0, 1, new byte[] {(byte) 0x82});
        r.feed(h, 0, h.length);
        assertThat(blocks.accept(r.next())).isNull();
        byte[] empty = frame(Frame.CONTINUATION, 0, 1, new byte[0]);
        H2Exception refused = null;
        for (int i = 0; i < 100_000 && refused == null; i++) {
            r.feed(empty, 0, empty.length);
            try {
                blocks.accept(r.next());
            } catch (H2Exception e) {
                refused = e;
                assertThat(i).isEqualTo(31); // the 32nd frame of the block was the last allowed
            }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(H2Exception.ENHANCE_YOUR_CALM);
    }

    @Test
    void aBlockIsJoinedAndNothingMayInterleave() throws Exception {
        var blocks = new HeaderBlocks(1024, 8);
        var r = withPreface();
        byte[] all = new ByteArrayOutputStream() {
            {
                writeBytes(frame(Frame.HEADERS, Frame.END_STREAM, 3, new byte[] {1, 2}));
                writeBytes(frame(Frame.CONTINUATION, Frame.END_HEADERS, 3, new byte[] {3}));
                writeBytes(frame(Frame.HEADERS, 0, 5, new byte[] {1}));
                writeBytes(frame(Frame.DATA, 0, 5, new byte[] {1}));
            }
        }.toByteArray();
        r.feed(all, 0, all.length);
        assertThat(blocks.accept(r.next())).isNull();
        var b = blocks.accept(r.next());
        assertThat(b.bytes()).containsExactly(1, 2, 3);
        assertThat(b.endStream()).isTrue();
        assertThat(blocks.accept(r.next())).isNull();
        assertThatThrownBy(() -> blocks.accept(r.next())).hasMessageContaining("inside a header block");
    }
}
