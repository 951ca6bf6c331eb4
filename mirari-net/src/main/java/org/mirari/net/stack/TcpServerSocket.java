package org.mirari.net.stack;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.Condition;
import org.mirari.net.stack.tcp.TcpListener;
import org.mirari.net.wire.Ipv4Address;

/** The application's handle on a listening TCP port of a {@link NetStack}. */
public final class TcpServerSocket implements AutoCloseable {
    private final NetStack stack;
    final TcpListener listener;
    private final Condition arrived;
    private volatile Runnable onChange = () -> {};
    private boolean closed;

    TcpServerSocket(NetStack stack, TcpListener listener) {
        this.stack = stack;
        this.listener = listener;
        this.arrived = stack.lock.newCondition();
    }

    public Ipv4Address localAddress() {
        return listener.address();
    }

    public int localPort() {
        return listener.port();
    }

    public int backlog() {
        return listener.backlog();
    }

    /** Called (outside the stack's lock) when a connection becomes acceptable or the socket closes. */
    public void setListener(Runnable l) {
        this.onChange = l == null ? () -> {} : l;
    }

    Runnable onChange() {
        return onChange;
    }

    void signal() {
        arrived.signalAll();
    }

    public boolean hasPending() {
        stack.lock.lock();
        try {
            return listener.hasPending();
        } finally {
            stack.lock.unlock();
        }
    }

    public int pending() {
        stack.lock.lock();
        try {
            return listener.acceptQueued();
        } finally {
            stack.lock.unlock();
        }
    }

    /** The next established connection; waits up to {@code timeoutNanos} (negative: forever, 0: not at all); null when none. */
    public TcpSocket accept(long timeoutNanos) throws IOException, InterruptedException {
        stack.lock.lock();
        try {
            long left = timeoutNanos;
            while (true) {
                if (closed) throw new ClosedChannelException();
                var c = listener.poll();
                if (c != null) return stack.accepted(this, c);
                if (timeoutNanos == 0) return null;
                if (timeoutNanos < 0) arrived.await();
                else {
                    if (left <= 0) return null;
                    left = arrived.awaitNanos(left);
                }
            }
        } finally {
            stack.unlockAndNotify();
        }
    }

    public boolean isClosed() {
        stack.lock.lock();
        try {
            return closed;
        } finally {
            stack.lock.unlock();
        }
    }

    /** Stops listening; connections not yet accepted are reset. */
    @Override
    public void close() {
        stack.lock.lock();
        try {
            if (closed) return;
            closed = true;
            stack.closeListener(this);
            arrived.signalAll();
        } finally {
            stack.unlockAndNotify();
        }
        onChange.run();
    }
}
