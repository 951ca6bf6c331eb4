package org.mirari.net.wire;

import java.nio.ByteBuffer;

/** The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words. */
public final class Checksum {
    private Checksum() {}

    /** Adds {@code len} bytes from absolute {@code offset} to a running 32-bit sum (an odd tail is padded with zero). */
    public static long add(long sum, ByteBuffer b, int offset, int len) {
        int i = offset, end = offset + len;
        // Eight bytes at a time, as two 32-bit words: a ones' complement sum may be taken over wider
        // words and folded at the end (RFC 1071 section 2(B)); 2^30 words cannot overflow the long.
        if (b.order() == java.nio.ByteOrder.BIG_ENDIAN) {
            for (; i + 7 < end; i += 8) {
                long v = b.getLong(i);
                sum += (v >>> 32) + (v & 0xffff_ffffL);
            }
        }
        for (; i + 1 < end; i += 2) sum += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
        if (i < end) sum += (b.get(i) & 0xff) << 8;
        return sum;
    }

    /** The IPv4 pseudo-header of UDP and TCP (RFC 768; RFC 793 section 3.1). */
    public static long pseudoHeader(Ipv4Address src, Ipv4Address dst, int protocol, int length) {
        return (src.bits() >>> 16)
                + (src.bits() & 0xffff)
                + (dst.bits() >>> 16)
                + (dst.bits() & 0xffff)
                + protocol
                + length;
    }

    /** Folds the carries back in and complements: the value to put in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    /** The checksum of a byte range. A range that already holds its correct checksum gives 0. */
    public static int of(ByteBuffer b, int offset, int len) {
        return finish(add(0, b, offset, len));
    }
}
