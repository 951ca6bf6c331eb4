package org.mirari.net.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * The impl the socket adaptors hand to {@code Socket}/{@code ServerSocket}'s constructors, which
 * need one: the adaptors override every method, so nothing here is ever reached.
 */
final class NoSocketImpl extends SocketImpl {
    private static SocketException no() {
        return new SocketException("not a platform socket (Mirari's stack)");
    }

    @Override
    protected void create(boolean stream) throws IOException {
        throw no();
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        throw no();
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        throw no();
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        throw no();
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        throw no();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw no();
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw no();
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw no();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw no();
    }

    @Override
    protected int available() throws IOException {
        throw no();
    }

    @Override
    protected void close() {}

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw no();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        throw no();
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        throw no();
    }
}
