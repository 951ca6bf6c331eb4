package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detached instances on {@code --unix}, each test in a network namespace of its own (the launcher
 * runs in it, so its taps are private to the test): the lifecycle, and a supervisor killed with
 * SIGKILL taking the app and its tap with it.
 */
class DetachedUnixIT {
    @TempDir
    Path dir;

    String ns, tap;
    Detached mirari;

    @BeforeEach
    void setUp() {
        String why = !"root".equals(System.getProperty("user.name"))
                ? "needs root for namespaces and taps"
                : !Files.isWritable(Path.of("/dev/net/tun")) ? "/dev/net/tun is not usable" : null;
        if (why != null) System.out.println("DetachedUnixIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        ns = "mirari-det-" + id;
        tap = "md" + id;
        assertThat(NoOrphansIT.exec("ip", "netns", "add", ns)).startsWith("0:");
        NoOrphansIT.exec("ip", "-n", ns, "link", "set", "lo", "up");
        mirari = new Detached(dir, dir.resolve("state"), List.of("ip", "netns", "exec", ns));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mirari != null) mirari.close();
        if (ns != null) NoOrphansIT.exec("ip", "netns", "del", ns);
    }

    boolean tapExists() {
        return NoOrphansIT.exec("ip", "-n", ns, "link", "show", tap).startsWith("0:");
    }

    @Test
    void theLifecycleOnUnixLeavesNoTap() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        var run = mirari.mirari("run", "-d", "--unix", "--tap", tap, "--name", "u1", app.toString());
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.lastLine()).isEqualTo("u1");
        var u1 = mirari.ps().get("u1");
        assertThat(u1).containsEntry("state", "running").containsEntry("backend", "unix");
        assertThat(u1.get("address")).startsWith("http://10.0.0.2:8080");
        assertThat(tapExists()).isTrue();
        assertThat(NoOrphansIT.exec("ip", "netns", "exec", ns, "curl", "-s", "-m", "5", "http://10.0.0.2:8080/"))
                .startsWith("0:Hello");
        assertThat(mirari.mirari("logs", "u1").output()).contains("created tap " + tap);
        var stop = mirari.mirari("stop", "u1");
        assertThat(stop.code()).as(stop.output()).isZero();
        assertThat(Detached.alive(u1.get("pid"))).isFalse();
        assertThat(tapExists()).as("the tap outlived stop").isFalse();
        assertThat(mirari.mirari("rm", "u1").code()).isZero();
        assertThat(mirari.exists("u1")).isFalse();
    }

    @Test
    void sigkillOfADetachedSupervisorOnUnixTakesTheAppAndTheTap() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        var run = mirari.mirari("run", "-d", "--unix", "--tap", tap, "--name", "k1", app.toString());
        assertThat(run.code()).as(run.output()).isZero();
        var k1 = mirari.ps().get("k1");
        var supervisor =
                ProcessHandle.of(Long.parseLong(k1.get("supervisorPid"))).orElseThrow();
        var appProcess = ProcessHandle.of(Long.parseLong(k1.get("pid"))).orElseThrow();
        assertThat(tapExists()).isTrue();
        supervisor.destroyForcibly(); // SIGKILL
        supervisor.onExit().get(10, TimeUnit.SECONDS);
        appProcess.onExit().get(5, TimeUnit.SECONDS);
        assertThat(appProcess.isAlive()).as("the app outlived its supervisor").isFalse();
        // The app made the tap transient once it had opened it: the kernel removed it with the app.
        assertThat(tapExists()).as("the tap outlived the app").isFalse();
        assertThat(mirari.ps().get("k1")).containsEntry("state", "lost");
        var rm = mirari.mirari("rm", "-f", "k1");
        assertThat(rm.code()).as(rm.output()).isZero();
        assertThat(mirari.exists("k1")).isFalse();
    }

    @Test
    void aTapLeftByAKilledRunIsNamedByPsAndRemovedByRmForce() throws Exception {
        // A run killed before its app opened the tap leaves it (with Mirari's alias): made here by hand.
        var app = MirariRun.copyExample("hello", dir);
        var run = mirari.mirari("run", "-d", "--unix", "--tap", tap, "--name", "k2", app.toString());
        assertThat(run.code()).as(run.output()).isZero();
        var k2 = mirari.ps().get("k2");
        var supervisor =
                ProcessHandle.of(Long.parseLong(k2.get("supervisorPid"))).orElseThrow();
        supervisor.destroyForcibly();
        supervisor.onExit().get(10, TimeUnit.SECONDS);
        ProcessHandle.of(Long.parseLong(k2.get("pid")))
                .ifPresent(p -> p.onExit().join());
        NoOrphansIT.exec("ip", "-n", ns, "tuntap", "add", "dev", tap, "mode", "tap");
        NoOrphansIT.exec("ip", "-n", ns, "link", "set", "dev", tap, "alias", "mirari-run");
        var ps = mirari.mirari("ps");
        assertThat(ps.output())
                .contains("k2: its supervisor is gone and left tap " + tap + "; mirari rm -f k2 removes it");
        assertThat(mirari.mirari("rm", "-f", "k2").code()).isZero();
        assertThat(tapExists()).isFalse();
    }
}
