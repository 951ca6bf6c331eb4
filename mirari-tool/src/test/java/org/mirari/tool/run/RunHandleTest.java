package org.mirari.tool.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/** A run as a value a supervisor holds: started, ready, stopped, its exit code. Shell scripts stand in for apps. */
class RunHandleTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private RunSpec.Process process(String script, Optional<RunSpec.Listen> listen) {
        return new RunSpec.Process(
                new Launch(List.of("sh", "-c", script), Map.of(), dir, Optional.empty()), listen, false);
    }

    private static int freePort() throws Exception {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void readyWithItsAddressThenStoppedGracefully() throws Exception {
        int port = freePort();
        var events = new EventSink.Recording();
        var handle = RunHandle.create(
                        process(
                                "trap 'echo bye; exit 0' TERM; echo 'mirari-ready: listening url=http://127.0.0.1:"
                                        + port + "/ uptime_ms=5'; while :; do sleep 0.1; done",
                                Optional.of(new RunSpec.Listen("127.0.0.1", port))),
                        "t (--socket)",
                        events,
                        Host.bare(),
                        RunHandle.BeforeStart.NOTHING)
                .start();
        assertThat(handle.pid()).isPresent();
        assertThat(handle.awaitReady(WAIT))
                .isEqualTo(new RunHandle.Status.Ready(Optional.of("http://127.0.0.1:" + port + "/")));
        assertThat(handle.address()).contains("http://127.0.0.1:" + port + "/");
        handle.stop(Duration.ofSeconds(5));
        assertThat(handle.awaitExit()).isZero();
        assertThat(events.events())
                .contains(new Event.StepStarted("run", "t (--socket)"), new Event.AppOutput("bye", false));
        assertThat(handle.status()).isEqualTo(new RunHandle.Status.Exited(0));
    }

    @Test
    void anAppThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        var up = new java.util.concurrent.CountDownLatch(1);
        EventSink sink = e -> {
            if (e instanceof Event.AppOutput o && o.line().equals("up")) up.countDown();
        };
        var handle = RunHandle.create(
                        process("trap '' TERM; echo up; while :; do sleep 0.1; done", Optional.empty()),
                        "t",
                        sink,
                        Host.bare(),
                        RunHandle.BeforeStart.NOTHING)
                .start();
        // the script ignores SIGTERM once it says so
        assertThat(up.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        long pid = handle.pid().orElseThrow();
        long t0 = System.nanoTime();
        handle.stop(Duration.ofMillis(300));
        assertThat(handle.awaitExit()).isEqualTo(128 + 9);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WAIT);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
    }

    @Test
    void anAppWithoutAListenerIsReadyOnceStartedAndItsExitCodeIsKept() throws Exception {
        var handle = RunHandle.create(
                process("read line; exit 3", Optional.empty()),
                "t",
                EventSink.none(),
                Host.bare(),
                RunHandle.BeforeStart.NOTHING);
        // not started yet: nothing to wait for
        assertThat(handle.status()).isEqualTo(new RunHandle.Status.Starting());
        handle.start();
        assertThat(handle.awaitReady(WAIT)).isEqualTo(new RunHandle.Status.Ready(Optional.empty()));
        // stdin is inherited from the test JVM (no input): the script's read ends at once or waits; stop ends it anyway
        handle.stop(Duration.ofSeconds(2));
        int code = handle.awaitExit();
        assertThat(code).isIn(3, 143);
        assertThat(handle.awaitReady(WAIT)).isEqualTo(new RunHandle.Status.Exited(code));
    }

    @Test
    void anAppThatEndsBeforeItIsReadyEndsTheWait() throws Exception {
        int port = freePort();
        var handle = RunHandle.create(
                        process("echo starting; exit 4", Optional.of(new RunSpec.Listen("127.0.0.1", port))),
                        "t",
                        EventSink.none(),
                        Host.bare(),
                        RunHandle.BeforeStart.NOTHING)
                .start();
        assertThat(handle.awaitReady(WAIT)).isEqualTo(new RunHandle.Status.Exited(4));
        assertThat(handle.awaitExit()).isEqualTo(4);
    }

    @Test
    void aBusyPortFailsTheStartWithTheFix() throws Exception {
        try (var busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = busy.getLocalPort();
            var handle = RunHandle.create(
                    process("echo never", Optional.of(new RunSpec.Listen("127.0.0.1", port))),
                    "t",
                    EventSink.none(),
                    Host.bare(),
                    RunHandle.BeforeStart.NOTHING);
            assertThatThrownBy(handle::start)
                    .isInstanceOf(BackendException.class)
                    .hasMessageStartingWith("port " + port + " on 127.0.0.1 is already in use");
            assertThat(handle.status()).isInstanceOf(RunHandle.Status.Failed.class);
            assertThat(handle.awaitEnd(WAIT)).isTrue();
        }
    }

    @Test
    void aStopBeforeTheStartStartsNothing() throws Exception {
        var handle = RunHandle.create(
                process("echo started > started; sleep 60", Optional.empty()),
                "t",
                EventSink.none(),
                Host.bare(),
                RunHandle.BeforeStart.NOTHING);
        handle.stop(Duration.ofSeconds(1));
        handle.start();
        assertThat(handle.awaitExit()).isEqualTo(130);
        assertThat(dir.resolve("started")).doesNotExist();
    }
}
