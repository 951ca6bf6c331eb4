package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detached instances on {@code --socket} through the real launcher: the whole lifecycle with nothing
 * left behind, two instances of one app at once, restart policies on an app that fails, and a
 * supervisor killed with SIGKILL. The two apps are built once for the class (each test has its own
 * state directory): a detached run of a built app only runs it.
 */
class DetachedIT {
    static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    static Path apps;

    static Path hello, fails;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTheApps() throws Exception {
        hello = MirariRun.copyExample("hello", apps);
        fails = MirariRun.noipApp(apps, "fails", "", """
                final class Fails {
                    static void main() {
                        System.out.println("fails: started");
                        System.exit(1);
                    }
                }
                """);
        for (var app : List.of(hello, fails)) {
            try (var build = MirariRun.start(apps, Map.of(), "build", "-q", app.toString())) {
                assertThat(build.exitCode(Detached.COMMAND)).as(build.output()).isZero();
            }
        }
    }

    Detached mirari;

    @BeforeEach
    void setUp() {
        mirari = new Detached(dir, dir.resolve("state"), List.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        mirari.close();
    }

    @Test
    void aDetachedHelloIsReadyListedLoggedStoppedAndRemovedWithNothingLeft() throws Exception {
        var app = hello;
        int port = MirariRun.freePort();
        var run = mirari.mirari("run", "-d", "--name", "h1", "--set", "http-port=" + port, app.toString());
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.lastLine()).isEqualTo("h1");
        assertThat(run.output()).contains("mirari: ready: listening http://127.0.0.1:" + port + "/");

        var h1 = mirari.ps().get("h1");
        assertThat(h1)
                .containsEntry("state", "running")
                .containsEntry("backend", "socket")
                .containsEntry("app", "hello")
                .containsEntry("address", "http://127.0.0.1:" + port + "/")
                .containsEntry("restarts", "0");
        String appPid = h1.get("pid"), supervisorPid = h1.get("supervisorPid");
        assertThat(Detached.alive(appPid)).isTrue();
        assertThat(NoOrphansIT.answers("127.0.0.1", port)).isTrue();
        var ps = mirari.mirari("ps");
        assertThat(ps.output())
                .containsPattern("(?m)^h1 +hello +socket +running +http://127.0.0.1:" + port + "/ +\\d+s +0$");

        var logs = mirari.mirari("logs", "h1");
        assertThat(logs.code()).isZero();
        assertThat(logs.output())
                .contains("mirari: run: hello (--socket)", "ready: listening http://127.0.0.1:" + port + "/");
        assertThat(mirari.mirari("logs", "--tail", "1", "h1").output().strip().lines())
                .hasSize(1);

        var stop = mirari.mirari("stop", "h1");
        assertThat(stop.code()).as(stop.output()).isZero();
        assertThat(stop.lastLine()).isEqualTo("h1");
        assertThat(mirari.ps().get("h1")).containsEntry("state", "exited").containsEntry("message", "stopped");
        assertThat(mirari.mirari("ps").output()).doesNotContain("h1 ");
        assertThat(Detached.alive(appPid)).as("the app outlived stop").isFalse();
        assertThat(Detached.alive(supervisorPid))
                .as("the supervisor outlived stop")
                .isFalse();
        assertThat(NoOrphansIT.answers("127.0.0.1", port)).isFalse();

        var rm = mirari.mirari("rm", "h1");
        assertThat(rm.code()).as(rm.output()).isZero();
        assertThat(mirari.exists("h1")).isFalse();
        assertThat(mirari.ps()).doesNotContainKey("h1");
        assertThat(mirari.mirari("logs", "h1").code()).isEqualTo(2);
    }

