package org.mirari.net.device;

import java.nio.ByteBuffer;
import org.mirari.net.wire.MacAddress;

/**
 * An in-memory device whose received frames wait in a bounded {@link FrameQueue}: what the
 * loopback and a switch port share. Where a sent frame goes is the subclass's business.
 */
abstract class QueuedDevice implements NetDevice {
    private final MacAddress mac;
    private final int mtu;
    final FrameQueue queue;

    QueuedDevice(MacAddress mac, int mtu, int queueFrames) {
        this.mac = mac;
        this.mtu = mtu;
        this.queue = new FrameQueue(queueFrames);
    }

    @Override
    public final MacAddress mac() {
        return mac;
    }

    @Override
    public final int mtu() {
        return mtu;
    }

    @Override
    public final int receive(ByteBuffer dst) {
        return queue.poll(dst);
    }

    @Override
    public final void await(long timeoutNanos) throws InterruptedException {
        queue.await(timeoutNanos);
    }

    @Override
    public final void wakeup() {
        queue.wakeup();
    }
}
