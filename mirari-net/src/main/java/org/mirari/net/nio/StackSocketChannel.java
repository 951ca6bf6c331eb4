package org.mirari.net.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.TcpSocket;
import org.mirari.net.stack.tcp.TcpConnection;
import org.mirari.net.wire.Ipv4Address;

/**
 * A {@link SocketChannel} on a {@link TcpSocket} of Mirari's stack: IPv4, blocking and
 * non-blocking, with a {@link Socket} adaptor. Blocking operations are interruptible (the channel
 * closes, as the JDK's do) and wait on the stack's condition, never by polling.
 */
final class StackSocketChannel extends SocketChannel implements StackChannel {
    static final Set<SocketOption<?>> OPTIONS = Set.of(
            StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE,
            StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_LINGER,
            StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.IP_TOS);

    private final NetStack stack;
    private final Watchers watchers = new Watchers();
    private final Object stateLock = new Object();
    private volatile TcpSocket socket;
    private volatile boolean connectPending, connected, inputShut, outputShut;
    private volatile InetSocketAddress remote;
    private volatile int linger = -1;
    private volatile boolean reuseAddress;
    private volatile int tos;
    private StackSocketAdaptor adaptor;

    StackSocketChannel(SelectorProvider provider, NetStack stack) {
        super(provider);
        this.stack = stack;
    }

