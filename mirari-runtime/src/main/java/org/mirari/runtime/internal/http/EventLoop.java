package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector and the connections registered with it, served by one platform thread. Other
 * threads talk to it only through {@link #execute}. The first loop also accepts connections and
 * spreads them over all loops.
 */
final class EventLoop implements Runnable {
    private final HttpServer server;
    private final ServerConfig config;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<Connection> connections = new HashSet<>();
    private final MonotonicClock clock;
    private final long sweepMs;
    private long now;
    private long nextSweep;
    private volatile boolean draining;
    private long drainDeadline;
    private ServerSocketChannel acceptor;
    private SelectionKey acceptKey;

    EventLoop(HttpServer server, ServerConfig config, Selector selector, MonotonicClock clock) {
        this.server = server;
        this.config = config;
        this.selector = selector;
        this.clock = clock;
        this.sweepMs = Math.max(10, Math.min(1000, config.shortestTimeout().toMillis() / 4));
        this.now = clock.millis();
        this.nextSweep = now + sweepMs;
    }

    HttpServer server() {
        return server;
    }

    long now() {
        return now;
    }

    boolean draining() {
        return draining;
    }

    /** Runs {@code task} on this loop's thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void accept(ServerSocketChannel channel) throws IOException {
        acceptor = channel;
        acceptKey = channel.register(selector, SelectionKey.OP_ACCEPT);
    }

    void adopt(SocketChannel channel) {
        try {
            if (draining || connections.size() >= config.maxConnections()) {
                channel.close();
                return;
            }
            channel.configureBlocking(false);
            if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // responses are whole writes
            }
            var c = new Connection(channel, this, config);
            connections.add(c);
            server.openCounter().incrementAndGet();
            c.start(selector);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    void closed(Connection c) {
        if (connections.remove(c)) {
            server.openCounter().decrementAndGet();
        }
    }

    /** Reads the clock and enforces every connection's timeout now (on this loop's thread). */
    void sweep() {
        now = clock.millis();
        for (Connection c : new ArrayList<>(connections)) {
            c.checkTimeouts(now);
        }
    }

    /** The state of each connection (on this loop's thread). */
    List<Connection.State> states() {
        var list = new ArrayList<Connection.State>();
        for (Connection c : connections) {
            list.add(c.state());
        }
        return list;
    }

    /** Starts a graceful shutdown: stop accepting, close idle connections, finish the rest. */
    void drain(long deadlineMs) {
        execute(() -> {
            draining = true;
            drainDeadline = deadlineMs;
            if (acceptKey != null) {
                acceptKey.cancel();
                try {
                    acceptor.close();
                } catch (IOException ignored) {
                    // the listening socket is going away either way
                }
            }
            for (Connection c : new ArrayList<>(connections)) {
                c.closeIfIdle();
            }
        });
    }

    @Override
    public void run() {
        try {
            while (true) {
                selector.select(this::ready, Math.max(1, nextSweep - now));
                now = clock.millis();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        e.printStackTrace(server.log()); // one connection's failure must not stop the loop
                    }
                }
                if (now >= nextSweep) {
                    nextSweep = now + sweepMs;
                    sweep();
                }
                if (draining) {
                    for (Connection c : new ArrayList<>(connections)) {
                        c.closeIfIdle();
                    }
                    if (connections.isEmpty() || now >= drainDeadline) {
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            e.printStackTrace(server.log());
        } finally {
            for (Connection c : new ArrayList<>(connections)) {
                c.close();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // the loop is over
            }
        }
    }

    private void ready(SelectionKey key) {
        try {
            dispatch(key);
        } catch (RuntimeException e) {
            if (key.attachment() instanceof Connection c) {
                c.close();
            }
        }
    }

    private void dispatch(SelectionKey key) {
        if (key.attachment() instanceof Connection c) {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0) {
                c.onReadable();
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && !c.isClosed()) {
                c.onWritable();
            }
        } else if (key.isValid() && key.isAcceptable()) {
            acceptAll();
        }
    }

    private void acceptAll() {
        try {
            SocketChannel ch;
            while ((ch = acceptor.accept()) != null) {
                EventLoop target = server.nextLoop();
                if (target == this) {
                    adopt(ch);
                } else {
                    SocketChannel accepted = ch;
                    target.execute(() -> target.adopt(accepted));
                }
            }
        } catch (IOException e) {
            // EMFILE and friends: leave the rest in the backlog and try again on the next select
        }
    }
}
