package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/**
 * {@link ServerConfig.Handlers#AUTO}: handlers run on the event loop until one blocks; then the
 * loop is handed to a new thread, the blocked request still gets its answer, and every later
 * handler runs on a virtual thread. One loop, so that the blocked handler and the other
 * connections share it.
 */
class HandOffTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile boolean spin = true;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private Response app(Request r) throws Exception {
        String where = Thread.currentThread().isVirtual() ? "virtual\n" : "loop\n";
        switch (r.path()) {
            case "/wait" -> { // parked: the watchdog sees WAITING
                entered.countDown();
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            }
            case "/spin" -> { // runnable all along (as in a blocking socket read): only the budget tells
                entered.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (spin && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            default -> {}
        }
        return Response.ok(where);
    }

    private HttpServer start(MonotonicClock clock) throws Exception {
        return HttpServer.start(
                this::app,
                TestServer.config().withLoops(1).withHandlers(ServerConfig.Handlers.AUTO),
                clock,
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private static RawHttp client(HttpServer s) throws Exception {
        return new RawHttp(s.address());
    }

    @Test
    void handlersRunOnTheLoopUntilOneBlocks() throws Exception {
        var s = start(MonotonicClock.system());
        try (var c = client(s)) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                        .isEqualTo("loop\n");
            }
        } finally {
            s.shutdown(Duration.ofSeconds(2));
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aParkedHandlerIsHandedOffAndTheOthersAreServedMeanwhile() throws Exception {
        var s = start(MonotonicClock.system());
        try (var blocked = client(s);
                var other = client(s)) {
            // the connection's first request: the hand-off happens before the loop registered it
            blocked.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // answered by the new loop thread while the old one is still parked in /wait
            assertThat(other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("virtual\n");
            assertThat(release.getCount()).isEqualTo(1);
            release.countDown();
            assertThat(blocked.read().bodyText()).isEqualTo("loop\n");
            // the handed-off connection is registered and keeps serving, now on virtual threads
            assertThat(blocked.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("virtual\n");
        } finally {
            release.countDown();
            s.shutdown(Duration.ofSeconds(2));
        }
        assertThat(log.toString(StandardCharsets.UTF_8))
                .isEqualTo("mirari: a handler blocked its event loop (GET /wait); from now on every handler runs"
                        + " on a virtual thread (set -Dmirari.http.handlers=virtual to start that way)\n");
    }

    @Test
    void aHandlerRunningPastTheBudgetIsHandedOff() throws Exception {
        var clock = new VirtualClock();
        var s = start(clock);
        try (var busy = client(s);
                var other = client(s)) {
            assertThat(busy.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("loop\n");
            busy.send("GET /spin HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // not parked, so nothing happens until the budget (50 ms on the server's clock) is spent
            clock.advance(Duration.ofMillis(60));
            assertThat(other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("virtual\n");
            spin = false;
            assertThat(busy.read().bodyText()).isEqualTo("loop\n");
        } finally {
            spin = false;
            s.shutdown(Duration.ZERO);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("(GET /spin)");
    }

    @Test
    void shutdownWaitsForTheLoopOnItsNewThread() throws Exception {
        var s = start(MonotonicClock.system());
        try (var blocked = client(s)) {
            blocked.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            try (var other = client(s)) { // proves the hand-off happened
                assertThat(other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                                .read()
                                .bodyText())
                        .isEqualTo("virtual\n");
            }
            release.countDown();
            var r = blocked.read();
            assertThat(r.bodyText()).isEqualTo("loop\n");
            s.shutdown(Duration.ofSeconds(2));
            assertThat(s.connections()).isZero();
            assertThat(blocked.closedByServer()).isTrue();
        } finally {
            release.countDown();
        }
    }
}
