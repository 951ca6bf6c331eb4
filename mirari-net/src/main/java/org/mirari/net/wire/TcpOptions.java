package org.mirari.net.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP options Mirari reads and writes (RFC 9293 3.2; RFC 7323 2; RFC 2018 2). Unknown kinds
 * are skipped by their length, so a peer's newer options never break parsing.
 *
 * @param mss           the maximum segment size the sender can receive, or -1 when absent
 * @param windowScale   the sender's receive-window shift (0-14), or -1 when absent
 * @param sackPermitted whether the sender offered SACK (RFC 2018 2; only in a SYN)
 * @param sack          the SACK blocks (RFC 2018 3), at most {@link #MAX_SACK_BLOCKS}, or empty
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, List<SackBlock> sack) {
    public static final TcpOptions NONE = new TcpOptions(-1, -1, false);
    public static final int EOL = 0, NOP = 1, MSS = 2, WSCALE = 3, SACK_PERMITTED = 4, SACK = 5;
    /** RFC 7323 2.3: a shift above 14 is used as 14. */
    public static final int MAX_WSCALE = 14;
    /** Four blocks fill the 40 bytes of option space (RFC 2018 3: 2 + 8n bytes, with two NOPs). */
    public static final int MAX_SACK_BLOCKS = 4;

    /**
     * One block of data received beyond the cumulative ACK: sequence numbers {@code left} up to, not
     * including, {@code right} (raw 32-bit values, compared modulo 2^32).
     */
    public record SackBlock(int left, int right) {}

    public TcpOptions {
        if (mss < -1 || mss > 0xffff) throw new IllegalArgumentException("MSS " + mss);
        if (windowScale < -1 || windowScale > 255) throw new IllegalArgumentException("window scale " + windowScale);
        sack = List.copyOf(sack);
        if (sack.size() > MAX_SACK_BLOCKS) throw new IllegalArgumentException(sack.size() + " SACK blocks");
    }

    public TcpOptions(int mss, int windowScale, boolean sackPermitted) {
        this(mss, windowScale, sackPermitted, List.of());
    }

    /** Only SACK blocks, as an ACK carries them. */
    public static TcpOptions sack(List<SackBlock> blocks) {
        return blocks.isEmpty() ? NONE : new TcpOptions(-1, -1, false, blocks);
    }

    /** Parses {@code len} option bytes at absolute {@code offset} of {@code b}. */
    static TcpOptions parse(ByteBuffer b, int offset, int len) throws MalformedPacketException {
        int mss = -1, ws = -1;
        boolean sackOk = false;
        List<SackBlock> blocks = List.of();
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
                case SACK_PERMITTED -> sackOk = true;
                case SACK -> {
                    int n = (olen - 2) / 8;
                    if ((olen - 2) % 8 != 0 || n < 1 || n > MAX_SACK_BLOCKS)
                        throw new MalformedPacketException("TCP SACK option has length " + olen + ", not 2 + 8n");
                    var list = new ArrayList<SackBlock>(n);
                    for (int k = 0; k < n; k++)
                        list.add(new SackBlock(b.getInt(i + 2 + 8 * k), b.getInt(i + 6 + 8 * k)));
                    blocks = list;
                }
                default -> {} // skipped by its length (timestamps, MD5, ...)
            }
            i += olen;
        }
        return new TcpOptions(mss, ws, sackOk, blocks);
    }

    /** Bytes {@link #emit} writes: a multiple of 4. */
    public int length() {
        int n = (mss >= 0 ? 4 : 0) + (windowScale >= 0 ? 4 : 0) + (sackPermitted ? 4 : 0);
        return n + (sack.isEmpty() ? 0 : 4 + 8 * sack.size());
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
            i += 4;
        }
        if (!sack.isEmpty()) {
            b.put(i, (byte) NOP).put(i + 1, (byte) NOP).put(i + 2, (byte) SACK).put(i + 3, (byte)
                    (2 + 8 * sack.size()));
            i += 4;
            for (var k : sack) {
                b.putInt(i, k.left()).putInt(i + 4, k.right());
                i += 8;
            }
        }
    }
}
