package org.mirari.net.wire;

import java.nio.ByteBuffer;

/**
 * An Ethernet II frame (IEEE 802.3 with a type field; no FCS, as taps deliver frames).
 *
 * @param payload a view of the bytes after the header, up to the end of the frame (which may
 *                include the padding that brings a short frame to 60 bytes)
 */
public record EthernetFrame(MacAddress dst, MacAddress src, EtherType type, ByteBuffer payload) {
    /** A fresh duplicate each call, so readers cannot move the record's own position. */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    public static final int DST = 0, SRC = 6, TYPE = 12, HEADER_LEN = 14;
    /** The largest payload without jumbo frames. */
    public static final int MAX_PAYLOAD = 1500;

    /** Parses the frame between {@code b}'s position and limit (which are not changed). */
    public static EthernetFrame parse(ByteBuffer b) throws MalformedPacketException {
        var s = b.slice();
        if (s.remaining() < HEADER_LEN)
            throw new MalformedPacketException(
                    "Ethernet frame of " + s.remaining() + " bytes is shorter than its 14-byte header");
        return new EthernetFrame(
                MacAddress.read(s, DST),
                MacAddress.read(s, SRC),
                new EtherType(s.getShort(TYPE) & 0xffff),
                s.slice(HEADER_LEN, s.remaining() - HEADER_LEN));
    }

    /** The type field alone, without building the record (for the receive path's demux). */
    public static int type(ByteBuffer frame) {
        return frame.getShort(frame.position() + TYPE) & 0xffff;
    }

    public int length() {
        return HEADER_LEN + payload.remaining();
    }

    /** Writes the frame at {@code out}'s position and advances it. */
    public void emit(ByteBuffer out) {
        int p = out.position();
        dst.write(out, p + DST);
        src.write(out, p + SRC);
        out.putShort(p + TYPE, (short) type.value());
        out.position(p + HEADER_LEN).put(payload.duplicate());
    }

    public ByteBuffer toBuffer() {
        var out = ByteBuffer.allocate(length());
        emit(out);
        return out.flip();
    }
}
