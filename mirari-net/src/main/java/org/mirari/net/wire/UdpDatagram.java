package org.mirari.net.wire;

import java.nio.ByteBuffer;

/** A UDP datagram (RFC 768); the checksum covers the IPv4 pseudo-header. */
public record UdpDatagram(int srcPort, int dstPort, ByteBuffer payload) {
    /** A fresh duplicate each call, so readers cannot move the record's own position. */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    public static final int SRC_PORT = 0, DST_PORT = 2, LENGTH = 4, CHECKSUM = 6, HEADER_LEN = 8;

    public UdpDatagram {
        if ((srcPort & ~0xffff) != 0 || (dstPort & ~0xffff) != 0)
            throw new IllegalArgumentException("port out of range: " + srcPort + ", " + dstPort);
    }

    /**
     * Parses the UDP datagram carried in an IPv4 packet from {@code src} to {@code dst}. A zero
     * checksum means the sender computed none (RFC 768) and is accepted.
     */
    public static UdpDatagram parse(ByteBuffer b, Ipv4Address src, Ipv4Address dst) throws MalformedPacketException {
        return parse(b, src, dst, true);
    }

    /** As {@link #parse(ByteBuffer, Ipv4Address, Ipv4Address)}, checking the checksum only when {@code verify} (a device vouched for it). */
    public static UdpDatagram parse(ByteBuffer b, Ipv4Address src, Ipv4Address dst, boolean verify)
            throws MalformedPacketException {
        var s = b.slice();
        if (s.remaining() < HEADER_LEN)
            throw new MalformedPacketException("UDP datagram of " + s.remaining() + " bytes is shorter than 8");
        int len = s.getShort(LENGTH) & 0xffff;
        if (len < HEADER_LEN || len > s.remaining())
            throw new MalformedPacketException(
                    "UDP length " + len + " does not fit the " + s.remaining() + " bytes received");
        if (verify
                && s.getShort(CHECKSUM) != 0
                && Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, 17, len), s, 0, len)) != 0)
            throw new MalformedPacketException("UDP checksum is wrong");
        return new UdpDatagram(
                s.getShort(SRC_PORT) & 0xffff, s.getShort(DST_PORT) & 0xffff, s.slice(HEADER_LEN, len - HEADER_LEN));
    }

    public int length() {
        return HEADER_LEN + payload.remaining();
    }

    /** Writes the datagram with its checksum at {@code out}'s position and advances it. */
    public void emit(ByteBuffer out, Ipv4Address src, Ipv4Address dst) {
        int p = out.position(), len = length();
        out.putShort(p + SRC_PORT, (short) srcPort)
                .putShort(p + DST_PORT, (short) dstPort)
                .putShort(p + LENGTH, (short) len)
                .putShort(p + CHECKSUM, (short) 0);
        out.position(p + HEADER_LEN).put(payload.duplicate());
        int c = Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, 17, len), out, p, len));
        // A computed zero is sent as all ones; zero on the wire means "no checksum" (RFC 768).
        out.putShort(p + CHECKSUM, (short) (c == 0 ? 0xffff : c));
    }

    public ByteBuffer toBuffer(Ipv4Address src, Ipv4Address dst) {
        var out = ByteBuffer.allocate(length());
        emit(out, src, dst);
        return out.flip();
    }
}
