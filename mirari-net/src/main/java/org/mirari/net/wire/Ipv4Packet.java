package org.mirari.net.wire;

import java.nio.ByteBuffer;

/**
 * An IPv4 datagram (RFC 791). Options are skipped on parse (RFC 1122 3.2.1.8 lets a host ignore
 * the ones it does not implement) and never emitted.
 *
 * @param tos            the DSCP/ECN byte
 * @param fragmentOffset in bytes (the wire carries units of 8)
 * @param payload        a view of the data after the header, exactly total-length minus header
 *                       (Ethernet padding is cut off)
 */
public record Ipv4Packet(
        int tos,
        int identification,
        boolean dontFragment,
        boolean moreFragments,
        int fragmentOffset,
        int ttl,
        IpProtocol protocol,
        Ipv4Address src,
        Ipv4Address dst,
        ByteBuffer payload) {
    /** A fresh duplicate each call, so readers cannot move the record's own position. */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    public static final int VERSION_IHL = 0,
            TOS = 1,
            TOTAL_LENGTH = 2,
            IDENTIFICATION = 4,
            FLAGS_FRAGMENT = 6,
            TTL = 8,
            PROTOCOL = 9,
            CHECKSUM = 10,
            SRC = 12,
            DST = 16,
            HEADER_LEN = 20;
    private static final int DF = 0x4000, MF = 0x2000;

    public Ipv4Packet {
        if ((fragmentOffset & 7) != 0 || fragmentOffset < 0 || fragmentOffset > 0xffff)
            throw new IllegalArgumentException("fragment offset " + fragmentOffset);
    }

    /** A plain unfragmented datagram with TTL 64 (Linux's default) and DF clear. */
    public static Ipv4Packet of(int id, IpProtocol protocol, Ipv4Address src, Ipv4Address dst, ByteBuffer payload) {
        return new Ipv4Packet(0, id, false, false, 0, 64, protocol, src, dst, payload);
    }

    /** Parses and checks version, lengths and header checksum (RFC 1122 3.2.1.1-3.2.1.2). */
    public static Ipv4Packet parse(ByteBuffer b) throws MalformedPacketException {
        var s = b.slice();
        int avail = s.remaining();
        if (avail < HEADER_LEN)
            throw new MalformedPacketException("IPv4 packet of " + avail + " bytes is shorter than its 20-byte header");
        int vihl = s.get(VERSION_IHL) & 0xff;
        if (vihl >>> 4 != 4) throw new MalformedPacketException("IP version " + (vihl >>> 4) + " is not 4");
        int hlen = (vihl & 0xf) * 4;
        int total = s.getShort(TOTAL_LENGTH) & 0xffff;
        if (hlen < HEADER_LEN) throw new MalformedPacketException("IPv4 header length " + hlen + " is below 20");
        if (total < hlen)
            throw new MalformedPacketException("IPv4 total length " + total + " is below header length " + hlen);
        if (total > avail)
            throw new MalformedPacketException(
                    "IPv4 total length " + total + " exceeds the " + avail + " bytes received");
        if (Checksum.of(s, 0, hlen) != 0) throw new MalformedPacketException("IPv4 header checksum is wrong");
        int ff = s.getShort(FLAGS_FRAGMENT) & 0xffff;
        return new Ipv4Packet(
                s.get(TOS) & 0xff,
                s.getShort(IDENTIFICATION) & 0xffff,
                (ff & DF) != 0,
                (ff & MF) != 0,
                (ff & 0x1fff) * 8,
                s.get(TTL) & 0xff,
                new IpProtocol(s.get(PROTOCOL) & 0xff),
                Ipv4Address.read(s, SRC),
                Ipv4Address.read(s, DST),
                s.slice(hlen, total - hlen));
    }

    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    public int length() {
        return HEADER_LEN + payload.remaining();
    }

    /** Writes header (with checksum) and payload at {@code out}'s position and advances it. */
    public void emit(ByteBuffer out) {
        int p = out.position();
        emitHeader(out, payload.remaining());
        out.position(p + HEADER_LEN).put(payload.duplicate());
    }

    /** Writes only the 20-byte header for a payload of {@code payloadLength} bytes (position unchanged). */
    public void emitHeader(ByteBuffer out, int payloadLength) {
        int p = out.position();
        out.put(p + VERSION_IHL, (byte) 0x45)
                .put(p + TOS, (byte) tos)
                .putShort(p + TOTAL_LENGTH, (short) (HEADER_LEN + payloadLength))
                .putShort(p + IDENTIFICATION, (short) identification)
                .putShort(p + FLAGS_FRAGMENT, (short)
                        ((dontFragment ? DF : 0) | (moreFragments ? MF : 0) | fragmentOffset / 8))
                .put(p + TTL, (byte) ttl)
                .put(p + PROTOCOL, (byte) protocol.value())
                .putShort(p + CHECKSUM, (short) 0);
        src.write(out, p + SRC);
        dst.write(out, p + DST);
        out.putShort(p + CHECKSUM, (short) Checksum.of(out, p, HEADER_LEN));
    }

    public ByteBuffer toBuffer() {
        var out = ByteBuffer.allocate(length());
        emit(out);
        return out.flip();
    }
}
