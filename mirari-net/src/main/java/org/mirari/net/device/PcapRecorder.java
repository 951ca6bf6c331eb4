package org.mirari.net.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import org.mirari.net.wire.MacAddress;
import org.mirari.net.wire.PcapWriter;

/**
 * Decorates a device so that every frame sent and received is appended to a pcap file. The
 * timestamps (nanoseconds since the epoch) come from the caller's supplier.
 */
public final class PcapRecorder implements NetDevice {
    private final NetDevice inner;
    private final PcapWriter writer;
    private final LongSupplier epochNanos;

    public PcapRecorder(NetDevice inner, PcapWriter writer, LongSupplier epochNanos) {
        this.inner = inner;
        this.writer = writer;
        this.epochNanos = epochNanos;
    }

    @Override
    public MacAddress mac() {
        return inner.mac();
    }

    @Override
    public int mtu() {
        return inner.mtu();
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
    public void await(long timeoutNanos) throws IOException, InterruptedException {
        inner.await(timeoutNanos);
    }

    @Override
    public void wakeup() {
        inner.wakeup();
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
