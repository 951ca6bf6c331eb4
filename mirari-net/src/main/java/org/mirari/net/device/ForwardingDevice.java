package org.mirari.net.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.mirari.net.wire.MacAddress;

/**
 * A decorator's base: every method goes to the device inside, so a decorator overrides only what
 * it changes. Offloads are not forwarded: a decorator offers none unless it says so, and so sees
 * (and hands on) only whole frames with correct checksums.
 */
public abstract class ForwardingDevice implements NetDevice {
    protected final NetDevice inner;

    protected ForwardingDevice(NetDevice inner) {
        this.inner = inner;
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
        return inner.receive(dst);
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
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
        inner.close();
    }
}
