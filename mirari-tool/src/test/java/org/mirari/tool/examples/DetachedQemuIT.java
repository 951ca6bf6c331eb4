package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.vm.BuiltOnce;

/** The detached lifecycle on {@code --qemu} (TCG here): one boot, of the image built once for the ITs. */
class DetachedQemuIT {
    @TempDir
    Path dir;

    Detached mirari;

    @AfterEach
    void tearDown() throws Exception {
        if (mirari != null) mirari.close();
    }

    @Test
    void theLifecycleOnQemu() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86_64 is not installed");
        mirari = new Detached(dir, dir.resolve("state"), List.of());
        var app = BuiltOnce.example("hello", "qemu");
        int port = MirariRun.freePort();
        var run = mirari.mirari(
                "run", "-d", "--qemu", "--name", "q1", "-p", "127.0.0.1:" + port + ":8080", app.toString());
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.lastLine()).isEqualTo("q1");
        var q1 = mirari.ps().get("q1");
        assertThat(q1).containsEntry("state", "running").containsEntry("backend", "qemu");
        assertThat(q1.get("address")).isEqualTo("http://127.0.0.1:" + port + "/");
        assertThat(NoOrphansIT.answers("127.0.0.1", port)).isTrue();
        assertThat(mirari.mirari("logs", "q1").output()).contains("booting: QEMU");
        var stop = mirari.mirari("stop", "q1");
        assertThat(stop.code()).as(stop.output()).isZero();
        assertThat(Detached.alive(q1.get("pid"))).as("QEMU outlived stop").isFalse();
        assertThat(NoOrphansIT.answers("127.0.0.1", port)).isFalse();
        assertThat(mirari.mirari("rm", "q1").code()).isZero();
        assertThat(mirari.exists("q1")).isFalse();
    }
}
