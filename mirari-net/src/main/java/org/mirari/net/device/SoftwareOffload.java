package org.mirari.net.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.mirari.net.wire.Checksum;

/**
 * Does in software what {@link TxOffload} asks of a device that cannot: completes a partial
 * checksum, and cuts an IPv4 TCP super-segment into segments (the rules are on {@link TxOffload}).
 * The fallback behind {@link NetDevice#send(ByteBuffer, TxOffload)}, so that every device takes any
 * offload request.
 */
public final class SoftwareOffload {
    private static final int IP = Offloads.ETHERNET_HEADER;
    private static final int IP_TOTAL_LENGTH = 2, IP_ID = 4, IP_CHECKSUM = 10, IP_SRC = 12;
    private static final int TCP_SEQ = 4, TCP_FLAGS = 13;
    private static final int FIN = 0x01, PSH = 0x08, CWR = 0x80;

    /** Where finished frames go. */
    @FunctionalInterface
    public interface Sink {
        void send(ByteBuffer frame) throws IOException;
    }

    private SoftwareOffload() {}

    /** Finishes {@code frame} (between position and limit) as {@code offload} asks and hands each resulting frame to {@code out}. */
    public static void finish(ByteBuffer frame, TxOffload offload, Sink out) throws IOException {
        if (offload.isNone()) {
            out.send(frame);
            return;
        }
        var f = frame.slice();
        if (offload.checksumStart() + offload.checksumOffset() + 2 > f.limit())
            throw new IllegalArgumentException(
                    "checksum field at " + (offload.checksumStart() + offload.checksumOffset()) + " is outside the "
                            + f.limit() + "-byte frame");
        if (!offload.isSegmented() || f.limit() - offload.headerLength() <= offload.segmentSize()) {
            var copy = ByteBuffer.allocate(f.limit()).put(f.duplicate()).flip();
            completeChecksum(copy, offload.checksumStart(), offload.checksumOffset());
            out.send(copy);
            return;
        }
        segment(f, offload, out);
    }

    /** Completes a partial checksum in place (the field holds the folded pseudo-header sum). */
    public static void completeChecksum(ByteBuffer f, int start, int offset) {
        int c = Checksum.finish(Checksum.add(0, f, start, f.limit() - start));
        if (c == 0 && offset == TxOffload.UDP_CHECKSUM_OFFSET) c = 0xffff; // zero means "no checksum" in UDP (RFC 768)
        f.putShort(start + offset, (short) c);
    }

    private static void segment(ByteBuffer f, TxOffload o, Sink out) throws IOException {
        int hdr = o.headerLength(), l4 = o.checksumStart(), mss = o.segmentSize();
        int payload = f.limit() - hdr;
        int id = f.getShort(IP + IP_ID) & 0xffff;
        int seq = f.getInt(l4 + TCP_SEQ);
        int flags = f.get(l4 + TCP_FLAGS) & 0xff;
        int tcpHeader = hdr - l4;
        for (int off = 0, i = 0; off < payload; off += mss, i++) {
            int len = Math.min(mss, payload - off);
            boolean first = off == 0, last = off + len >= payload;
            var s = ByteBuffer.allocate(hdr + len);
            s.put(f.duplicate().limit(hdr))
                    .put(f.duplicate().position(hdr + off).limit(hdr + off + len))
                    .flip();
            s.putShort(IP + IP_TOTAL_LENGTH, (short) (hdr - IP + len));
            s.putShort(IP + IP_ID, (short) (id + i));
            s.putShort(IP + IP_CHECKSUM, (short) 0);
            int ihl = (s.get(IP) & 0xf) * 4;
            s.putShort(IP + IP_CHECKSUM, (short) Checksum.of(s, IP, ihl));
            s.putInt(l4 + TCP_SEQ, seq + off);
            int fl = flags;
            if (!last) fl &= ~(FIN | PSH);
            if (!first) fl &= ~CWR;
            s.put(l4 + TCP_FLAGS, (byte) fl);
            s.putShort(l4 + TxOffload.TCP_CHECKSUM_OFFSET, (short) 0);
            int tcpLen = tcpHeader + len;
            long pseudo = (s.getShort(IP + IP_SRC) & 0xffff)
                    + (s.getShort(IP + IP_SRC + 2) & 0xffff)
                    + (s.getShort(IP + IP_SRC + 4) & 0xffff)
                    + (s.getShort(IP + IP_SRC + 6) & 0xffff)
                    + 6
                    + tcpLen;
            s.putShort(
                    l4 + TxOffload.TCP_CHECKSUM_OFFSET, (short) Checksum.finish(Checksum.add(pseudo, s, l4, tcpLen)));
            out.send(s);
        }
    }
}
