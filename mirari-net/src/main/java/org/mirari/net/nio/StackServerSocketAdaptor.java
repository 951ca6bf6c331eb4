package org.mirari.net.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** {@link ServerSocketChannel#socket()} for {@link StackServerSocketChannel}: every method goes to the channel. */
final class StackServerSocketAdaptor extends ServerSocket {
    private final StackServerSocketChannel ch;
    private volatile int timeoutMs;

    StackServerSocketAdaptor(StackServerSocketChannel ch) throws IOException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    @Override
    public ServerSocketChannel getChannel() {
        return ch;
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        ch.bind(local, backlog);
    }

    private InetSocketAddress local() {
        return ChannelStreams.address(ch::getLocalAddress);
    }

    @Override
    public InetAddress getInetAddress() {
        var l = local();
        return l == null ? null : l.getAddress();
    }

    @Override
    public int getLocalPort() {
        var l = local();
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local();
    }

    @Override
    public Socket accept() throws IOException {
        if (!ch.isBlocking()) throw new IllegalBlockingModeException();
        if (!ch.isBound()) throw new SocketException("Socket is not bound yet");
        int t = timeoutMs;
        var sc = ch.acceptTimed(t == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(t));
        if (sc == null) throw new SocketTimeoutException("Accept timed out");
        return sc.socket();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public boolean isBound() {
        return ch.isBound();
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        timeoutMs = timeout;
    }

    @Override
    public int getSoTimeout() {
        return timeoutMs;
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        ChannelStreams.setOption(ch, StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return ChannelStreams.option(ch, StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        ChannelStreams.setOption(ch, StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return ChannelStreams.option(ch, StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ch.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ch.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ch.supportedOptions();
    }

    @Override
    public String toString() {
        var l = local();
        return l == null
                ? "ServerSocket[unbound]"
                : "ServerSocket[addr=" + l.getAddress() + ",localport=" + l.getPort() + "]";
    }
}
