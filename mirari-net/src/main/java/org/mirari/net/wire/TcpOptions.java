package org.mirari.net.wire;

import java.nio.ByteBuffer;

/**
 * The TCP options Mirari reads and writes (RFC 9293 3.2; RFC 7323 2; RFC 2018 2). Unknown kinds
 * are skipped by their length, so a peer's newer options never break parsing.
 *
 * @param mss           the maximum segment size the sender can receive, or -1 when absent
 * @param windowScale   the sender's receive-window shift (0-14), or -1 when absent
 * @param sackPermitted whether the sender offered SACK (parsed; Mirari does not offer it yet)
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted) {
    public static final TcpOptions NONE = new TcpOptions(-1, -1, false);
    public static final int EOL = 0, NOP = 1, MSS = 2, WSCALE = 3, SACK_PERMITTED = 4;
    /** RFC 7323 2.3: a shift above 14 is used as 14. */
    public static final int MAX_WSCALE = 14;

    public TcpOptions {
        if (mss < -1 || mss > 0xffff) throw new IllegalArgumentException("MSS " + mss);
        if (windowScale < -1 || windowScale > 255) throw new IllegalArgumentException("window scale " + windowScale);
    }

    /** Parses {@code len} option bytes at absolute {@code offset} of {@code b}. */
    static TcpOptions parse(ByteBuffer b, int offset, int len) throws MalformedPacketException {
        int mss = -1, ws = -1;
        boolean sack = false;
        int i = offset, end = offset + len;
        while (i < end) {
            int kind = b.get(i) & 0xff;
            if (kind == EOL) break;
            if (kind == NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) throw new MalformedPacketException("TCP option " + kind + " has no length byte");
            int olen = b.get(i + 1) & 0xff;
            // A length below 2 would never advance: the loop that hangs on it is a known parser bug.
            if (olen < 2 || i + olen > end)
                throw new MalformedPacketException(
                        "TCP option " + kind + " has length " + olen + " in " + (end - i) + " bytes left");
            switch (kind) {
                case MSS -> {
                    if (olen != 4) throw new MalformedPacketException("TCP MSS option has length " + olen + ", not 4");
                    mss = b.getShort(i + 2) & 0xffff;
                }
                case WSCALE -> {
                    if (olen != 3)
                        throw new MalformedPacketException("TCP window scale option has length " + olen + ", not 3");
                    ws = Math.min(MAX_WSCALE, b.get(i + 2) & 0xff);
                }
                case SACK_PERMITTED -> sack = true;
                default -> {} // skipped by its length (timestamps, SACK blocks, MD5, ...)
            }
            i += olen;
        }
        return new TcpOptions(mss, ws, sack);
    }

    /** Bytes {@link #emit} writes: a multiple of 4. */
    public int length() {
        int n = (mss >= 0 ? 4 : 0) + (windowScale >= 0 ? 4 : 0) + (sackPermitted ? 4 : 0);
        return n;
    }

    /** Writes the options at absolute {@code offset}, padded with NOPs to 32-bit words. */
    void emit(ByteBuffer b, int offset) {
        int i = offset;
        if (mss >= 0) {
            b.put(i, (byte) MSS).put(i + 1, (byte) 4).putShort(i + 2, (short) mss);
            i += 4;
        }
        if (windowScale >= 0) {
            b.put(i, (byte) NOP).put(i + 1, (byte) WSCALE).put(i + 2, (byte) 3).put(i + 3, (byte) windowScale);
            i += 4;
        }
        if (sackPermitted) {
            b.put(i, (byte) NOP)
                    .put(i + 1, (byte) NOP)
                    .put(i + 2, (byte) SACK_PERMITTED)
                    .put(i + 3, (byte) 2);
        }
    }
}
