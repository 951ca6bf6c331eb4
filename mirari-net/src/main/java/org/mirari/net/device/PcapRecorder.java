package org.mirari.net.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.mirari.net.wire.PcapWriter;

/**
 * Decorates a device so that every frame sent and received is appended to a pcap file. The
 * timestamps (nanoseconds since the epoch) come from the caller's supplier.
 */
public final class PcapRecorder extends ForwardingDevice {
    private final PcapWriter writer;
    private final LongSupplier epochNanos;

    public PcapRecorder(NetDevice inner, PcapWriter writer, LongSupplier epochNanos) {
        super(inner);
        this.writer = writer;
        this.epochNanos = epochNanos;
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int n = inner.receive(dst);
        if (n >= 0)
            writer.write(epochNanos.getAsLong(), dst.duplicate().position(start).limit(start + n));
        return n;
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
        writer.write(epochNanos.getAsLong(), frame);
        inner.send(frame);
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            inner.close();
        }
    }
}