    @Test
    void twoInstancesOfOneAppRunAtOnceOnTheirOwnPorts() throws Exception {
        var app = hello;
        int p1 = MirariRun.freePort(), p2 = MirariRun.freePort();
        var a = mirari.mirari("run", "-d", "--set", "http-port=" + p1, app.toString());
        var b = mirari.mirari("run", "-d", "--set", "http-port=" + p2, app.toString());
        assertThat(a.code()).as(a.output()).isZero();
        assertThat(b.code()).as(b.output()).isZero();
        assertThat(a.lastLine()).isEqualTo("hello");
        assertThat(b.lastLine()).isEqualTo("hello-2");
        assertThat(NoOrphansIT.answers("127.0.0.1", p1)).isTrue();
        assertThat(NoOrphansIT.answers("127.0.0.1", p2)).isTrue();
        var ps = mirari.ps();
        assertThat(ps.get("hello")).containsEntry("address", "http://127.0.0.1:" + p1 + "/");
        assertThat(ps.get("hello-2")).containsEntry("address", "http://127.0.0.1:" + p2 + "/");
        // a name is unique
        var again = mirari.mirari("run", "-d", "--name", "hello", "--set", "http-port=" + p2, app.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.output()).contains("mirari: the name hello is in use by an instance (running)");

        var stop = mirari.mirari("stop", "--all", "--timeout", "5");
        assertThat(stop.code()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("hello\n", "hello-2");
        assertThat(NoOrphansIT.answers("127.0.0.1", p1)).isFalse();
        assertThat(NoOrphansIT.answers("127.0.0.1", p2)).isFalse();
        assertThat(mirari.mirari("rm", "hello", "hello-2").code()).isZero();
        assertThat(mirari.ps()).isEmpty();
    }

    @Test
    void anAppThatExits1IsRestartedWithBackoffUnderOnFailure3ThenCrashed() throws Exception {
        var app = fails;
        var run = mirari.mirari("run", "-d", "--restart", "on-failure:3", app.toString());
        assertThat(run.lastLine()).as(run.output()).isEqualTo("fails");
        var end = mirari.await("fails", Detached.state("crashed"), SETTLE);
        assertThat(end).containsEntry("restarts", "3").containsEntry("exitCode", "1");
        assertThat(end.get("message")).contains("gave up (--restart on-failure:3)");
        var logs = mirari.mirari("logs", "fails").output();
        assertThat(logs.lines().filter(l -> l.equals("fails: started"))).hasSize(4);
        assertThat(logs)
                .contains("restarting in 0.2 s", "restarting in 0.4 s", "restarting in 0.8 s")
                .doesNotContain("restarting in 1.6 s");
        assertThat(mirari.mirari("ps", "-a").output())
                .containsPattern("(?m)^fails +fails +socket +crashed \\(1\\) +- +- +3$");
        assertThat(mirari.mirari("rm", "fails").code()).isZero();
    }

    @Test
    void anAppThatExits1IsNotRestartedUnderNo() throws Exception {
        var app = fails;
        var run = mirari.mirari("run", "-d", "--restart", "no", app.toString());
        assertThat(run.lastLine()).as(run.output()).isEqualTo("fails");
        var end = mirari.await("fails", Detached.state("exited"), SETTLE);
        assertThat(end).containsEntry("restarts", "0").containsEntry("exitCode", "1");
        assertThat(mirari.mirari("logs", "fails").output().lines().filter(l -> l.equals("fails: started")))
                .hasSize(1);
        assertThat(mirari.mirari("rm", "fails").code()).isZero();
    }

    @Test
    void sigkillOfADetachedSupervisorTakesTheAppWithItAndRmForceCleansUp() throws Exception {
        var app = hello;
        int port = MirariRun.freePort();
        var run = mirari.mirari("run", "-d", "--name", "k1", "--set", "http-port=" + port, app.toString());
        assertThat(run.code()).as(run.output()).isZero();
        var k1 = mirari.ps().get("k1");
        var supervisor =
                ProcessHandle.of(Long.parseLong(k1.get("supervisorPid"))).orElseThrow();
        var appProcess = ProcessHandle.of(Long.parseLong(k1.get("pid"))).orElseThrow();
        supervisor.destroyForcibly(); // SIGKILL
        supervisor.onExit().get(10, TimeUnit.SECONDS);
        appProcess.onExit().get(5, TimeUnit.SECONDS);
        assertThat(appProcess.isAlive()).as("the app outlived its supervisor").isFalse();
        assertThat(NoOrphansIT.answers("127.0.0.1", port)).isFalse();
        assertThat(mirari.ps().get("k1")).containsEntry("state", "lost");
        assertThat(mirari.mirari("ps").output()).containsPattern("(?m)^k1 +hello +socket +lost ");
        var rm = mirari.mirari("rm", "-f", "k1");
        assertThat(rm.code()).as(rm.output()).isZero();
        assertThat(mirari.exists("k1")).isFalse();
    }

    @Test
    void unknownNamesAndMisuseAreUsageErrors() throws Exception {
        assertThat(mirari.mirari("stop", "nope").output())
                .contains("mirari: no instance called nope; mirari ps -a lists them");
        assertThat(mirari.mirari("stop", "nope").code()).isEqualTo(2);
        assertThat(mirari.mirari("rm", "nope").code()).isEqualTo(2);
        var bad = mirari.mirari("run", "-d", "--restart", "sometimes", hello.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.output()).contains("--restart \"sometimes\" is not a policy; use no, on-failure[:N] or always");
    }
}
