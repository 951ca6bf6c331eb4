package org.mirari.runtime.internal.h2;

/**
 * One HTTP/2 frame (RFC 9113 §4.1): its header and where its payload lies in the reader's buffer
 * (valid until the reader is fed again).
 *
 * @param type     the frame type (§6)
 * @param flags    the flags octet
 * @param stream   the stream identifier, its reserved bit cleared
 * @param payload  the buffer holding the payload
 * @param offset   where the payload starts in it
 * @param length   the payload's length
 */
public record Frame(int type, int flags, int stream, byte[] payload, int offset, int length) {
    public static final int DATA = 0x0, HEADERS = 0x1, PRIORITY = 0x2, RST_STREAM = 0x3, SETTINGS = 0x4;
    public static final int PUSH_PROMISE = 0x5, PING = 0x6, GOAWAY = 0x7, WINDOW_UPDATE = 0x8, CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY_FLAG = 0x20;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The 9-octet header of a frame with these fields. */
    public static byte[] header(int length, int type, int flags, int stream) {
        return new byte[] {
            (byte) (length >>> 16),
            (byte) (length >>> 8),
            (byte) length,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24 & 0x7f),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        };
    }
}
