package org.mirari.tool.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

class AppProcessTest {
    @TempDir
    Path dir;

    private Launch sh(String script) {
        return new Launch(List.of("sh", "-c", script), Map.of("GREETING", "hi"), dir, Optional.empty());
    }

    @Test
    void streamsOutputReportsReadinessAndReturnsTheExitCode() throws Exception {
        var events = new EventSink.Recording();
        int code = new AppProcess(
                        sh(
                                "echo $GREETING; echo oops >&2; echo 'mirari-ready: listening url=http://127.0.0.1:8080/ uptime_ms=5'; exit 3"),
                        events,
                        "*",
                        8080)
                .run();
        assertThat(code).isEqualTo(3);
        assertThat(events.events()).contains(new Event.AppOutput("hi", false), new Event.AppOutput("oops", true));
        assertThat(events.events())
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.Ready.class, r -> assertThat(r.detail())
                        .isEqualTo("http://127.0.0.1:8080/")));
        assertThat(events.events()).noneSatisfy(e -> assertThat(e)
                .isEqualTo(
                        new Event.AppOutput("mirari-ready: listening url=http://127.0.0.1:8080/ uptime_ms=5", false)));
    }

    @Test
    void anAppThatCannotBindIsABackendFailureWithTheFix() {
        var launch =
                sh("echo 'Exception in thread \"main\" java.net.BindException: Address already in use' >&2; exit 1");
        assertThatThrownBy(() -> new AppProcess(launch, EventSink.none(), "127.0.0.1", 8080).run())
                .isInstanceOf(BackendException.class)
                .message()
                .startsWith(
                        "port 8080 on 127.0.0.1 is already in use (Address already in use); stop what listens there");
    }

    @Test
    void otherFailuresAreTheAppsExitCode() throws Exception {
        assertThat(new AppProcess(
                                sh("echo 'java.lang.IllegalStateException: boom' >&2; exit 1"),
                                EventSink.none(),
                                "*",
                                8080)
                        .run())
                .isEqualTo(1);
    }

    @Test
    void childrenOfTheAppDoNotOutliveIt() throws Exception {
        var pid = new AtomicReference<Long>();
        EventSink sink = e -> {
            if (e instanceof Event.AppOutput o && o.line().startsWith("child "))
                pid.set(Long.parseLong(o.line().substring(6)));
        };
        new AppProcess(sh("sleep 60 & echo child $!; sleep 0.5; exit 0"), sink, "*", 0).run();
        var child = ProcessHandle.of(pid.get());
        if (child.isPresent()) child.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
    }

    @Test
    void recognisesBindFailuresAndAotChatter() {
        var why = new AtomicReference<String>();
        AppProcess.noteBindFailure("java.net.SocketException: Permission denied", why);
        assertThat(why.get()).isEqualTo("Permission denied");
        assertThat(AppProcess.isAotChatter("AOTCache creation is complete: app.aot 15839232 bytes"))
                .isTrue();
        assertThat(AppProcess.isAotChatter(
                        "[1.730s][warning][aot] Skipping jdk/internal/event/Event: Not in loaded state"))
                .isTrue();
        assertThat(AppProcess.isAotChatter("hello")).isFalse();
    }
}
