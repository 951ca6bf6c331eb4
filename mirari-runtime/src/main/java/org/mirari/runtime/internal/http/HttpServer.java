package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.io.PrintStream;
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
 * it), serving one {@link HttpApp}. Its time comes from an injected {@link MonotonicClock} and
 * everything it prints goes to the stream it was given (Boot's), never to {@code System.err}.
 */
public final class HttpServer {
    /** How often the watchdog looks at the loops (under {@code AUTO}, until a handler blocks). */
    static final long WATCH_MS = 10;

    private final ServerConfig config;
    private final List<EventLoop> loops = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final List<ServerSocketChannel> listeners;
    /** Where each listener is bound (with the real port when 0 was asked for), kept for after they close. */
    private final List<InetSocketAddress> bound = new ArrayList<>();

    private final MonotonicClock clock;
    private final PrintStream log;
    private volatile boolean stopped;
    /**
     * True while handlers run on the loops' threads: from the start under {@code INLINE}
     * (for good) and {@code AUTO} (until the watchdog sees a handler block).
     */
    private volatile boolean inline;

    private HttpServer(
            ServerConfig config, List<ServerSocketChannel> listeners, MonotonicClock clock, PrintStream log) {
        this.config = config;
        this.listeners = listeners;
        this.clock = clock;
        this.log = log;
        this.inline = config.handlers() != ServerConfig.Handlers.VIRTUAL;
    }

    /**
     * Binds {@code config.address()} and starts serving; returns once the port is listening.
     * Timeouts are measured on {@code clock}; handler failures and loop errors are printed to
     * {@code log}.
     */
    public static HttpServer start(HttpApp app, ServerConfig config, MonotonicClock clock, PrintStream log)
            throws IOException {
        return start(List.of(Listener.plain(config.address(), app)), config, clock, log);
    }

    /**
     * Binds every listener (plain HTTP, HTTPS...) and serves them all on the same loops; returns
     * once every port is listening. {@code config.address()} is not used.
     */
    public static HttpServer start(List<Listener> listeners, ServerConfig config, MonotonicClock clock, PrintStream log)
            throws IOException {
        SelectorProvider provider = SelectorProvider.provider();
        var channels = new ArrayList<ServerSocketChannel>();
        try {
            for (Listener l : listeners) {
                ServerSocketChannel listener = provider.openServerSocketChannel();
                channels.add(listener);
                if (listener.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR)) {
                    listener.setOption(
                            StandardSocketOptions.SO_REUSEADDR, true); // restart without waiting for TIME_WAIT
                }
                listener.bind(l.address(), 1024);
                listener.configureBlocking(false);
            }
            var server = new HttpServer(config, List.copyOf(channels), clock, log);
            for (ServerSocketChannel c : channels) {
                server.bound.add((InetSocketAddress) c.getLocalAddress());
            }
            for (int i = 0; i < Math.max(1, config.loops()); i++) {
                server.loops.add(new EventLoop(server, config, provider.openSelector(), clock));
            }
            for (int i = 0; i < listeners.size(); i++) {
                server.loops.getFirst().accept(channels.get(i), listeners.get(i));
            }
            for (int i = 0; i < server.loops.size(); i++) {
                server.startLoop(server.loops.get(i), "mirari-http-" + i);
            }
            if (config.handlers() == ServerConfig.Handlers.AUTO) {
                Thread.ofPlatform().name("mirari-http-watchdog").daemon(true).start(server::watchdog);
            }
            return server;
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel c : channels) {
                c.close();
            }
            throw e;
        }
    }

    /** The bound address of the first listener (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return address(0);
    }

    /** The bound address of listener {@code i}, in the order {@link #start(List, ServerConfig, MonotonicClock, PrintStream)} got them. */
    public InetSocketAddress address(int i) {
        return bound.get(i);
    }

    /** Connections currently open. */
    public int connections() {
        return open.get();
    }

    PrintStream log() {
        return log;
    }

    /**
     * For tests that move a virtual clock: has every loop read the clock and enforce its
     * connections' timeouts now, and returns the state of every connection left.
     */
    List<Connection.State> sweep() throws InterruptedException {
        return onLoops(loop -> {
            loop.sweep();
            return loop.states();
        });
    }

    /** For tests: the state of every open connection. */
    List<Connection.State> states() throws InterruptedException {
        return onLoops(EventLoop::states);
    }

    private List<Connection.State> onLoops(java.util.function.Function<EventLoop, List<Connection.State>> f)
            throws InterruptedException {
        var all = new java.util.concurrent.ConcurrentLinkedQueue<Connection.State>();
        var done = new java.util.concurrent.CountDownLatch(loops.size());
        for (EventLoop loop : loops) {
            loop.execute(() -> {
                try {
                    all.addAll(f.apply(loop));
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the event loops did not answer within 10 s");
        }
        return List.copyOf(all);
    }

    AtomicInteger openCounter() {
        return open;
    }

    EventLoop nextLoop() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    private boolean allFinished() {
        for (EventLoop loop : loops) {
            if (!loop.isFinished()) {
                return false;
            }
        }
        return true;
    }

    /** True while handlers run on the loops' threads (see {@link ServerConfig.Handlers}). */
    boolean inline() {
        return inline;
    }

    private void startLoop(EventLoop loop, String name) {
        Thread t = Thread.ofPlatform().name(name).daemon(false).unstarted(loop);
        loop.runOn(t);
        t.start();
    }

    /**
     * Under {@code AUTO}: looks at every loop each {@link #WATCH_MS} until a handler is seen to
     * block; then hands that loop to a new thread, sends every later request to a virtual thread,
     * says so on the log, and stops.
     */
    private void watchdog() {
        long budget = config.inlineBudget().toMillis();
        try {
            // on through shutdown: a handler that blocks then (System.exit in a handler waits for the
            // shutdown hook, which waits for the loops) must be handed off too, or the loop never ends
            while (!allFinished()) {
                Thread.sleep(WATCH_MS);
                for (int i = 0; i < loops.size(); i++) {
                    EventLoop loop = loops.get(i);
                    Request blocked = loop.watch(clock.millis(), budget);
                    if (blocked != null) {
                        inline = false; // before the new thread starts: it must not run handlers inline
                        // Said before the new thread starts, so the line comes before any answer of
                        // that thread (a client that was answered also sees it on the log).
                        log.println("mirari: a handler blocked its event loop (" + blocked.method() + " "
                                + blocked.target() + "); from now on every handler runs on a virtual thread"
                                + " (set -Dmirari.http.handlers=virtual to start that way)");
                        startLoop(loop, "mirari-http-" + i + "-handoff");
                    }
                }
                if (!inline) {
                    // every loop's running handler (if any) finishes where it is; nothing more to watch,
                    // but a loop whose thread is still inside a handler must be handed off too
                    for (int i = 0; i < loops.size(); i++) {
                        awaitOrHandOff(loops.get(i), i, budget);
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After the switch to virtual threads: hands off any loop still inside an inline handler that blocks. */
    private void awaitOrHandOff(EventLoop loop, int i, long budget) throws InterruptedException {
        while (loop.inHandler() && !loop.isFinished()) {
            Request blocked = loop.watch(clock.millis(), budget);
            if (blocked != null) {
                startLoop(loop, "mirari-http-" + i + "-handoff");
                return;
            }
            Thread.sleep(WATCH_MS);
        }
    }

    /** Calls the app; an exception or a null response becomes a 500 (and a stack trace on the log). */
    Response call(HttpApp app, Request request) {
        try {
            Response r = app.handle(request);
            if (r == null) {
                log.println("mirari: the handler returned no response for " + request);
                return Response.text(500, "Internal Server Error\n");
            }
            return r;
        } catch (Throwable e) { // an Error too (a failed static initializer, say): the client still gets an answer
            log.println("mirari: the handler failed on " + request);
            e.printStackTrace(log);
            return Response.text(500, "Internal Server Error\n");
        }
    }

    /**
     * Graceful shutdown: stops accepting, closes idle connections, lets requests in progress
     * finish (their responses say {@code Connection: close}) for up to {@code grace}, then closes
     * what is left. Returns when every loop has stopped. {@code grace} is measured on the
     * server's clock.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        long deadline = clock.millis() + grace.toMillis();
        for (EventLoop loop : loops) {
            loop.drain(deadline);
        }
        for (EventLoop loop : loops) {
            loop.awaitFinished(); // each loop ends by its deadline, on whichever clock the server runs
        }
    }
}
