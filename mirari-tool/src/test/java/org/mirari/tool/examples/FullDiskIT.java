package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small tmpfs that is full, under each step that writes: configure, the package step of a build,
 * and the image step (its cache). The real launcher fails with exit 6 naming the file or directory
 * and what to do, leaves no temporary file, and keeps what it wrote before. Needs root (to mount);
 * skipped with the reason otherwise.
 */
class FullDiskIT {
    static final Duration TIME = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    Path small;
    boolean mounted;
    Map<String, String> env;

    @BeforeEach
    void mount() throws Exception {
        String why = !"root".equals(System.getProperty("user.name")) ? "only root can mount a tmpfs" : null;
        if (why != null) System.out.println("FullDiskIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        small = Files.createDirectories(dir.resolve("small"));
        var mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString())
                .inheritIO()
                .start();
        assertThat(mount.waitFor()).as("mount a tmpfs").isZero();
        mounted = true;
        env = Map.of("HOME", Files.createDirectories(dir.resolve("home")).toString());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            var p = new ProcessBuilder("umount", small.toString()).inheritIO().start();
            assertThat(p.waitFor()).as("umount " + small).isZero();
        }
    }

    private int mirari(Map<String, String> env, String expectedOutput, String... args) throws Exception {
        try (var run = MirariRun.start(dir, env, args)) {
            int code = run.exitCode(TIME);
            if (expectedOutput != null) assertThat(run.output()).isEqualTo(expectedOutput);
            else assertThat(code).as(run.output()).isZero();
            return code;
        }
    }

    @Test
    void aFullDiskWhileConfiguringIsNamedAndNothingEarlierIsLost() throws Exception {
        var app = MirariRun.copyExample("hello", small);
        mirari(env, null, "configure", "-q", app.toString());
        var main = Files.readString(app.resolve("Main.java"));
        Files.writeString(
                app.resolve("hello.conf"),
                Files.readString(app.resolve("hello.conf")).replace("http-port: 8080", "http-port: 8081"));
        fill(small.resolve("filler"));

        int code = mirari(
                env,
                "mirari: cannot write small/hello/Main.java in " + app
                        + " (no space left on device); free some space on that file system; nothing was changed",
                "configure",
                "-q",
                app.toString());
        assertThat(code).isEqualTo(6);
        assertThat(Files.readString(app.resolve("Main.java"))).isEqualTo(main);
        assertThat(Leftovers.temporaries(app)).as("temporary files left").isEmpty();
    }

    @Test
    void aFullDiskWhilePackagingIsNamedAndTheEarlierBuildKept() throws Exception {
        var app = MirariRun.copyExample("hello", small);
        mirari(env, null, "build", "-q", app.toString());
        var jar = app.resolve(".mirari/socket/hello.jar");
        var before = Files.readAllBytes(jar);
        Files.writeString(
                app.resolve("Hello.java"),
                Files.readString(app.resolve("Hello.java")).replace("class Hello", "class Hello /* changed */"));
        fill(small.resolve("filler"));

        int code = mirari(
                env,
                "mirari: cannot write .mirari/socket/hello.jar in " + app.resolve(".mirari/socket")
                        + " (no space left on device); free some space on that file system; the earlier build is"
                        + " unchanged",
                "build",
                "-q",
                app.toString());
        assertThat(code).isEqualTo(6);
        assertThat(Files.readAllBytes(jar)).as("the earlier jar").isEqualTo(before);
        assertThat(Leftovers.temporaries(app)).as("temporary files left").isEmpty();
    }

    @Test
    void aFullCacheDiskWhileMakingTheImageIsNamedWithHowToMoveTheCache() throws Exception {
        var app = MirariRun.tinyVmApp(dir);
        var cache = small.resolve("cache");
        fill(small.resolve("filler"));

        var withCache = Map.of("HOME", env.get("HOME"), "MIRARI_CACHE", cache.toString());
        int code = mirari(
                withCache,
                "mirari: cannot write the cache in " + cache.resolve("kernels") + " (no space left on device); free"
                        + " some space on that file system, or set MIRARI_CACHE (or XDG_CACHE_HOME) to a directory on"
                        + " another one; the earlier image is unchanged",
                "build",
                "-q",
                "--qemu",
                app.toString());
        assertThat(code).isEqualTo(6);
        assertThat(Leftovers.temporaries(cache))
                .as("temporary paths in the cache")
                .isEmpty();
        assertThat(app.resolve("mir-tiny.initrd")).doesNotExist();
        assertThat(Leftovers.temporaries(app)).as("temporary files in the app").isEmpty();
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
