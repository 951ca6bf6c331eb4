package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.mirari.runtime.http.HttpApp;

/** A real server on a free loopback port, for tests. */
final class TestServer implements AutoCloseable {
    final HttpServer server;

    TestServer(HttpApp app, ServerConfig config) throws IOException {
        this(app, config, MonotonicClock.system());
    }

    TestServer(HttpApp app, ServerConfig config, MonotonicClock clock) throws IOException {
        server = HttpServer.start(app, config, clock, System.err);
    }

    TestServer(HttpApp app) throws IOException {
        this(app, config());
    }

    static ServerConfig config() {
        return ServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withLoops(2);
    }

    InetSocketAddress address() {
        return server.address();
    }

    RawHttp client() throws IOException {
        return new RawHttp(address());
    }

    /**
     * Waits (real time, 10 s at most) until the server's connections look as {@code expected}
     * says, and returns them. Each look is a task run on every event loop, so the loops pace the
     * wait and see their own state, not a copy that a race could make stale.
     */
    List<Connection.State> await(Predicate<List<Connection.State>> expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Connection.State> states;
        while (!expected.test(states = server.states())) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("connections never matched; last seen " + states);
            }
            Thread.onSpinWait();
        }
        return states;
    }

    /** A predicate for {@link #await}: some connection is in {@code phase}. */
    static Predicate<List<Connection.State>> any(Phase phase) {
        return l -> l.stream().anyMatch(st -> st.phase() == phase);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown(Duration.ofSeconds(2));
    }
}
