package org.mirari.net.device;

import java.nio.ByteBuffer;
import org.mirari.net.wire.MacAddress;

/** Every frame sent is received back by the same device (bounded queue of 256 frames). */
public final class LoopbackDevice extends QueuedDevice {
    public LoopbackDevice(MacAddress mac, int mtu) {
        super(mac, mtu, 256);
    }

    @Override
    public void send(ByteBuffer frame) {
        queue.offer(frame);
    }

    @Override
    public void close() {
        queue.clear();
    }
}
