package org.mirari.net.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Reads a classic pcap file (either byte order, micro- or nanosecond timestamps) into frames. */
public final class PcapReader {
    private PcapReader() {}

    /** One captured frame; {@code epochNanos} is the capture time. */
    public record Record(long epochNanos, ByteBuffer frame) {}

    public static List<Record> read(ByteBuffer file) throws MalformedPacketException {
        var b = file.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 24) throw new MalformedPacketException("pcap file shorter than its 24-byte header");
        int magic = b.getInt(0);
        long unit;
        if (magic == 0xa1b2c3d4 || magic == PcapWriter.MAGIC_NANOS) {
            unit = magic == 0xa1b2c3d4 ? 1000 : 1;
        } else {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != PcapWriter.MAGIC_NANOS)
                throw new MalformedPacketException(String.format("not a pcap file (magic 0x%08x)", magic));
            unit = magic == 0xa1b2c3d4 ? 1000 : 1;
        }
        if (b.getInt(20) != PcapWriter.LINKTYPE_ETHERNET)
            throw new MalformedPacketException("pcap link type " + b.getInt(20) + " is not Ethernet");
        var records = new ArrayList<Record>();
        int p = 24;
        while (p < b.remaining()) {
            if (b.remaining() - p < 16) throw new MalformedPacketException("pcap record header cut short at byte " + p);
            long sec = b.getInt(p) & 0xffff_ffffL, frac = b.getInt(p + 4) & 0xffff_ffffL;
            int caplen = b.getInt(p + 8);
            if (caplen < 0 || caplen > b.remaining() - p - 16)
                throw new MalformedPacketException("pcap record at byte " + p + " claims " + caplen + " bytes");
            var frame = ByteBuffer.allocate(caplen).put(b.slice(p + 16, caplen)).flip();
            records.add(new Record(sec * 1_000_000_000L + frac * unit, frame));
            p += 16 + caplen;
        }
        return records;
    }
}
