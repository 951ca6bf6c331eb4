package org.mirari.net.wire;

import java.nio.ByteBuffer;

/**
 * An ICMPv4 message (RFC 792): type, code, checksum, four type-specific bytes ({@code rest}: the
 * identifier and sequence of an echo, unused for destination unreachable) and a body.
 */
public record IcmpMessage(int type, int code, int rest, ByteBuffer body) {
    /** A fresh duplicate each call, so readers cannot move the record's own position. */
    @Override
    public ByteBuffer body() {
        return body.duplicate();
    }

    public static final int TYPE = 0, CODE = 1, CHECKSUM = 2, REST = 4, HEADER_LEN = 8;
    public static final int ECHO_REPLY = 0, DEST_UNREACHABLE = 3, ECHO_REQUEST = 8, TIME_EXCEEDED = 11;
    public static final int CODE_PORT_UNREACHABLE = 3, CODE_HOST_UNREACHABLE = 1;

    public static IcmpMessage parse(ByteBuffer b) throws MalformedPacketException {
        var s = b.slice();
        if (s.remaining() < HEADER_LEN)
            throw new MalformedPacketException("ICMP message of " + s.remaining() + " bytes is shorter than 8");
        if (Checksum.of(s, 0, s.remaining()) != 0) throw new MalformedPacketException("ICMP checksum is wrong");
        return new IcmpMessage(
                s.get(TYPE) & 0xff,
                s.get(CODE) & 0xff,
                s.getInt(REST),
                s.slice(HEADER_LEN, s.remaining() - HEADER_LEN));
    }

    public static IcmpMessage echo(int type, int id, int seq, ByteBuffer data) {
        return new IcmpMessage(type, 0, (id & 0xffff) << 16 | (seq & 0xffff), data);
    }

    public int echoId() {
        return rest >>> 16;
    }

    public int echoSequence() {
        return rest & 0xffff;
    }

    public int length() {
        return HEADER_LEN + body.remaining();
    }

    public void emit(ByteBuffer out) {
        int p = out.position();
        out.put(p + TYPE, (byte) type)
                .put(p + CODE, (byte) code)
                .putShort(p + CHECKSUM, (short) 0)
                .putInt(p + REST, rest);
        out.position(p + HEADER_LEN).put(body.duplicate());
        out.putShort(p + CHECKSUM, (short) Checksum.of(out, p, length()));
    }

    public ByteBuffer toBuffer() {
        var out = ByteBuffer.allocate(length());
        emit(out);
        return out.flip();
    }
}
