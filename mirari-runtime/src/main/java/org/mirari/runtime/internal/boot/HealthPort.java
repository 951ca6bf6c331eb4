package org.mirari.runtime.internal.boot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The {@code health-port} of a {@code main-ip} or {@code main-noip} app: a TCP listener on the
 * host's sockets, opened once the app is ready, that accepts each connection and closes it at once.
 * A Kubernetes TCP probe sees it open exactly while the app runs past its readiness line, which is
 * all a probe can see of that line: a kubelet reads no console, and the image holds no program for
 * an exec probe. It answers nothing, so it costs one virtual thread and no parsing.
 */
final class HealthPort implements AutoCloseable {
    private final ServerSocketChannel server;

    private HealthPort(ServerSocketChannel server) {
        this.server = server;
    }

    /** Listens on {@code address} ({@code *} for every address) and {@code port}. */
    static HealthPort open(String address, int port) throws IOException {
        var server = ServerSocketChannel.open();
        try {
            server.bind(address.equals("*") ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        var health = new HealthPort(server);
        Thread.ofVirtual().name("mirari-health").start(health::accept);
        return health;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                server.accept().close();
            } catch (IOException e) {
                return; // closed: the app has ended
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing is left to tell
        }
    }
}
