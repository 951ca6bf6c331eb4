package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
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

    @Override
    public void close() throws InterruptedException {
        server.shutdown(Duration.ofSeconds(2));
    }
}
