package org.mirari.tool.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/** The supervisor's restart loop on shell scripts standing in for apps. */
class SupervisorTest {
    @TempDir
    Path dir;

    private Status supervise(String script, String policy, EventSink.Recording events) throws Exception {
        var d = Files.createDirectories(dir.resolve("i"));
        var instance =
                new Instance(d, "i", "app", "app.conf", "socket", dir, List.of(), RestartPolicy.parse(policy), 0);
        var spec = new RunSpec.Process(
                new Launch(List.of("sh", "-c", script), Map.of(), dir, Optional.empty()), Optional.empty(), false);
        assertThat(new Supervisor(instance, spec, "app (--socket)", events, Host.bare()).run())
                .isZero();
        return instance.status();
    }

    @Test
    void quickFailuresAreRestartedWithBackoffUntilTheLimitThenCrashed() throws Exception {
        var events = new EventSink.Recording();
        var s = supervise("echo run; exit 3", "on-failure:2", events);
        assertThat(s.state()).isEqualTo(State.CRASHED);
        assertThat(s.restarts()).isEqualTo(2);
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.message())
                .isEqualTo(
                        "exited with 3 after 2 restarts: 3 quick failures in a row (each under 10 s); gave up (--restart on-failure:2)");
        assertThat(events.events().stream().filter(e -> e.equals(new Event.AppOutput("run", false))))
                .hasSize(3);
        assertThat(events.events())
                .contains(
                        new Event.Info("exited with 3; restarting in 0.2 s (--restart on-failure:2)"),
                        new Event.Info("exited with 3; restarting in 0.4 s (--restart on-failure:2)"));
    }

    @Test
    void aCleanExitIsNotAFailure() throws Exception {
        var s = supervise("exit 0", "on-failure", new EventSink.Recording());
        assertThat(s.state()).isEqualTo(State.EXITED);
        assertThat(s.exitCode()).isZero();
        assertThat(s.restarts()).isZero();
    }

    @Test
    void underNoAFailureIsKeptAsItsExitCode() throws Exception {
        var s = supervise("exit 1", "no", new EventSink.Recording());
        assertThat(s.state()).isEqualTo(State.EXITED);
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(s.restarts()).isZero();
        assertThat(s.supervisorPid()).isEqualTo(ProcessHandle.current().pid());
    }
}
