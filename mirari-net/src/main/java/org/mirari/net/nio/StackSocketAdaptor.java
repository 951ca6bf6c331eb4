package org.mirari.net.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * {@link SocketChannel#socket()} for {@link StackSocketChannel}: a {@link Socket} whose every
 * method goes to the channel (the JDK's own adaptor does the same for its channels). Its streams
 * block, and honour {@link #setSoTimeout}.
 */
final class StackSocketAdaptor extends Socket {
    private final StackSocketChannel ch;
    private volatile int timeoutMs;

    StackSocketAdaptor(StackSocketChannel ch) throws SocketException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    @Override
    public SocketChannel getChannel() {
        return ch;
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (!ch.isBlocking()) throw new IllegalBlockingModeException();
        if (timeout < 0) throw new IllegalArgumentException("connect: timeout can't be negative");
        ch.connect(remote);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        ch.bind(local);
    }

    private InetSocketAddress remote() {
        return ChannelStreams.address(ch::getRemoteAddress);
    }

    private InetSocketAddress local() {
        return ChannelStreams.address(ch::getLocalAddress);
    }

    @Override
    public InetAddress getInetAddress() {
        var r = ch.isConnected() ? remote() : null;
        return r == null ? null : r.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        var l = local();
        return l == null ? null : l.getAddress();
    }

    @Override
    public int getPort() {
        var r = ch.isConnected() ? remote() : null;
        return r == null ? 0 : r.getPort();
    }

    @Override
    public int getLocalPort() {
        var l = local();
        return l == null ? -1 : l.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return ch.isConnected() ? remote() : null;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return local();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (ch.isBlocking() == false) throw new IllegalBlockingModeException();
        check();
        return ChannelStreams.input(ch, () -> timeoutMs, true);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (ch.isBlocking() == false) throw new IllegalBlockingModeException();
        check();
        return ChannelStreams.output(ch, true);
    }

    private void check() throws SocketException {
        if (!ch.isOpen()) throw new SocketException("Socket is closed");
        if (!ch.isConnected()) throw new SocketException("Socket is not connected");
    }

    private <T> void set(SocketOption<T> o, T v) throws SocketException {
        ChannelStreams.setOption(ch, o, v);
    }

    private <T> T get(SocketOption<T> o) throws SocketException {
        return ChannelStreams.option(ch, o);
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        set(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return get(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        set(StandardSocketOptions.SO_LINGER, on ? linger : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return get(StandardSocketOptions.SO_LINGER);
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported on Mirari's stack");
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) throw new SocketException("OOB inline is not supported on Mirari's stack");
    }

    @Override
    public boolean getOOBInline() {
        return false;
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
    public void setSendBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return get(StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        set(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return get(StandardSocketOptions.IP_TOS);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        ch.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return ch.isConnected();
    }

    @Override
    public boolean isBound() {
        return local() != null;
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return ch.inputShut();
    }

    @Override
    public boolean isOutputShutdown() {
        return ch.outputShut();
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
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
        return ch.isConnected()
                ? "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]"
                : "Socket[unconnected]";
    }
}
