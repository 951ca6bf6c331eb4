package org.mirari.runtime.internal.h2;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the HTTP/2 decoders as a connection drives them: bytes after the preface, split into
 * frames, header blocks joined and decoded by one HPACK decoder (whose table carries over). Only
 * {@link H2Exception} may escape. Seeds live in {@code H2DecodersFuzzTestInputs/}; run
 * {@code JAZZER_FUZZ=1} to fuzz for real (CI runs the seeds, in regression mode).
 */
class H2DecodersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void frames(byte[] data) {
        var reader = new FrameReader(16384);
        reader.feed(FrameReader.PREFACE, 0, FrameReader.PREFACE.length);
        var blocks = new HeaderBlocks(32 * 1024, 32);
        var hpack = new Hpack(4096, 16 * 1024);
        try {
            int half = data.length / 2; // fed in two pieces, as reads come
            reader.feed(data, 0, half);
            drain(reader, blocks, hpack);
            reader.feed(data, half, data.length - half);
            drain(reader, blocks, hpack);
        } catch (H2Exception expected) {
            if (expected.code() < 0 || expected.code() > 0xd) {
                throw new IllegalStateException("error code " + expected.code());
            }
        }
    }

    private static void drain(FrameReader reader, HeaderBlocks blocks, Hpack hpack) throws H2Exception {
        Frame f;
        while ((f = reader.next()) != null) {
            if (f.offset() < 0 || f.length() < 0 || f.offset() + f.length() > f.payload().length) {
                throw new IllegalStateException("a frame outside its buffer");
            }
            if (f.type() == Frame.HEADERS || f.type() == Frame.CONTINUATION || blocks.open()) {
                var b = blocks.accept(f);
                if (b != null) {
                    hpack.decode(b.bytes(), 0, b.bytes().length);
                }
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void hpack(byte[] data) {
        var hpack = new Hpack(4096, 16 * 1024);
        try {
            int half = data.length / 2; // two blocks on one table
            hpack.decode(data, 0, half);
            hpack.decode(data, half, data.length - half);
        } catch (H2Exception expected) {
            // a malformed block: what the decoder must say, nothing else
        }
    }
}
