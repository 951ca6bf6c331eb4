package org.mirari.net.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.TcpServerSocket;
import org.mirari.net.wire.Ipv4Address;

/** A {@link ServerSocketChannel} on a listening {@link TcpServerSocket} of Mirari's stack, with a {@link ServerSocket} adaptor. */
final class StackServerSocketChannel extends ServerSocketChannel implements StackChannel {
    private static final Set<SocketOption<?>> OPTIONS =
            Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR);

    private final NetStack stack;
    private final Watchers watchers = new Watchers();
    private final Object stateLock = new Object();
    private volatile TcpServerSocket listener;
    private volatile boolean reuseAddress;
    private volatile int receiveBuffer;
    private StackServerSocketAdaptor adaptor;

    StackServerSocketChannel(SelectorProvider provider, NetStack stack) {
        super(provider);
        this.stack = stack;
        this.receiveBuffer = stack.tcpConfig().receiveBuffer();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (stateLock) {
            ensureOpen();
            if (listener != null) throw new AlreadyBoundException();
            Ipv4Address addr = Ipv4Address.ANY;
            int port = 0;
            if (local != null) {
                var isa = StackDatagramChannel.checkAddress(local);
                addr = StackDatagramChannel.ipv4(isa.getAddress());
                port = isa.getPort();
            }
            var l = stack.listenTcp(addr, port, backlog < 1 ? 50 : backlog);
            l.setListener(watchers::changed);
            listener = l;
        }
        return this;
    }

    boolean isBound() {
        return listener != null;
    }

    @Override
    public SocketChannel accept() throws IOException {
        ensureOpen();
        var l = listener;
        if (l == null) throw new NotYetBoundException();
        return acceptTimed(isBlocking() ? -1 : 0);
    }

    SocketChannel acceptTimed(long timeoutNanos) throws IOException {
        var l = listener;
        if (l == null) throw new NotYetBoundException();
        org.mirari.net.stack.TcpSocket s = null;
        if (timeoutNanos == 0) {
            try {
                s = l.accept(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            boolean done = false, intr = false;
            try {
                begin();
                s = l.accept(timeoutNanos);
                done = true;
            } catch (InterruptedException e) {
                intr = true;
            } finally {
                end(done);
            }
            if (intr) { // closed here: the JDK's interruptor may not have run yet
                Thread.currentThread().interrupt();
                close();
                throw new ClosedByInterruptException();
            }
        }
        if (s == null) return null;
        var ch = new StackSocketChannel(provider(), stack, s);
        // the new channel is blocking, as ServerSocketChannel.accept's always are
        return ch;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        var l = listener;
        return l == null ? null : new InetSocketAddress(l.localAddress().toInet(), l.localPort());
    }

    @Override
    public synchronized ServerSocket socket() {
        if (adaptor == null) {
            try {
                adaptor = new StackServerSocketAdaptor(this);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return adaptor;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        ensureOpen();
        if (!OPTIONS.contains(name))
            throw new UnsupportedOperationException("'" + name + "' is not supported on Mirari's stack");
        return (T) (name == StandardSocketOptions.SO_REUSEADDR ? (Object) reuseAddress : (Object) receiveBuffer);
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        ensureOpen();
        if (!OPTIONS.contains(name))
            throw new UnsupportedOperationException("'" + name + "' is not supported on Mirari's stack");
        if (value == null) throw new IllegalArgumentException("null value for " + name);
        if (name == StandardSocketOptions.SO_REUSEADDR) reuseAddress = (Boolean) value;
        else {
            int n = (Integer) value;
            if (n <= 0) throw new IllegalArgumentException("SO_RCVBUF " + n);
            receiveBuffer = n;
        }
        return this;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    protected void implCloseSelectableChannel() {
        var l = listener;
        if (l != null) l.close();
        watchers.changed();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        watchers.changed();
    }

    @Override
    public int readyOps() {
        var l = listener;
        return l != null && l.hasPending() ? SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    public Watchers watchers() {
        return watchers;
    }

    @Override
    public String toString() {
        var l = listener;
        return "StackServerSocketChannel["
                + (!isOpen() ? "closed" : l == null ? "unbound" : l.localAddress() + ":" + l.localPort()) + "]";
    }
}
