package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app on a small tmpfs that is full: configure through the real launcher fails with exit 6
 * naming the file and its directory, leaves no temporary file, and keeps what it wrote before.
 * Needs root (to mount); skipped with the reason otherwise.
 */
class FullDiskIT {
    @TempDir
    Path dir;

    Path small;
    boolean mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            var p = new ProcessBuilder("umount", small.toString()).inheritIO().start();
            assertThat(p.waitFor()).as("umount " + small).isZero();
        }
    }

    @Test
    void aFullDiskIsNamedAndNothingEarlierIsLost() throws Exception {
        String why = !"root".equals(System.getProperty("user.name")) ? "only root can mount a tmpfs" : null;
        if (why != null) System.out.println("FullDiskIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        small = Files.createDirectories(dir.resolve("small"));
        var mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString())
                .inheritIO()
                .start();
        assertThat(mount.waitFor()).as("mount a tmpfs").isZero();
        mounted = true;

        var app = MirariRun.copyExample("hello", small);
        var env = Map.of("HOME", Files.createDirectories(dir.resolve("home")).toString());
        try (var first = MirariRun.start(dir, env, "configure", "-q", app.toString())) {
            assertThat(first.exitCode(Duration.ofMinutes(3))).as(first.output()).isZero();
        }
        var main = Files.readString(app.resolve("Main.java"));
        Files.writeString(
                app.resolve("hello.conf"),
                Files.readString(app.resolve("hello.conf")).replace("http-port: 8080", "http-port: 8081"));
        fill(small.resolve("filler"));

        try (var run = MirariRun.start(dir, env, "configure", "-q", app.toString())) {
            assertThat(run.exitCode(Duration.ofMinutes(3))).as(run.output()).isEqualTo(6);
            assertThat(run.output())
                    .isEqualTo("mirari: cannot write small/hello/Main.java in " + app
                            + " (no space left on device); free some space on that file system; nothing was changed");
        }
        assertThat(Files.readString(app.resolve("Main.java"))).isEqualTo(main);
        try (Stream<Path> all = Files.walk(app)) {
            List<Path> temporaries =
                    all.filter(p -> p.getFileName().toString().endsWith("tmp")).toList();
            assertThat(temporaries).as("temporary files left").isEmpty();
        }
    }

    /** Writes {@code file} until the file system has no space left, to the last byte. */
    private static void fill(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int size : new int[] {64 * 1024, 4096, 1}) {
                var chunk = new byte[size];
                try {
                    while (true) out.write(chunk);
                } catch (IOException e) {
                    if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
                }
            }
        }
    }
}
