package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import java.util.concurrent.CountDownLatch;
import org.mirari.runtime.http.Request;

/**
 * One selector and the connections registered with it, served by one platform thread at a time.
 * Other threads talk to it only through {@link #execute}. The first loop also accepts connections
 * and spreads them over all loops.
 *
 * <p>Under {@link ServerConfig.Handlers#AUTO} a handler runs on the loop's thread, bracketed by
 * {@link #enterHandler} and {@link #leaveHandler}. When the server's watchdog sees it block
 * ({@link #watch}), it takes the loop from that thread ({@link #HANDED_OFF}) and starts another
 * one on the same selector and connections. The blocked thread, once its handler returns, posts
 * the response as a task and leaves by throwing {@link HandedOff}; it touches nothing else, and
 * its connection stays in {@link Phase#HANDLING} meanwhile, so the new thread leaves it alone.
 * The selector is never held across a handler (keys are taken from the selected set before
 * they are served), so the new thread can select at once.
 */
final class EventLoop implements Runnable {
    /** {@link #handler} once the loop has been taken from the thread running a handler. */
    static final long HANDED_OFF = -2; // even: no handler runs here any more

    private static final VarHandle HANDLER;

    static {
        try {
            HANDLER = MethodHandles.lookup().findVarHandle(EventLoop.class, "handler", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Thrown on a thread whose loop was handed off while it ran a handler: it ends that thread. */
    static final class HandedOff extends Error {
        private static final HandedOff INSTANCE = new HandedOff();

        private HandedOff() {
            super("the event loop moved to another thread", null, false, false);
        }
    }

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
    /** The listening channels this loop accepts from (the first loop only), each keyed by its {@link Listener}. */
    private final List<SelectionKey> acceptKeys = new ArrayList<>();

    /**
     * Odd while a handler runs on the loop's thread (a sequence number, new for each call), even
     * when none does, {@link #HANDED_OFF} once the watchdog took the loop from that thread.
     */
    private volatile long handler;

    private long handlers = 1;
    /** The request of the running handler, for the watchdog's message (written before {@link #handler}). */
    private Request current;
    /** When the running handler started: the loop's time of its last wake-up (no clock read per call). */
    private long handlerSince;
    /** The watchdog's own note: the handler it saw running at its last look. */
    private long seen;

    private volatile Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private SelectionKey[] batch = new SelectionKey[64];

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

    /** Called on the loop's thread before a handler runs on it; returns the token for {@link #leaveHandler}. */
    long enterHandler(Request request) {
        long token = handlers;
        handlers += 2;
        current = request;
        handlerSince = now;
        handler = token;
        return token;
    }

    /**
     * Called on the loop's thread when its handler returned: true when the thread still owns the
     * loop, false when the watchdog handed the loop to another thread meanwhile (the caller must
     * then post its work with {@link #execute} and throw {@link #handedOff()}).
     */
    boolean leaveHandler(long token) {
        return HANDLER.compareAndSet(this, token, token + 1);
    }

    /** True while a handler runs on the loop's thread (for the watchdog). */
    boolean inHandler() {
        return (handler & 1) != 0;
    }

    static HandedOff handedOff() {
        return HandedOff.INSTANCE;
    }

    /**
     * The watchdog's look at this loop at {@code now} (on the server's clock): when the same
     * handler has been running since the last look and its thread is parked, sleeping or waiting
     * for a monitor, or it has run for {@code budgetMs} (counted from the loop's last wake-up), takes
     * the loop from that thread and returns the request it was serving; else null.
     */
    Request watch(long now, long budgetMs) {
        long h = handler;
        if ((h & 1) == 0) { // none runs, or the loop was handed off already
            seen = 0;
            return null;
        }
        if (h != seen) {
            seen = h;
            return null;
        }
        Thread t = thread;
        Thread.State state = t == null ? Thread.State.RUNNABLE : t.getState();
        boolean waiting =
                state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
        if (!waiting && now - handlerSince < budgetMs) {
            return null;
        }
        Request r = current;
        return HANDLER.compareAndSet(this, h, HANDED_OFF) ? r : null;
    }

    /** Runs this loop on {@code t} (started by the caller): at the start, and after a hand-off. */
    void runOn(Thread t) {
        thread = t;
    }

    boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** Waits until the loop has stopped and closed its connections (whichever thread ran it last). */
    void awaitFinished() throws InterruptedException {
        finished.await();
    }

    /** Runs {@code task} on this loop's thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void accept(ServerSocketChannel channel, Listener listener) throws IOException {
        acceptKeys.add(channel.register(selector, SelectionKey.OP_ACCEPT, listener));
    }

    void adopt(SocketChannel channel, Listener listener) {
        try {
            if (draining || connections.size() >= config.maxConnections()) {
                channel.close();
                return;
            }
            channel.configureBlocking(false);
            if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // responses are whole writes
            }
            var c = new Connection(listener.transports().open(channel), listener.app(), this, config);
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
            for (SelectionKey k : acceptKeys) {
                k.cancel();
                try {
                    k.channel().close();
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
        boolean handedOff = false;
        try {
            while (turn()) {
                // one turn per wake-up, in its own method: the JIT compiles it as a whole
                // instead of replacing this never-ending frame on the stack (OSR), which took
                // minutes to reach C2 under load
            }
        } catch (HandedOff e) {
            handedOff = true; // another thread runs the loop now: leave everything to it
        } catch (IOException | RuntimeException e) {
            e.printStackTrace(server.log());
        } finally {
            if (!handedOff) {
                for (Connection c : new ArrayList<>(connections)) {
                    c.close();
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // the loop is over
                }
                finished.countDown();
            }
        }
    }

    /** One wake-up: ready channels, tasks, the timeout sweep, the drain; false when the loop ends. */
    private boolean turn() throws IOException {
        selector.select(Math.max(1, nextSweep - now));
        now = clock.millis();
        serveSelected();
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
            return !connections.isEmpty() && now < drainDeadline;
        }
        return true;
    }

    /**
     * Serves the selected keys, taken out of the selector's set first: a thread that is handed
     * off in a handler drops the rest of its batch, and the next owner's select reports those
     * channels again (readiness is level-triggered).
     */
    private void serveSelected() {
        Set<SelectionKey> selected = selector.selectedKeys();
        int n = selected.size();
        if (n == 0) {
            return;
        }
        if (batch.length < n) {
            batch = new SelectionKey[Math.max(n, 2 * batch.length)];
        }
        selected.toArray(batch);
        selected.clear();
        for (int i = 0; i < n; i++) {
            SelectionKey key = batch[i];
            batch[i] = null;
            ready(key);
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
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() instanceof Connection c) {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0) {
                c.onReadable();
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && !c.isClosed()) {
                c.onWritable();
            }
        } else if (key.isValid() && key.isAcceptable() && key.attachment() instanceof Listener l) {
            acceptAll((ServerSocketChannel) key.channel(), l);
        }
    }

    private void acceptAll(ServerSocketChannel acceptor, Listener listener) {
        try {
            SocketChannel ch;
            while ((ch = acceptor.accept()) != null) {
                EventLoop target = server.nextLoop();
                if (target == this) {
                    adopt(ch, listener);
                } else {
                    SocketChannel accepted = ch;
                    target.execute(() -> target.adopt(accepted, listener));
                }
            }
        } catch (IOException e) {
            // EMFILE and friends: leave the rest in the backlog and try again on the next select
        }
    }
}
