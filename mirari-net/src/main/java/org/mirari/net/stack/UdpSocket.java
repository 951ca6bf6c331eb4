package org.mirari.net.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.mirari.net.NetClock;
import org.mirari.net.wire.Ipv4Address;

/**
 * A UDP socket on a {@link NetStack}: bound to a port (and optionally one local address), with a
 * bounded receive queue ({@link #MAX_QUEUED} datagrams or {@link #MAX_QUEUED_BYTES} bytes; beyond
 * that arrivals are dropped, as a full socket buffer does). Safe for use from several threads.
 */
public final class UdpSocket implements AutoCloseable {
    public static final int MAX_QUEUED = 512;
    public static final int MAX_QUEUED_BYTES = 1 << 20;

    /** A received datagram. */
    public record Datagram(Ipv4Address srcAddress, int srcPort, Ipv4Address dstAddress, ByteBuffer payload) {}

    private final NetStack stack;
    private final NetClock clock;
    private final Ipv4Address localAddress;
    private final int port;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private int queuedBytes;
    private long dropped;
    private volatile boolean closed;
    private volatile Runnable listener = () -> {};

    UdpSocket(NetStack stack, NetClock clock, Ipv4Address localAddress, int port) {
        this.stack = stack;
        this.clock = clock;
        this.localAddress = localAddress;
        this.port = port;
    }

    public int port() { return port; }
    public Ipv4Address localAddress() { return localAddress; }
    public NetStack stack() { return stack; }
    public boolean isClosed() { return closed; }

    /** Called (on the stack's thread, holding no socket lock) whenever a datagram is queued or the socket closes. */
    public void setListener(Runnable listener) { this.listener = listener == null ? () -> {} : listener; }

    /** Called by the stack with a datagram for this socket. */
    void deliver(Datagram d) {
        lock.lock();
        try {
            if (closed) return;
            int n = d.payload().remaining();
            if (queue.size() >= MAX_QUEUED || queuedBytes + n > MAX_QUEUED_BYTES) { dropped++; return; }
            queue.add(d);
            queuedBytes += n;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        listener.run();
    }

    /** The next datagram, or null if none is queued. */
    public Datagram poll() throws ClosedChannelException {
        lock.lock();
        try {
            if (closed) throw new ClosedChannelException();
            var d = queue.poll();
            if (d != null) queuedBytes -= d.payload().remaining();
            return d;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeoutNanos} (forever if negative) for a datagram; null on timeout. */
    public Datagram receive(long timeoutNanos) throws IOException, InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (queue.isEmpty()) {
                if (closed) throw new ClosedChannelException();
                if (timeoutNanos < 0) arrived.await();
                else {
                    if (left <= 0) return null;
                    left = arrived.awaitNanos(left);
                }
            }
            var d = queue.poll();
            queuedBytes -= d.payload().remaining();
            return d;
        } finally {
            lock.unlock();
        }
    }

    public boolean hasQueued() {
        lock.lock();
        try { return !queue.isEmpty(); } finally { lock.unlock(); }
    }

    public long dropped() {
        lock.lock();
        try { return dropped; } finally { lock.unlock(); }
    }

    /** Sends {@code payload} (position to limit, not consumed) to {@code dst}:{@code dstPort}. */
    public void send(Ipv4Address dst, int dstPort, ByteBuffer payload) throws IOException {
        if (closed) throw new ClosedChannelException();
        stack.sendUdp(this, dst, dstPort, payload, clock.nanos());
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            queue.clear();
            queuedBytes = 0;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        stack.unbind(this);
        listener.run();
    }
}
