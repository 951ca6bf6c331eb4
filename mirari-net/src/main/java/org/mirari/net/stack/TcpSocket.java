package org.mirari.net.stack;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.Condition;
import org.mirari.net.stack.tcp.TcpConnection;
import org.mirari.net.stack.tcp.TcpState;
import org.mirari.net.stack.tcp.TcpTuple;
import org.mirari.net.wire.Ipv4Address;

/**
 * The application's handle on a TCP connection of a {@link NetStack}: a bound port, then the
 * connection. Every method takes the stack's lock; blocking ones wait on a condition of that lock,
 * which the stack signals whenever the connection's readiness changes. The listener (for
 * selectors) is called by the stack after it released its lock.
 */
public final class TcpSocket implements AutoCloseable {
    private final NetStack stack;
    private final Condition changed;
    private Ipv4Address localAddress;
    private int localPort;
    private boolean holdsPort;
    private TcpConnection conn;
    private boolean closed;
    private int lastReady = -1;
    private volatile Runnable listener = () -> {};
    // options set before the connection exists
    private boolean noDelay, keepAlive;
    private int sendBuffer = -1, receiveBuffer = -1;

    TcpSocket(NetStack stack, Ipv4Address localAddress, int localPort, boolean holdsPort, TcpConnection conn) {
        this.stack = stack;
        this.changed = stack.lock.newCondition();
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.holdsPort = holdsPort;
        this.conn = conn;
        if (conn != null) conn.attachment = this;
    }

    public NetStack stack() {
        return stack;
    }

    /** Called (outside the stack's lock) when the readiness may have changed. */
    public void setListener(Runnable l) {
        this.listener = l == null ? () -> {} : l;
    }

    Runnable listener() {
        return listener;
    }

    /** Under the lock: wakes waiters and returns whether selectors must be told. */
    boolean update() {
        int r = readyNow();
        if (r == lastReady) return false;
        lastReady = r;
        changed.signalAll();
        return true;
    }

    private int readyNow() {
        return conn == null ? (closed ? TcpConnection.FAILED : 0) : conn.ready() | (closed ? 16 : 0);
    }

    TcpConnection connection() {
        return conn;
    }

    boolean holdsPort() {
        return holdsPort;
    }

    void releasedPort() {
        holdsPort = false;
    }

    void connected(TcpConnection c, Ipv4Address local) {
        conn = c;
        c.attachment = this;
        localAddress = local;
        applyOptions();
    }

    private void applyOptions() {
        if (conn == null) return;
        conn.setNoDelay(noDelay);
        if (sendBuffer > 0) conn.setSendBufferSize(sendBuffer);
        if (receiveBuffer > 0) conn.setReceiveBufferSize(receiveBuffer);
    }

    public Ipv4Address localAddress() {
        stack.lock.lock();
        try {
            return localAddress;
        } finally {
            stack.lock.unlock();
        }
    }

    public int localPort() {
        return localPort;
    }

    public TcpTuple tuple() {
        stack.lock.lock();
        try {
            return conn == null ? null : conn.tuple();
        } finally {
            stack.lock.unlock();
        }
    }

    public TcpState state() {
        stack.lock.lock();
        try {
            return conn == null ? null : conn.state();
        } finally {
            stack.lock.unlock();
        }
    }

    /** The readiness bits of {@link TcpConnection#ready()}, 0 before a connection exists. */
    public int ready() {
        stack.lock.lock();
        try {
            return conn == null ? 0 : conn.ready();
        } finally {
            stack.lock.unlock();
        }
    }

    /** The connection's error, or null. */
    public IOException error() {
        stack.lock.lock();
        try {
            return conn == null ? null : conn.error();
        } finally {
            stack.lock.unlock();
        }
    }

    /** Starts the handshake to {@code remote}:{@code port} (binding an ephemeral port first if needed). */
    public void connect(Ipv4Address remote, int port) throws IOException {
        stack.connect(this, remote, port);
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: forever, 0: not at all) for the handshake. True
     * once established; throws the connection's error when it failed.
     */
    public boolean awaitConnected(long timeoutNanos) throws IOException, InterruptedException {
        stack.lock.lock();
        try {
            long left = timeoutNanos;
            while (true) {
                if (closed) throw new ClosedChannelException();
                if (conn == null) throw new SocketException("not connecting");
                if (conn.error() != null) throw conn.error();
                if ((conn.ready() & TcpConnection.CONNECTED) != 0) return true;
                if (conn.isClosed()) throw new SocketException("Connection closed during the handshake");
                if (timeoutNanos == 0) return false;
                if (timeoutNanos < 0) changed.await();
                else {
                    if (left <= 0) return false;
                    left = changed.awaitNanos(left);
                }
            }
        } finally {
            stack.unlockAndNotify();
        }
    }

