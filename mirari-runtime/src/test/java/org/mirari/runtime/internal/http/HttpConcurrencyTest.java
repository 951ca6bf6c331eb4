package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/** Slow clients, many connections, timeouts and graceful shutdown, over real sockets. */
class HttpConcurrencyTest {
    static final String GET = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";

    /** Counted down when {@code /slow} starts; it then waits for {@link #release}. */
    private final CountDownLatch slowStarted = new CountDownLatch(1);

    private final CountDownLatch release = new CountDownLatch(1);

    private Response app(Request r) throws Exception {
        return switch (r.path()) {
            case "/slow" -> {
                slowStarted.countDown();
                if (!release.await(30, TimeUnit.SECONDS)) throw new AssertionError("never released");
                yield Response.ok("slow\n");
            }
            case "/big" -> Response.bytes(200, "application/octet-stream", new byte[4 << 20]);
            default -> Response.ok("hello\n");
        };
    }

    /** One event loop, so that a slow client and the others share a thread. */
    static ServerConfig oneLoop() {
        return TestServer.config().withLoops(1);
    }

    @Test
    void aClientSendingHalfARequestDoesNotBlockOthers() throws Exception {
        try (var s = new TestServer(this::app, oneLoop());
                var slow = s.client();
                var fast = s.client()) {
            slow.send("GET /hello HTTP/1.1\r\nHo");
            s.await(TestServer.any(Phase.HEAD)); // the loop holds half a head
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(fast.send(GET).read().status()).isEqualTo(200);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(slow.send("st: x\r\n\r\n").read().bodyText()).isEqualTo("hello\n");
        }
    }

    @Test
    void aClientThatDoesNotReadDoesNotBlockOthers() throws Exception {
        try (var s = new TestServer(this::app, oneLoop());
                var stuck = s.client();
                var fast = s.client()) {
            stuck.socket.setReceiveBufferSize(4096);
            // 4 MiB responses that it never reads: the server's writes to it stall
            stuck.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".repeat(4));
            s.await(TestServer.any(Phase.WRITING)); // the socket is full: the server waits to write more
            for (int i = 0; i < 20; i++) {
                assertThat(fast.send(GET).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aSlowHandlerDoesNotBlockOthers() throws Exception {
        try (var s = new TestServer(this::app, oneLoop());
                var slow = s.client();
                var fast = s.client()) {
            slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // the slow handler holds on until released: the fast answer can only come past it
            assertThat(fast.send(GET).read().status()).isEqualTo(200);
            release.countDown();
            assertThat(slow.read().bodyText()).isEqualTo("slow\n");
        }
    }

    @Test
    void aThousandConcurrentKeepAliveConnections() throws Exception {
        int n = 1000;
        try (var s = new TestServer(this::app);
                var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var allOpen = new CountDownLatch(n);
            var served = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    try (var c = s.client()) {
                        assertThat(c.send(GET).read().status()).isEqualTo(200);
                        allOpen.countDown();
                        // every connection stays open until all thousand are: they are concurrent
                        assertThat(allOpen.await(60, TimeUnit.SECONDS)).isTrue();
                        assertThat(c.send(GET).read().status()).isEqualTo(200);
                        served.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(90, TimeUnit.SECONDS);
            }
            assertThat(served).hasValue(n);
        }
    }
}
