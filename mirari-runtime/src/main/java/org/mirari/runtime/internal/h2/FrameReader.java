package org.mirari.runtime.internal.h2;

import java.util.Arrays;

/**
 * Splits a connection's bytes into frames (RFC 9113 §4.1), checking what can be checked without
 * the connection's state: the client preface once (§3.4), the length against the maximum frame
 * size this side advertised (§4.2), the fixed lengths of the control frames (§6), and padding
 * (§6.1, §6.2). Header blocks are joined by {@link HeaderBlocks}.
 */
public final class FrameReader {
    /** The client connection preface (RFC 9113 §3.4). */
    static final byte[] PREFACE =
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int maxFrameSize;
    private byte[] buf = new byte[16 * 1024];
    private int start;
    private int end;
    private boolean prefaceSeen;

    /** @param maxFrameSize the SETTINGS_MAX_FRAME_SIZE this side advertised (16,384 to 2^24-1) */
    public FrameReader(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** Appends received bytes. */
    public void feed(byte[] b, int offset, int length) {
        if (start > 0 && end + length > buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end + length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + length));
        }
        System.arraycopy(b, offset, buf, end, length);
        end += length;
    }

    /** The next whole frame, or null until more bytes arrive. */
    public Frame next() throws H2Exception {
        if (!prefaceSeen) {
            int n = Math.min(end - start, PREFACE.length);
            if (!Arrays.equals(buf, start, start + n, PREFACE, 0, n)) {
                throw new H2Exception(H2Exception.PROTOCOL_ERROR, "no HTTP/2 client preface (RFC 9113 §3.4)");
            }
            if (n < PREFACE.length) {
                return null;
            }
            start += PREFACE.length;
            prefaceSeen = true;
        }
        if (end - start < 9) {
            return null;
        }
        int length = (buf[start] & 0xff) << 16 | (buf[start + 1] & 0xff) << 8 | buf[start + 2] & 0xff;
        if (length > maxFrameSize) {
            throw new H2Exception(
                    H2Exception.FRAME_SIZE_ERROR,
                    "a frame of " + length + " bytes, above the " + maxFrameSize + " advertised");
        }
        if (end - start < 9 + length) {
            return null;
        }
        int type = buf[start + 3] & 0xff;
        int flags = buf[start + 4] & 0xff;
        int stream = (buf[start + 5] & 0x7f) << 24
                | (buf[start + 6] & 0xff) << 16
                | (buf[start + 7] & 0xff) << 8
                | buf[start + 8] & 0xff;
        int offset = start + 9;
        start += 9 + length;
        check(type, flags, stream, length);
        if ((type == Frame.DATA || type == Frame.HEADERS) && (flags & Frame.PADDED) != 0) {
            // Pad Length, the payload, then that many padding octets (§6.1)
            if (length < 1 || (buf[offset] & 0xff) >= length) {
                throw new H2Exception(H2Exception.PROTOCOL_ERROR, "padding as long as the frame (RFC 9113 §6.1)");
            }
            int pad = buf[offset] & 0xff;
            offset++;
            length -= 1 + pad;
            flags &= ~Frame.PADDED;
        }
        if (type == Frame.HEADERS && (flags & Frame.PRIORITY_FLAG) != 0) {
            if (length < 5) {
                throw new H2Exception(H2Exception.FRAME_SIZE_ERROR, "a HEADERS frame too short for its priority");
            }
            offset += 5; // stream dependency and weight: deprecated (§5.3.2), skipped
            length -= 5;
            flags &= ~Frame.PRIORITY_FLAG;
        }
        return new Frame(type, flags, stream, buf, offset, length);
    }

    /** The checks of §6 that need only the frame. */
    private static void check(int type, int flags, int stream, int length) throws H2Exception {
        switch (type) {
            case Frame.DATA, Frame.HEADERS, Frame.CONTINUATION, Frame.RST_STREAM, Frame.PRIORITY -> {
                if (stream == 0) {
                    throw new H2Exception(H2Exception.PROTOCOL_ERROR, "frame type " + type + " on stream 0");
                }
            }
            case Frame.SETTINGS, Frame.PING, Frame.GOAWAY -> {
                if (stream != 0) {
                    throw new H2Exception(H2Exception.PROTOCOL_ERROR, "frame type " + type + " on stream " + stream);
                }
            }
            default -> {}
        }
        boolean bad =
                switch (type) {
                    case Frame.RST_STREAM, Frame.WINDOW_UPDATE -> length != 4;
                    case Frame.PRIORITY -> length != 5;
                    case Frame.PING -> length != 8;
                    case Frame.SETTINGS -> length % 6 != 0 || (flags & Frame.ACK) != 0 && length != 0;
                    case Frame.GOAWAY -> length < 8;
                    default -> false;
                };
        if (bad) {
            throw new H2Exception(H2Exception.FRAME_SIZE_ERROR, "frame type " + type + " of length " + length);
        }
    }
}
