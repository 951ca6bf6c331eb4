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

    public int port() {
        return port;
    }

    public Ipv4Address localAddress() {
        return localAddress;
    }

    public NetStack stack() {
        return stack;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Called (on the stack's thread, holding no socket lock) whenever a datagram is queued or the socket closes. */
    public void setListener(Runnable listener) {
        this.listener = listener == null ? () -> {} : listener;
    }

    Runnable listener() {
        return listener;
    }

    /** Called by the stack (under its lock) with a datagram for this socket; true when queued (the stack then runs the listener). */
    boolean deliver(Datagram d) {
        lock.lock();
        try {
            if (closed) return false;
            int n = d.payload().remaining();
            if (queue.size() >= MAX_QUEUED || queuedBytes + n > MAX_QUEUED_BYTES) {
                dropped++;
                return false;
            }
            queue.add(d);
            queuedBytes += n;
            arrived.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A datagram waiting for the stack to pull it. */
    record Outgoing(Ipv4Address dst, int dstPort, ByteBuffer payload) {}

    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private volatile Ipv4Address connectedAddress;
    private volatile int connectedPort;
    private boolean unreachable;

    /** Under the stack's lock: queues a datagram (a copy of {@code payload}'s bytes) for the stack to send. */
    void queue(Ipv4Address dst, int dstPort, ByteBuffer payload) {
        var copy = ByteBuffer.allocate(payload.remaining())
                .put(payload.duplicate())
                .flip();
        outgoing.add(new Outgoing(dst, dstPort, copy));
    }

    /** Under the stack's lock: the next datagram to send, or null. */
    Outgoing nextOutgoing() {
        return outgoing.poll();
    }

    /** The peer a connected channel talks to (ICMP port unreachable from it is reported, as Linux does for connected sockets). */
    public void setConnected(Ipv4Address address, int port) {
        connectedAddress = address;
        connectedPort = port;
    }

    /** An ICMP port unreachable about a datagram to {@code dst}:{@code port}; true when it concerns this socket. */
    boolean portUnreachable(Ipv4Address dst, int port) {
        if (connectedAddress == null || !connectedAddress.equals(dst) || connectedPort != port) return false;
        lock.lock();
        try {
            unreachable = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** Throws (once) the port-unreachable error ICMP reported for the connected peer. */
    private void checkUnreachable() throws java.net.PortUnreachableException {
        if (unreachable) {
            unreachable = false;
            throw new java.net.PortUnreachableException(
                    "ICMP port unreachable from " + connectedAddress + ":" + connectedPort);
        }
    }

    /** The next datagram, or null if none is queued. */
    public Datagram poll() throws IOException {
        lock.lock();
        try {
            if (closed) throw new ClosedChannelException();
            if (queue.isEmpty()) checkUnreachable();
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
                checkUnreachable();
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
        try {
            return !queue.isEmpty() || unreachable;
        } finally {
            lock.unlock();
        }
    }

    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
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
