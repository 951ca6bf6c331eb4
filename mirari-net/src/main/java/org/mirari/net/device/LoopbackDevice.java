package org.mirari.net.device;

import java.nio.ByteBuffer;
import org.mirari.net.wire.MacAddress;

/** Every frame sent is received back by the same device (bounded queue of 256 frames). */
public final class LoopbackDevice implements NetDevice {
    private final MacAddress mac;
    private final int mtu;
    private final FrameQueue queue = new FrameQueue(256);

    public LoopbackDevice(MacAddress mac, int mtu) {
        this.mac = mac;
        this.mtu = mtu;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(ByteBuffer dst) {
        return queue.poll(dst);
    }

    @Override
    public void send(ByteBuffer frame) {
        queue.offer(frame);
    }

    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        queue.await(timeoutNanos);
    }

    @Override
    public void wakeup() {
        queue.wakeup();
    }

    @Override
    public void close() {
        queue.clear();
    }
}
