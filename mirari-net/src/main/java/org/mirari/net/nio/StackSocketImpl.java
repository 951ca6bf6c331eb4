package org.mirari.net.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Plain {@link java.net.Socket} and {@link java.net.ServerSocket} on Mirari's stack: the
 * {@link SocketImpl} that {@link MirariNet#installSocketFactories} hands to the JDK's (deprecated
 * but present) {@code Socket.setSocketImplFactory} and {@code ServerSocket.setSocketFactory}. A
 * client impl wraps a {@link StackSocketChannel}, a server impl a {@link StackServerSocketChannel};
 * {@code ServerSocket.accept} gives the new socket's impl (a client one, from the socket factory)
 * the accepted channel.
 */
final class StackSocketImpl extends SocketImpl {
    private final MirariSelectorProvider provider;
    private final boolean server;
    private StackSocketChannel ch;
    private StackServerSocketChannel listener;
    private InetSocketAddress bindTo;
    private volatile int timeoutMs;

    StackSocketImpl(MirariSelectorProvider provider, boolean server) {
        this.provider = provider;
        this.server = server;
    }

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream)
            throw new SocketException(
                    "datagram sockets through SocketImpl are not supported on Mirari's stack; use DatagramChannel");
        if (!server) ch = (StackSocketChannel) provider.openSocketChannel();
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        if (ch == null) throw new SocketException("not a client socket");
        if (bindTo != null) {
            ch.bind(bindTo);
            bindTo = null;
        }
        ch.connectTimed(address, timeout == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeout));
        var r = (InetSocketAddress) ch.getRemoteAddress();
        this.address = r.getAddress();
        this.port = r.getPort();
        this.localport = ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        bindTo = new InetSocketAddress(host, port);
        if (!server) {
            ch.bind(bindTo);
            bindTo = null;
            this.localport = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    @Override
    protected void listen(int backlog) throws IOException {
        if (!server) throw new SocketException("not a server socket");
        listener = (StackServerSocketChannel) provider.openServerSocketChannel();
        listener.bind(bindTo, backlog < 1 ? 50 : backlog);
        this.localport = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        if (listener == null) throw new SocketException("not listening");
        if (!(s instanceof StackSocketImpl other))
            throw new SocketException(
                    "the accepted socket's impl is not Mirari's; install both factories (MirariNet.installSocketFactories)");
        int t = timeoutMs;
        var accepted = (StackSocketChannel) listener.acceptTimed(t == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(t));
        if (accepted == null) throw new SocketTimeoutException("Accept timed out");
        if (other.ch != null) other.ch.close(); // the unconnected channel its create() opened
        other.ch = accepted;
        var r = (InetSocketAddress) accepted.getRemoteAddress();
        other.address = r.getAddress();
        other.port = r.getPort();
        other.localport = ((InetSocketAddress) accepted.getLocalAddress()).getPort();
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        var c = connected();
        return ChannelStreams.input(c, () -> timeoutMs, false); // Socket closes through the impl
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        var c = connected();
        return ChannelStreams.output(c, false);
    }

    private StackSocketChannel connected() throws SocketException {
        if (ch == null || !ch.isConnected()) throw new SocketException("Socket is not connected");
        return ch;
    }

    @Override
    protected int available() {
        var c = ch;
        var s = c == null ? null : c.tcp();
        return s == null ? 0 : s.available();
    }

    @Override
    protected void close() throws IOException {
        if (ch != null) ch.close();
        if (listener != null) listener.close();
    }

    @Override
    protected void shutdownInput() throws IOException {
        connected().shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException {
        connected().shutdownOutput();
    }

    @Override
    protected boolean supportsUrgentData() {
        return false;
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported on Mirari's stack");
    }

    // ---------------------------------------------------------------- options, old and new style

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        try {
            switch (optID) {
                case SocketOptions.SO_TIMEOUT -> timeoutMs = (Integer) value;
                case SocketOptions.TCP_NODELAY -> set(StandardSocketOptions.TCP_NODELAY, (Boolean) value);
                case SocketOptions.SO_KEEPALIVE -> set(StandardSocketOptions.SO_KEEPALIVE, (Boolean) value);
                case SocketOptions.SO_SNDBUF -> set(StandardSocketOptions.SO_SNDBUF, (Integer) value);
                case SocketOptions.SO_RCVBUF -> set(StandardSocketOptions.SO_RCVBUF, (Integer) value);
                case SocketOptions.SO_REUSEADDR -> set(StandardSocketOptions.SO_REUSEADDR, (Boolean) value);
                case SocketOptions.IP_TOS -> set(StandardSocketOptions.IP_TOS, (Integer) value);
                case SocketOptions.SO_LINGER ->
                    set(StandardSocketOptions.SO_LINGER, value instanceof Integer i ? i : -1);
                case SocketOptions.SO_OOBINLINE -> {
                    if (Boolean.TRUE.equals(value)) throw new SocketException("OOB inline is not supported");
                }
                default -> throw new SocketException("option " + optID + " is not supported on Mirari's stack");
            }
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        try {
            return switch (optID) {
                case SocketOptions.SO_TIMEOUT -> timeoutMs;
                case SocketOptions.TCP_NODELAY -> get(StandardSocketOptions.TCP_NODELAY, false);
                case SocketOptions.SO_KEEPALIVE -> get(StandardSocketOptions.SO_KEEPALIVE, false);
                case SocketOptions.SO_SNDBUF -> get(StandardSocketOptions.SO_SNDBUF, 0);
                case SocketOptions.SO_RCVBUF -> get(StandardSocketOptions.SO_RCVBUF, 0);
                case SocketOptions.SO_REUSEADDR -> get(StandardSocketOptions.SO_REUSEADDR, false);
                case SocketOptions.IP_TOS -> get(StandardSocketOptions.IP_TOS, 0);
                case SocketOptions.SO_LINGER -> {
                    int l = get(StandardSocketOptions.SO_LINGER, -1);
                    yield l < 0 ? (Object) Boolean.FALSE : (Object) l;
                }
                case SocketOptions.SO_OOBINLINE -> false;
                case SocketOptions.SO_BINDADDR -> {
                    var a = ch != null ? ch.getLocalAddress() : listener != null ? listener.getLocalAddress() : null;
                    yield a == null ? InetAddress.getByName("0.0.0.0") : ((InetSocketAddress) a).getAddress();
                }
                default -> throw new SocketException("option " + optID + " is not supported on Mirari's stack");
            };
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    private <T> void set(SocketOption<T> o, T v) throws IOException {
        if (ch != null) ch.setOption(o, v);
        else if (listener != null && listener.supportedOptions().contains(o)) listener.setOption(o, v);
    }

    private <T> T get(SocketOption<T> o, T otherwise) throws IOException {
        if (ch != null) return ch.getOption(o);
        if (listener != null && listener.supportedOptions().contains(o)) return listener.getOption(o);
        return otherwise;
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        if (name == StandardSocketOptions.SO_REUSEADDR && listener == null && ch == null)
            return; // before listen: recorded nowhere, harmless
        set(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return get(name, null);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return StackSocketChannel.OPTIONS;
    }
}
