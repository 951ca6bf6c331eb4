package org.mirari.runtime.internal.h2;

import java.io.ByteArrayOutputStream;

/**
 * Joins a HEADERS frame and its CONTINUATIONs into one header block (RFC 9113 §6.10), bounded
 * against the CONTINUATION flood (CVE-2024-27316 and kin): at most {@code maxBlock} bytes and at
 * most {@code maxFrames} frames per block, so a peer that sends CONTINUATION frames without end
 * (empty ones too) is cut off long before it costs memory or time. No other frame may come in
 * between (§6.10).
 */
public final class HeaderBlocks {
    private final int maxBlock;
    private final int maxFrames;
    private final ByteArrayOutputStream block = new ByteArrayOutputStream();
    private int stream;
    private int frames;
    private boolean endStream;

    public HeaderBlocks(int maxBlock, int maxFrames) {
        this.maxBlock = maxBlock;
        this.maxFrames = maxFrames;
    }

    /** A block whose HEADERS and CONTINUATIONs have all arrived. */
    public record Block(int stream, byte[] bytes, boolean endStream) {}

    /** True while a block waits for its CONTINUATION. */
    public boolean open() {
        return stream != 0;
    }

    /** Takes a frame; returns the block once END_HEADERS came, else null. Only HEADERS/CONTINUATION may come here. */
    public Block accept(Frame f) throws H2Exception {
        if (stream != 0 && (f.type() != Frame.CONTINUATION || f.stream() != stream)) {
            throw new H2Exception(H2Exception.PROTOCOL_ERROR, "a frame inside a header block (RFC 9113 §6.10)");
        }
        if (f.type() == Frame.CONTINUATION && stream == 0) {
            throw new H2Exception(H2Exception.PROTOCOL_ERROR, "a CONTINUATION without HEADERS (RFC 9113 §6.10)");
        }
        if (f.type() == Frame.HEADERS) {
            stream = f.stream();
            endStream = f.has(Frame.END_STREAM);
            block.reset();
            frames = 0;
        }
        if (++frames > maxFrames || block.size() + f.length() > maxBlock) {
            throw new H2Exception(
                    H2Exception.ENHANCE_YOUR_CALM,
                    "a header block beyond " + maxBlock + " bytes or " + maxFrames + " frames (a CONTINUATION flood)");
        }
        block.write(f.payload(), f.offset(), f.length());
        if (!f.has(Frame.END_HEADERS)) {
            return null;
        }
        var done = new Block(stream, block.toByteArray(), endStream);
        stream = 0;
        return done;
    }
}
