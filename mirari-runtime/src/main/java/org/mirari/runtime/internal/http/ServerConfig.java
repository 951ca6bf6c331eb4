package org.mirari.runtime.internal.http;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How the server runs. Defaults suit a small appliance; each can be changed with a system
 * property (named in {@link #fromSystemProperties}) without a rebuild.
 *
 * @param address         where to listen
 * @param loops           event-loop threads (default: one per core)
 * @param handlers        where app handlers run (default {@link Handlers#AUTO})
 * @param inlineBudget    under {@link Handlers#AUTO}, a handler that runs longer than this on the
 *                        event loop counts as blocking (default 50 ms)
 * @param maxHeadBytes    request line plus header section, else 431 (default 16 KiB)
 * @param maxBodyBytes    request body, else 413 (default 10 MiB)
 * @param idleTimeout     a keep-alive connection with no request in progress is closed (default 60 s)
 * @param headTimeout     a request head must arrive whole within this from its first byte, else 408
 *                        (default 30 s; what ends a slowloris connection)
 * @param bodyTimeout     a request body making no progress this long gets a 408 (default 30 s)
 * @param writeTimeout    a response write making no progress this long closes the connection (default 30 s)
 * @param maxConnections  connections beyond this are closed at once (default 10,000)
 * @param sendfileMinBytes KV bodies of this many bytes or more are sent by the kernel from the
 *                        pack file ({@code sendfile}) rather than written from the mapping
 *                        (default 64 KiB; {@link Long#MAX_VALUE}: never)
 */
public record ServerConfig(
        InetSocketAddress address,
        int loops,
        Handlers handlers,
        Duration inlineBudget,
        int maxHeadBytes,
        long maxBodyBytes,
        Duration idleTimeout,
        Duration headTimeout,
        Duration bodyTimeout,
        Duration writeTimeout,
        int maxConnections,
        long sendfileMinBytes) {

    /** Where the app's handler runs. */
    public enum Handlers {
        /**
         * On the event-loop thread until a handler is seen to block, then on virtual threads for
         * good. Most handlers answer from memory in microseconds ({@code Response.kv} from the
         * mapped store, a string), and a hop to a virtual thread and back costs more than the
         * handler itself; a watchdog looks at each loop every 10 ms, and when a handler has been
         * parked, sleeping or waiting for a lock for two looks, or has run longer than
         * {@link ServerConfig#inlineBudget()}, the loop is handed to a new thread (the blocked one
         * finishes its request and leaves) and every later request hops. A blocking handler thus
         * stalls the other connections of its loop once, for 10-20 ms or the budget.
         */
        AUTO,
        /** On a new virtual thread per request: handlers may block without stalling other connections. */
        VIRTUAL,
        /** On the event-loop thread, always: for handlers known never to block (one that does stalls its loop). */
        INLINE
    }

    public static ServerConfig defaults(InetSocketAddress address) {
        return new ServerConfig(
                address,
                Runtime.getRuntime().availableProcessors(),
                Handlers.AUTO,
                Duration.ofMillis(50),
                16 * 1024,
                10L * 1024 * 1024,
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                10_000,
                SENDFILE_MIN_BYTES);
    }

    /**
     * Below this, writing the mapped bytes after the head in one gathering write beats a second
     * system call for the body: a 16 KiB copy costs a few microseconds, the pages of a 1 MiB body
     * a tenth of a core at nginx's rate (README, Benchmarks).
     */
    static final long SENDFILE_MIN_BYTES = 64 * 1024;

    /**
     * The defaults overridden by {@code mirari.http.loops}, {@code mirari.http.handlers}
     * ({@code auto}, {@code virtual} or {@code inline}), {@code mirari.http.inline-budget-ms},
     * {@code mirari.http.max-head-bytes},
     * {@code mirari.http.max-body-bytes}, {@code mirari.http.idle-timeout-ms},
     * {@code mirari.http.head-timeout-ms}, {@code mirari.http.body-timeout-ms},
     * {@code mirari.http.write-timeout-ms},
     * {@code mirari.http.max-connections} and {@code mirari.http.sendfile-min-bytes} (a number,
     * or {@code off}).
     */
    public static ServerConfig fromSystemProperties(InetSocketAddress address) {
        ServerConfig d = defaults(address);
        return new ServerConfig(
                address,
                Integer.getInteger("mirari.http.loops", d.loops()),
                Handlers.valueOf(
                        System.getProperty("mirari.http.handlers", d.handlers().name())
                                .toUpperCase(java.util.Locale.ROOT)),
                Duration.ofMillis(Long.getLong(
                        "mirari.http.inline-budget-ms", d.inlineBudget().toMillis())),
                Integer.getInteger("mirari.http.max-head-bytes", d.maxHeadBytes()),
                Long.getLong("mirari.http.max-body-bytes", d.maxBodyBytes()),
                Duration.ofMillis(Long.getLong(
                        "mirari.http.idle-timeout-ms", d.idleTimeout().toMillis())),
                Duration.ofMillis(Long.getLong(
                        "mirari.http.head-timeout-ms", d.headTimeout().toMillis())),
                Duration.ofMillis(Long.getLong(
                        "mirari.http.body-timeout-ms", d.bodyTimeout().toMillis())),
                Duration.ofMillis(Long.getLong(
                        "mirari.http.write-timeout-ms", d.writeTimeout().toMillis())),
                Integer.getInteger("mirari.http.max-connections", d.maxConnections()),
                sendfileMinBytes(System.getProperty("mirari.http.sendfile-min-bytes"), d.sendfileMinBytes()));
    }

    /** A byte count, {@code off} (never: {@link Long#MAX_VALUE}), or the default when absent. */
    static long sendfileMinBytes(String value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (value.strip().equalsIgnoreCase("off")) {
            return Long.MAX_VALUE;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("mirari.http.sendfile-min-bytes \"" + value
                + "\" is neither a byte count nor off; use e.g. 65536 or off");
    }

    public ServerConfig withLoops(int n) {
        var c = new Copy(this);
        c.loops = n;
        return c.build();
    }

    public ServerConfig withMaxConnections(int n) {
        var c = new Copy(this);
        c.maxConnections = n;
        return c.build();
    }

    public ServerConfig withHandlers(Handlers h) {
        var c = new Copy(this);
        c.handlers = h;
        return c.build();
    }

    public ServerConfig withTimeouts(Duration idle, Duration head, Duration body, Duration write) {
        var c = new Copy(this);
        c.idleTimeout = idle;
        c.headTimeout = head;
        c.bodyTimeout = body;
        c.writeTimeout = write;
        return c.build();
    }

    public ServerConfig withLimits(int head, long body) {
        var c = new Copy(this);
        c.maxHeadBytes = head;
        c.maxBodyBytes = body;
        return c.build();
    }

    public ServerConfig withSendfileMinBytes(long n) {
        var c = new Copy(this);
        c.sendfileMinBytes = n;
        return c.build();
    }

    public ServerConfig withInlineBudget(Duration budget) {
        var c = new Copy(this);
        c.inlineBudget = budget;
        return c.build();
    }

    /** A copy to change a few fields of, so each {@code with} names only what it changes. */
    private static final class Copy {
        InetSocketAddress address;
        int loops, maxHeadBytes, maxConnections;
        long maxBodyBytes, sendfileMinBytes;
        Handlers handlers;
        Duration inlineBudget, idleTimeout, headTimeout, bodyTimeout, writeTimeout;

        Copy(ServerConfig c) {
            address = c.address;
            loops = c.loops;
            handlers = c.handlers;
            inlineBudget = c.inlineBudget;
            maxHeadBytes = c.maxHeadBytes;
            maxBodyBytes = c.maxBodyBytes;
            idleTimeout = c.idleTimeout;
            headTimeout = c.headTimeout;
            bodyTimeout = c.bodyTimeout;
            writeTimeout = c.writeTimeout;
            maxConnections = c.maxConnections;
            sendfileMinBytes = c.sendfileMinBytes;
        }

        ServerConfig build() {
            return new ServerConfig(
                    address,
                    loops,
                    handlers,
                    inlineBudget,
                    maxHeadBytes,
                    maxBodyBytes,
                    idleTimeout,
                    headTimeout,
                    bodyTimeout,
                    writeTimeout,
                    maxConnections,
                    sendfileMinBytes);
        }
    }

    /** The shortest timeout: how often the loops must look at their connections' clocks. */
    Duration shortestTimeout() {
        Duration d = idleTimeout;
        for (Duration t : new Duration[] {headTimeout, bodyTimeout, writeTimeout}) {
            if (t.compareTo(d) < 0) {
                d = t;
            }
        }
        return d;
    }
}
