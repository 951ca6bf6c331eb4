package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/**
 * The HTTP/1.1 server: {@link ServerConfig#loops()} event loops over channels and selectors from
 * {@link SelectorProvider#provider()} (the host's, or Mirari's userspace stack when the JVM names
 * it), serving one {@link HttpApp}.
 */
public final class HttpServer {
    private final HttpApp app;
    private final ServerConfig config;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final ServerSocketChannel listener;
    private volatile boolean stopped;

    private HttpServer(HttpApp app, ServerConfig config, ServerSocketChannel listener) {
        this.app = app;
        this.config = config;
        this.listener = listener;
    }

    /** Binds {@code config.address()} and starts serving; returns once the port is listening. */
    public static HttpServer start(HttpApp app, ServerConfig config) throws IOException {
        SelectorProvider provider = SelectorProvider.provider();
        ServerSocketChannel listener = provider.openServerSocketChannel();
        try {
            if (listener.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR)) {
                listener.setOption(StandardSocketOptions.SO_REUSEADDR, true); // restart without waiting for TIME_WAIT
            }
            listener.bind(config.address(), 1024);
            listener.configureBlocking(false);
            var server = new HttpServer(app, config, listener);
            for (int i = 0; i < Math.max(1, config.loops()); i++) {
                server.loops.add(new EventLoop(server, config, provider.openSelector()));
            }
            server.loops.getFirst().accept(listener);
            for (int i = 0; i < server.loops.size(); i++) {
                Thread t = Thread.ofPlatform().name("mirari-http-" + i).daemon(false).unstarted(server.loops.get(i));
                server.threads.add(t);
                t.start();
            }
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            return config.address();
        }
    }

    /** Connections currently open. */
    public int connections() {
        return open.get();
    }

    AtomicInteger openCounter() {
        return open;
    }

    EventLoop nextLoop() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /** Calls the app; an exception or a null response becomes a 500 (and a stack trace on stderr). */
    Response call(Request request) {
        try {
            Response r = app.handle(request);
            if (r == null) {
                System.err.println("mirari: the handler returned no response for " + request);
                return Response.text(500, "Internal Server Error\n");
            }
            return r;
        } catch (Throwable e) { // an Error too (a failed static initializer, say): the client still gets an answer
            System.err.println("mirari: the handler failed on " + request);
            e.printStackTrace();
            return Response.text(500, "Internal Server Error\n");
        }
    }

    /**
     * Graceful shutdown: stops accepting, closes idle connections, lets requests in progress
     * finish (their responses say {@code Connection: close}) for up to {@code grace}, then closes
     * what is left. Returns when every loop has stopped.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() / 1_000_000 + grace.toMillis();
        for (EventLoop loop : loops) {
            loop.drain(deadline);
        }
        for (Thread t : threads) {
            t.join(grace.toMillis() + 2000);
        }
    }
}
