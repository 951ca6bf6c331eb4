package org.mirari.net.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the classic libpcap file format (as read by tcpdump and Wireshark) with link type
 * Ethernet and nanosecond timestamps. Timestamps are given by the caller: nothing here reads a clock.
 */
public final class PcapWriter implements AutoCloseable {
    /** The magic of nanosecond-resolution pcap files. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;

    public static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 65535;
    private final OutputStream out;

    public PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        var h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MAGIC_NANOS)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(SNAPLEN)
                .putInt(LINKTYPE_ETHERNET);
        out.write(h.array());
    }

    /** Appends one frame (between position and limit, unchanged) captured at {@code epochNanos}. */
    public synchronized void write(long epochNanos, ByteBuffer frame) throws IOException {
        int len = frame.remaining(), caplen = Math.min(len, SNAPLEN);
        var rec = ByteBuffer.allocate(16 + caplen).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) (epochNanos / 1_000_000_000L))
                .putInt((int) (epochNanos % 1_000_000_000L))
                .putInt(caplen)
                .putInt(len);
        rec.put(frame.slice(frame.position(), caplen));
        out.write(rec.array());
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