    /** An accepted connection. */
    StackSocketChannel(SelectorProvider provider, NetStack stack, TcpSocket accepted) {
        this(provider, stack);
        this.socket = accepted;
        this.connected = true;
        var t = accepted.tuple();
        this.remote = new InetSocketAddress(t.remoteAddress().toInet(), t.remotePort());
        accepted.setListener(watchers::changed);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    TcpSocket tcp() {
        return socket;
    }

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (connectPending) throw new ConnectionPendingException();
            if (connected) throw new AlreadyConnectedException();
            if (socket != null) throw new AlreadyBoundException();
            Ipv4Address addr = Ipv4Address.ANY;
            int port = 0;
            if (local != null) {
                var isa = StackDatagramChannel.checkAddress(local);
                addr = StackDatagramChannel.ipv4(isa.getAddress());
                port = isa.getPort();
            }
            var s = stack.bindTcp(addr, port);
            s.setListener(watchers::changed);
            socket = s;
        }
        return this;
    }

    @Override
    public boolean connect(SocketAddress to) throws IOException {
        var isa = StackDatagramChannel.checkAddress(to);
        var addr = StackDatagramChannel.ipv4(isa.getAddress());
        if (addr.isAny()) addr = stack.config().map(c -> c.address()).orElse(addr); // as the JDK: "any" means this host
        TcpSocket s;
        synchronized (stateLock) {
            ensureOpen();
            if (connected) throw new AlreadyConnectedException();
            if (connectPending) throw new ConnectionPendingException();
            if (socket == null) bind(null);
            s = socket;
            s.connect(addr, isa.getPort());
            remote = new InetSocketAddress(addr.toInet(), isa.getPort());
            connectPending = true;
        }
        watchers.changed();
        return finishConnect(); // blocking: waits for the handshake; non-blocking: true only if it is already done
    }

    /** A blocking connect that gives up after {@code timeoutNanos} (negative: never), for {@code Socket.connect(addr, timeout)}. */
    void connectTimed(SocketAddress to, long timeoutNanos) throws IOException {
        if (timeoutNanos < 0) {
            connect(to);
            return;
        }
        configureBlocking(false);
        try {
            if (connect(to)) return;
            boolean done;
            try {
                done = socket.awaitConnected(timeoutNanos);
            } catch (InterruptedException e) {
                interrupted();
                return;
            } catch (IOException e) {
                close();
                throw e;
            }
            if (!done) {
                close();
                throw new java.net.SocketTimeoutException("Connect timed out");
            }
            finishConnect();
        } finally {
            if (isOpen()) configureBlocking(true);
        }
    }

    @Override
    public boolean finishConnect() throws IOException {
        ensureOpen();
        if (connected) return true;
        if (!connectPending) throw new NoConnectionPendingException();
        var s = socket;
        boolean done = false;
        try {
            if (isBlocking()) {
                boolean intr = false;
                try {
                    begin();
                    done = s.awaitConnected(-1);
                } catch (InterruptedException e) {
                    intr = true;
                } finally {
                    end(done);
                }
                if (intr) interrupted();
            } else {
                try {
                    done = s.awaitConnected(0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (IOException e) {
            close(); // a failed connect leaves the channel closed, as the JDK's does
            throw e;
        }
        if (done) {
            connected = true;
            connectPending = false;
        }
        return done;
    }

    /**
     * The thread was interrupted while blocked. The JDK's interruptor may not have closed the
     * channel yet (the await returns as soon as the flag is set), so close here, after end().
     */
    private void interrupted() throws IOException {
        Thread.currentThread().interrupt();
        close();
        throw new ClosedByInterruptException();
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public boolean isConnectionPending() {
        return connectPending;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return connected || connectPending ? remote : null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        var s = socket;
        if (s == null) return null;
        return new InetSocketAddress(s.localAddress().toInet(), s.localPort());
    }

    @Override
    public SocketChannel shutdownInput() throws IOException {
        ensureOpen();
        if (!connected) throw new NotYetConnectedException();
        if (!inputShut) {
            inputShut = true;
            socket.shutdownInput();
        }
        watchers.changed();
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        ensureOpen();
        if (!connected) throw new NotYetConnectedException();
        if (!outputShut) {
            outputShut = true;
            socket.shutdownOutput();
        }
        return this;
    }

    @Override
    public synchronized Socket socket() {
        if (adaptor == null) {
            try {
                adaptor = new StackSocketAdaptor(this);
            } catch (java.net.SocketException e) {
                throw new IllegalStateException(e);
            }
        }
        return adaptor;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (!connected) throw new NotYetConnectedException();
        if (inputShut) return -1;
        return readTimed(dst, isBlocking() ? -1 : 0);
    }

    /** Reads with a timeout in nanoseconds (negative: none; 0: do not wait). */
    int readTimed(ByteBuffer dst, long timeoutNanos) throws IOException {
        if (inputShut) return -1;
        var s = socket;
        return io(timeoutNanos != 0, () -> s.read(dst, timeoutNanos));
    }

    /** A call on the stack that may wait: outside begin()/end() when it cannot block, else interruptible. */
    interface StackCall {
        int call() throws IOException, InterruptedException;
    }

    private int io(boolean mayBlock, StackCall c) throws IOException {
        if (!mayBlock) {
            try {
                return c.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        boolean done = false, intr = false;
        int n = 0;
        try {
            begin();
            n = c.call();
            done = true;
        } catch (InterruptedException e) {
            intr = true;
        } finally {
            end(done);
        }
        if (intr) interrupted();
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset > dsts.length - length) throw new IndexOutOfBoundsException();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!dsts[i].hasRemaining()) continue;
            int n = total == 0 ? read(dsts[i]) : readTimed(dsts[i], 0);
            if (n < 0) return total == 0 ? -1 : total;
            total += n;
            if (dsts[i].hasRemaining()) break;
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        if (!connected) throw new NotYetConnectedException();
        if (outputShut) throw new java.nio.channels.ClosedChannelException();
        var s = socket;
        boolean block = isBlocking();
        return io(block, () -> s.write(src, block));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset > srcs.length - length) throw new IndexOutOfBoundsException();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            var b = srcs[i];
            if (!b.hasRemaining()) continue;
            int want = b.remaining();
            int n = write(b);
            total += n;
            if (n < want) break; // non-blocking and full: stop, like a gathering write(2)
        }
        return total;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        if (!OPTIONS.contains(name))
            throw new UnsupportedOperationException("'" + name + "' is not supported on Mirari's stack");
        var s = socket;
        Object v;
        if (name == StandardSocketOptions.TCP_NODELAY) v = s != null && s.noDelay() || s == null && pendingNoDelay;
        else if (name == StandardSocketOptions.SO_KEEPALIVE) v = s != null ? s.keepAlive() : pendingKeepAlive;
        else if (name == StandardSocketOptions.SO_SNDBUF)
            v = s != null ? s.sendBufferSize() : stack.tcpConfig().sendBuffer();
        else if (name == StandardSocketOptions.SO_RCVBUF)
            v = s != null ? s.receiveBufferSize() : stack.tcpConfig().receiveBuffer();
        else if (name == StandardSocketOptions.SO_LINGER) v = linger;
        else if (name == StandardSocketOptions.SO_REUSEADDR) v = reuseAddress;
        else v = tos;
        return (T) v;
    }

    private volatile boolean pendingNoDelay, pendingKeepAlive;

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        if (!OPTIONS.contains(name))
            throw new UnsupportedOperationException("'" + name + "' is not supported on Mirari's stack");
        if (value == null) throw new IllegalArgumentException("null value for " + name);
        if (socket == null
                && name != StandardSocketOptions.SO_REUSEADDR
                && name != StandardSocketOptions.IP_TOS
                && name != StandardSocketOptions.SO_LINGER) bind(null);
        var s = socket;
        if (name == StandardSocketOptions.TCP_NODELAY) {
            pendingNoDelay = (Boolean) value;
            if (s != null) s.setNoDelay((Boolean) value);
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            pendingKeepAlive = (Boolean) value;
            if (s != null) s.setKeepAlive((Boolean) value);
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            int n = (Integer) value;
            if (n <= 0) throw new IllegalArgumentException("SO_SNDBUF " + n);
            s.setBufferSizes(n, -1);
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            int n = (Integer) value;
            if (n <= 0) throw new IllegalArgumentException("SO_RCVBUF " + n);
            s.setBufferSizes(-1, n);
        } else if (name == StandardSocketOptions.SO_LINGER) linger = Math.max(-1, Math.min((Integer) value, 65535));
        else if (name == StandardSocketOptions.SO_REUSEADDR) reuseAddress = (Boolean) value;
        else tos = (Integer) value & 0xff;
        return this;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    boolean inputShut() {
        return inputShut;
    }

    boolean outputShut() {
        return outputShut;
    }

    @Override
    protected void implCloseSelectableChannel() {
        var s = socket;
        if (s != null) s.close(linger == 0); // SO_LINGER 0: an abortive close (RST)
        watchers.changed();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        watchers.changed();
    }

    @Override
    public int readyOps() {
        var s = socket;
        if (s == null) return 0;
        int r = s.ready();
        int ops = 0;
        if (connectPending && (r & (TcpConnection.CONNECTED | TcpConnection.FAILED)) != 0)
            ops |= SelectionKey.OP_CONNECT;
        if (connected) {
            if ((r & TcpConnection.READABLE) != 0 || inputShut) ops |= SelectionKey.OP_READ;
            if ((r & TcpConnection.WRITABLE) != 0) ops |= SelectionKey.OP_WRITE;
        }
        return ops;
    }

    @Override
    public Watchers watchers() {
        return watchers;
    }

    @Override
    public String toString() {
        return "StackSocketChannel["
                + (isOpen()
                        ? (connected ? "connected " + remote : connectPending ? "connecting " + remote : "unconnected")
                        : "closed")
                + "]";
    }
}
