package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/**
 * Every timeout of the server (idle, head, body, write, linger, drain) on a virtual clock: the
 * test moves the clock to just before the limit (nothing happens), then to the limit (the
 * connection is answered or closed). Real sockets, no waiting on real time.
 */
class HttpTimeoutsTest {
    private static final String GET = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final Duration HEAD = Duration.ofSeconds(10);
    private static final Duration BODY = Duration.ofSeconds(20);
    private static final Duration WRITE = Duration.ofSeconds(30);
    private static final Duration MS = Duration.ofMillis(1);

    private final VirtualClock clock = new VirtualClock();
    private final CountDownLatch release = new CountDownLatch(1);

    private Response app(Request r) throws Exception {
        return switch (r.path()) {
            case "/blocked" -> {
                release.await();
                yield Response.ok("released\n");
            }
            case "/big" -> Response.bytes(200, "application/octet-stream", new byte[4 << 20]);
            default -> Response.ok("hello\n");
        };
    }

    private TestServer server() throws IOException {
        var config = TestServer.config().withLoops(1).withTimeouts(IDLE, HEAD, BODY, WRITE);
        return new TestServer(this::app, config, clock);
    }

    /** Waits (real time, bounded) until the listening socket is gone. */
    private static void awaitRefused(TestServer s) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (var probe = new RawHttp(s.address())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the server still accepts connections");
                }
            } catch (ConnectException refused) {
                return;
            } catch (java.net.SocketException reset) {
                // A probe that reached the backlog just as the listener closed is reset, not
                // refused: the listener is going, and the next probe sees it gone.
            }
            Thread.onSpinWait();
        }
    }

    private static Predicate<List<Connection.State>> only(Phase phase) {
        return l -> l.size() == 1 && l.getFirst().phase() == phase;
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtTheIdleTimeout() throws Exception {
        try (var s = server();
                var c = s.client()) {
            assertThat(c.send(GET).read().status()).isEqualTo(200);
            s.await(only(Phase.IDLE));
            clock.advance(IDLE.minus(MS));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.IDLE);
            clock.advance(MS);
            assertThat(s.server.sweep()).isEmpty();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aHeadMustArriveWholeWithinTheHeadTimeoutFromItsFirstByte() throws Exception {
        try (var s = server();
                var c = s.client()) {
            c.send("GET /hello HTTP/1.1\r\n");
            s.await(only(Phase.HEAD));
            clock.advance(HEAD.dividedBy(2));
            c.send("Host: x\r\n"); // progress does not restart the head timeout (slowloris)
            clock.advance(HEAD.dividedBy(2).minus(MS));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.HEAD);
            clock.advance(MS);
            s.server.sweep();
            var r = c.read();
            assertThat(r.head()).startsWith("HTTP/1.1 408 Request Timeout\r\n");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).isEqualTo("Request Timeout: request head not received within 10000 ms\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aBodyMustMakeProgressWithinTheBodyTimeout() throws Exception {
        try (var s = server();
                var c = s.client()) {
            c.send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            long start = s.await(only(Phase.BODY)).getFirst().since();
            clock.advance(BODY.minus(MS));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.BODY);
            c.send("def"); // progress restarts the body timeout
            long progressed = start + BODY.minus(MS).toMillis();
            s.await(l -> l.size() == 1 && l.getFirst().since() == progressed);
            clock.advance(BODY.minus(MS));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.BODY);
            clock.advance(MS);
            s.server.sweep();
            var r = c.read();
            assertThat(r.head()).startsWith("HTTP/1.1 408 Request Timeout\r\n");
            assertThat(r.bodyText()).isEqualTo("Request Timeout: request body made no progress for 20000 ms\n");
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAtTheWriteTimeout() throws Exception {
        try (var s = server();
                var c = s.client()) {
            c.socket.setReceiveBufferSize(4096);
            // 4 x 4 MiB that the client never reads: more than the kernel buffers, so the writes stall
            c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".repeat(4));
            s.await(only(Phase.WRITING));
            clock.advance(WRITE.minus(MS));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.WRITING);
            clock.advance(MS);
            assertThat(s.server.sweep()).isEmpty();
            assertThat(s.server.connections()).isZero();
        }
    }

    @Test
    void aRejectedRequestLingersTwoSecondsForTheClientToRead() throws Exception {
        try (var s = server();
                var c = s.client()) {
            c.send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nsome of the body");
            assertThat(c.read().status()).isEqualTo(413);
            s.await(only(Phase.LINGERING));
            clock.advance(Duration.ofMillis(1999));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.LINGERING);
            clock.advance(MS);
            assertThat(s.server.sweep()).isEmpty();
        }
    }

    @Test
    void aHandlerRunningHasNoTimeout() throws Exception {
        try (var s = server();
                var c = s.client()) {
            c.send("GET /blocked HTTP/1.1\r\nHost: x\r\n\r\n");
            s.await(only(Phase.HANDLING));
            clock.advance(IDLE.plus(WRITE).plus(HEAD));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.HANDLING);
            release.countDown();
            assertThat(c.read().bodyText()).isEqualTo("released\n");
        }
    }

    @Test
    void shutdownClosesIdleConnectionsFinishesRequestsInFlightAndStopsAtTheGraceDeadline() throws Exception {
        var s = server();
        try (var busy = s.client();
                var idle = s.client();
                var late = s.client()) {
            assertThat(idle.send(GET).read().status()).isEqualTo(200);
            late.send("GET /blocked HTTP/1.1\r\nHost: x\r\n\r\n");
            s.await(l -> l.stream().filter(st -> st.phase() == Phase.HANDLING).count() == 1 && l.size() == 3);
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    s.server.shutdown(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(idle.closedByServer()).isTrue();
            assertThat(busy.closedByServer()).isTrue(); // it had sent nothing: idle too
            assertThatThrownBy(() -> s.client().send(GET).read()).isInstanceOf(IOException.class);
            clock.advance(Duration.ofSeconds(10).minus(MS));
            assertThat(s.server.sweep()).extracting(Connection.State::phase).containsExactly(Phase.HANDLING);
            assertThat(stopper.isAlive()).isTrue();
            clock.advance(MS);
            s.server.sweep();
            stopper.join(10_000);
            assertThat(stopper.isAlive()).isFalse();
            assertThat(late.closedByServer()).isTrue(); // cut off at the deadline
        } finally {
            release.countDown();
        }
        assertThatThrownBy(() -> new RawHttp(s.address())).isInstanceOf(ConnectException.class);
    }

    @Test
    void aRequestInFlightAtShutdownIsAnsweredWithConnectionClose() throws Exception {
        var s = server();
        try (var c = s.client()) {
            c.send("GET /blocked HTTP/1.1\r\nHost: x\r\n\r\n");
            s.await(only(Phase.HANDLING));
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    s.server.shutdown(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            awaitRefused(s); // the server is draining
            release.countDown();
            var r = c.read();
            assertThat(r.bodyText()).isEqualTo("released\n");
            assertThat(r.header("Connection")).isEqualTo("close");
            stopper.join(10_000);
            assertThat(stopper.isAlive()).isFalse();
        }
    }
}
