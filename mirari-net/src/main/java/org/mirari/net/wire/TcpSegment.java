package org.mirari.net.wire;

import java.nio.ByteBuffer;

/**
 * A TCP segment (RFC 9293 3.1). Sequence and acknowledgment numbers are kept as the raw 32-bit
 * {@code int}s of the wire (compare them modulo 2^32, never as values); {@code window} is the raw
 * 16-bit field, before any window scaling. The checksum covers the IPv4 pseudo-header.
 */
public record TcpSegment(
        int srcPort,
        int dstPort,
        int seq,
        int ack,
        int flags,
        int window,
        int urgent,
        TcpOptions options,
        ByteBuffer payload) {
    /** A fresh duplicate each call, so readers cannot move the record's own position. */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    public static final int SRC_PORT = 0,
            DST_PORT = 2,
            SEQ = 4,
            ACK = 8,
            OFFSET = 12,
            FLAGS = 13,
            WINDOW = 14,
            CHECKSUM = 16,
            URGENT = 18,
            HEADER_LEN = 20,
            MAX_HEADER_LEN = 60;
    public static final int FIN = 0x01,
            SYN = 0x02,
            RST = 0x04,
            PSH = 0x08,
            ACK_FLAG = 0x10,
            URG = 0x20,
            ECE = 0x40,
            CWR = 0x80;

    public TcpSegment {
        if ((srcPort & ~0xffff) != 0 || (dstPort & ~0xffff) != 0)
            throw new IllegalArgumentException("port out of range: " + srcPort + ", " + dstPort);
        if ((flags & ~0xff) != 0) throw new IllegalArgumentException("flags " + flags);
        if ((window & ~0xffff) != 0) throw new IllegalArgumentException("window " + window + " does not fit 16 bits");
        if ((urgent & ~0xffff) != 0) throw new IllegalArgumentException("urgent pointer " + urgent);
        if (options == null) options = TcpOptions.NONE;
        if (HEADER_LEN + options.length() > MAX_HEADER_LEN) throw new IllegalArgumentException("options too long");
    }

    /** Parses the segment carried in an IPv4 packet from {@code src} to {@code dst}, checking its checksum. */
    public static TcpSegment parse(ByteBuffer b, Ipv4Address src, Ipv4Address dst) throws MalformedPacketException {
        return parse(b, src, dst, true);
    }

    /**
     * As {@link #parse(ByteBuffer, Ipv4Address, Ipv4Address)}, checking the checksum only when
     * {@code verify}: a device with receive offload may vouch for it, or hand over a segment whose
     * checksum it left partial (see {@code org.mirari.net.device.RxStatus}).
     */
    public static TcpSegment parse(ByteBuffer b, Ipv4Address src, Ipv4Address dst, boolean verify)
            throws MalformedPacketException {
        var s = b.slice();
        int len = s.remaining();
        if (len < HEADER_LEN)
            throw new MalformedPacketException("TCP segment of " + len + " bytes is shorter than its 20-byte header");
        int hlen = ((s.get(OFFSET) & 0xff) >>> 4) * 4;
        if (hlen < HEADER_LEN || hlen > len)
            throw new MalformedPacketException(
                    "TCP data offset " + hlen + " does not fit the " + len + " bytes received");
        if (verify && Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, 6, len), s, 0, len)) != 0)
            throw new MalformedPacketException("TCP checksum is wrong");
        var options = hlen == HEADER_LEN ? TcpOptions.NONE : TcpOptions.parse(s, HEADER_LEN, hlen - HEADER_LEN);
        return new TcpSegment(
                s.getShort(SRC_PORT) & 0xffff,
                s.getShort(DST_PORT) & 0xffff,
                s.getInt(SEQ),
                s.getInt(ACK),
                s.get(FLAGS) & 0xff,
                s.getShort(WINDOW) & 0xffff,
                s.getShort(URGENT) & 0xffff,
                options,
                s.slice(hlen, len - hlen));
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int headerLength() {
        return HEADER_LEN + options.length();
    }

    public int length() {
        return headerLength() + payload.remaining();
    }

    /** Sequence space the segment occupies: its data plus one each for SYN and FIN. */
    public int sequenceLength() {
        return payload.remaining() + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }

    /** Writes the segment with its checksum at {@code out}'s position and advances it. */
    public void emit(ByteBuffer out, Ipv4Address src, Ipv4Address dst) {
        emit(out, src, dst, false);
    }

    /**
     * Writes the segment at {@code out}'s position and advances it; with {@code partialChecksum} the
     * checksum field holds only the folded, not complemented, sum of the pseudo-header, for a device
     * that sums the rest ({@code org.mirari.net.device.TxOffload}), so the data is never summed here.
     */
    public void emit(ByteBuffer out, Ipv4Address src, Ipv4Address dst, boolean partialChecksum) {
        int p = out.position(), hlen = headerLength(), len = length();
        out.putShort(p + SRC_PORT, (short) srcPort)
                .putShort(p + DST_PORT, (short) dstPort)
                .putInt(p + SEQ, seq)
                .putInt(p + ACK, ack)
                .put(p + OFFSET, (byte) ((hlen / 4) << 4))
                .put(p + FLAGS, (byte) flags)
                .putShort(p + WINDOW, (short) window)
                .putShort(p + CHECKSUM, (short) 0)
                .putShort(p + URGENT, (short) urgent);
        options.emit(out, p + HEADER_LEN);
        out.position(p + hlen).put(payload.duplicate());
        long pseudo = Checksum.pseudoHeader(src, dst, 6, len);
        int c = partialChecksum
                ? ~Checksum.finish(pseudo) & 0xffff
                : Checksum.finish(Checksum.add(pseudo, out, p, len));
        out.putShort(p + CHECKSUM, (short) c);
    }

    /**
     * This segment cut into segments of at most {@code mss} bytes of data, as a TSO device would cut
     * it (Linux's {@code tcp_gso_segment}): sequence numbers advanced by the data before each, FIN
     * and PSH only on the last, CWR only on the first. A segment that fits is returned alone.
     */
    public java.util.List<TcpSegment> cut(int mss) {
        if (mss <= 0) throw new IllegalArgumentException("mss " + mss);
        int n = payload.remaining();
        if (n <= mss) return java.util.List.of(this);
        var out = new java.util.ArrayList<TcpSegment>(n / mss + 1);
        for (int off = 0; off < n; off += mss) {
            int len = Math.min(mss, n - off);
            int f = flags;
            if (off + len < n) f &= ~(FIN | PSH);
            if (off > 0) f &= ~CWR;
            var part = payload.slice(payload.position() + off, len);
            out.add(new TcpSegment(srcPort, dstPort, seq + off, ack, f, window, urgent, options, part));
        }
        return out;
    }

    public ByteBuffer toBuffer(Ipv4Address src, Ipv4Address dst) {
        var out = ByteBuffer.allocate(length());
        emit(out, src, dst);
        return out.flip();
    }

    @Override
    public String toString() {
        var f = new StringBuilder();
        if (has(SYN)) f.append('S');
        if (has(FIN)) f.append('F');
        if (has(RST)) f.append('R');
        if (has(PSH)) f.append('P');
        if (has(ACK_FLAG)) f.append('.');
        return srcPort + " > " + dstPort + " [" + f + "] seq " + Integer.toUnsignedString(seq)
                + (has(ACK_FLAG) ? " ack " + Integer.toUnsignedString(ack) : "") + " win " + window
                + (options.equals(TcpOptions.NONE) ? "" : " " + options) + " len " + payload.remaining();
    }
}