    /**
     * Reads into {@code dst}: the count, -1 at the end of the stream, 0 when nothing is there and
     * {@code timeoutNanos} ran out (0: do not wait, negative: wait as long as it takes).
     */
    public int read(ByteBuffer dst, long timeoutNanos) throws IOException, InterruptedException {
        if (!dst.hasRemaining()) return 0;
        stack.lock.lock();
        try {
            long left = timeoutNanos;
            while (true) {
                if (closed) throw new ClosedChannelException();
                if (conn == null) throw new java.nio.channels.NotYetConnectedException();
                int n = conn.read(dst);
                if (n != 0) {
                    if (n > 0) stack.kick(conn);
                    return n;
                }
                if (timeoutNanos == 0) return 0;
                if (timeoutNanos < 0) changed.await();
                else {
                    if (left <= 0) return 0;
                    left = changed.awaitNanos(left);
                }
            }
        } finally {
            stack.unlockAndNotify();
        }
    }

    /**
     * Writes from {@code src}: with {@code blocking}, everything (waiting for buffer space); else
     * what fits now. Returns the count.
     */
    public int write(ByteBuffer src, boolean blocking) throws IOException, InterruptedException {
        int total = 0;
        stack.lock.lock();
        try {
            while (true) {
                if (closed) throw new ClosedChannelException();
                if (conn == null) throw new java.nio.channels.NotYetConnectedException();
                int n = conn.write(src);
                total += n;
                if (n > 0) stack.kick(conn);
                if (!src.hasRemaining() || !blocking) return total;
                if ((conn.ready() & TcpConnection.WRITABLE) == 0 || n == 0) changed.await();
            }
        } finally {
            stack.unlockAndNotify();
        }
    }

    public void shutdownOutput() throws IOException {
        stack.lock.lock();
        try {
            if (closed) throw new ClosedChannelException();
            if (conn == null) throw new java.nio.channels.NotYetConnectedException();
            conn.shutdownOutput();
            stack.kick(conn);
        } finally {
            stack.unlockAndNotify();
        }
    }

    public void shutdownInput() throws IOException {
        stack.lock.lock();
        try {
            if (closed) throw new ClosedChannelException();
            if (conn != null) {
                conn.shutdownInput();
                stack.kick(conn);
                update();
            }
        } finally {
            stack.unlockAndNotify();
        }
    }

    public void setNoDelay(boolean on) {
        stack.lock.lock();
        try {
            noDelay = on;
            if (conn != null) {
                conn.setNoDelay(on);
                stack.kick(conn);
            }
        } finally {
            stack.unlockAndNotify();
        }
    }

    public boolean noDelay() {
        stack.lock.lock();
        try {
            return noDelay;
        } finally {
            stack.lock.unlock();
        }
    }

    public void setKeepAlive(boolean on) {
        stack.lock.lock();
        try {
            keepAlive = on;
            if (conn != null) {
                conn.setKeepAlive(on, stack.lastNow());
                stack.kick(conn);
            }
        } finally {
            stack.unlockAndNotify();
        }
    }

    public boolean keepAlive() {
        stack.lock.lock();
        try {
            return keepAlive;
        } finally {
            stack.lock.unlock();
        }
    }

    boolean keepAliveWanted() {
        return keepAlive;
    }

    public void setBufferSizes(int send, int receive) {
        stack.lock.lock();
        try {
            if (send > 0) sendBuffer = send;
            if (receive > 0) receiveBuffer = receive;
            applyOptions();
        } finally {
            stack.lock.unlock();
        }
    }

    public int sendBufferSize() {
        stack.lock.lock();
        try {
            return conn != null
                    ? conn.sendBufferSize()
                    : sendBuffer > 0 ? sendBuffer : stack.tcpConfig().sendBuffer();
        } finally {
            stack.lock.unlock();
        }
    }

    public int receiveBufferSize() {
        stack.lock.lock();
        try {
            return conn != null
                    ? conn.receiveBufferSize()
                    : receiveBuffer > 0 ? receiveBuffer : stack.tcpConfig().receiveBuffer();
        } finally {
            stack.lock.unlock();
        }
    }

    /** Bytes readable without blocking. */
    public int available() {
        stack.lock.lock();
        try {
            return conn == null ? 0 : conn.readable();
        } finally {
            stack.lock.unlock();
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

    /** Closes gracefully (FIN after the queued data), or with a RST when {@code reset} (SO_LINGER 0). */
    public void close(boolean reset) {
        stack.lock.lock();
        try {
            if (closed) return;
            closed = true;
            stack.closeSocket(this, reset);
            changed.signalAll();
        } finally {
            stack.unlockAndNotify();
        }
        listener.run();
    }

    @Override
    public void close() {
        close(false);
    }

    @Override
    public String toString() {
        return conn != null ? conn.toString() : "TCP socket " + localAddress + ":" + localPort;
    }
}
