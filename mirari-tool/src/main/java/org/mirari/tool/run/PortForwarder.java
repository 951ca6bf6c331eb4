package org.mirari.tool.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mirari.tool.error.BackendException;

/**
 * A TCP forward from a host port to an address in a container's namespace, in the run's own
 * process: accepted connections are joined to a new connection to the target, one virtual thread
 * a direction, half-closes passed on. Nothing of it outlives the run (no firewall rule to remove):
 * closing the forwarder closes the listener and every connection. A connection that arrives before
 * the app listens is closed at once, as a refused connection would be.
 */
final class PortForwarder implements AutoCloseable {
    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private PortForwarder(ServerSocketChannel server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        this.acceptor = Thread.ofVirtual().name("mirari-forward").unstarted(this::accept);
    }

    /** Binds {@code hostAddress:hostPort} now (a busy port fails here, exit 5) and forwards to {@code target}. */
    static PortForwarder start(String hostAddress, int hostPort, InetSocketAddress target) {
        try {
            var server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                server.bind(new InetSocketAddress(InetAddress.getByName(hostAddress), hostPort), 128);
            } catch (IOException e) {
                server.close();
                throw new BackendException("port " + hostPort + " on " + hostAddress + " is already in use ("
                        + e.getMessage() + "); stop what listens there, or forward another port: -p "
                        + PortCheck.suggestion(hostAddress, hostPort) + ":" + target.getPort());
            }
            var f = new PortForwarder(server, target);
            f.acceptor.start();
            return f;
        } catch (IOException e) {
            throw new BackendException("cannot forward port " + hostPort + ": " + e.getMessage(), e);
        }
    }

    /** The port it listens on. */
    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            return 0;
        }
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            Thread.ofVirtual().name("mirari-forward-conn").start(() -> join(client));
        }
    }

    private void join(SocketChannel client) {
        SocketChannel upstream = null;
        try {
            upstream = SocketChannel.open();
            open.add(upstream);
            upstream.connect(target);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
            var up = upstream;
            var back = Thread.ofVirtual().start(() -> copy(up, client));
            copy(client, up);
            back.join();
        } catch (IOException e) {
            // refused (the app does not listen yet) or reset: the client sees its connection closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            if (upstream != null) closeQuietly(upstream);
        }
    }

    /** Copies until end of stream, then half-closes the other side (RFC 9293 section 3.6: each direction closes alone). */
    private void copy(SocketChannel from, SocketChannel to) {
        var buf = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(SocketChannel c) {
        open.remove(c);
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (var c : open) closeQuietly(c);
    }
}
