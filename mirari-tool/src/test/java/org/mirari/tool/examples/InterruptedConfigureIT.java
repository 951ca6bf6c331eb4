package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C while configure packs an {@code fs-*} tree: the real launcher exits 130 and leaves no
 * temporary file and no partial pack; what an earlier configure wrote is intact.
 */
class InterruptedConfigureIT {
    @TempDir
    Path dir;

    @Test
    void ctrlCWhilePackingLeavesNoTemporaryFileAndTheEarlierPack() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        var files = Files.createDirectories(app.resolve("files"));
        Files.writeString(files.resolve("index.html"), "<h1>hi</h1>\n");
        Files.writeString(
                app.resolve("hello.conf"), Files.readString(app.resolve("hello.conf")) + "fs-static: files\n");
        try (var first = MirariRun.start(dir, Map.of(), "configure", "-q", app.toString())) {
            assertThat(first.exitCode(Duration.ofMinutes(3))).as(first.output()).isZero();
        }
        var pack = app.resolve(".mirari/kv/static.kv");
        var before = Files.readAllBytes(pack);
        var main = Files.readString(app.resolve("Main.java"));

        // A large (sparse) file keeps the packer busy long enough to be interrupted mid-pack.
        try (var big = new RandomAccessFile(files.resolve("big.bin").toFile(), "rw")) {
            big.setLength(1L << 30);
        }
        var kv = app.resolve(".mirari/kv");
        try (var watch = kv.getFileSystem().newWatchService();
                var run = MirariRun.start(dir, Map.of(), "configure", "-q", app.toString())) {
            kv.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            boolean seen = false;
            while (!seen) {
                var key = watch.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (key != null) {
                    seen = key.pollEvents().stream()
                            .anyMatch(e -> e.context().toString().endsWith(".tmp"));
                    key.reset();
                }
                if (!seen && (System.nanoTime() > deadline || !run.handle().isAlive()))
                    throw new AssertionError("the pack's temporary file never appeared; output:\n" + run.output());
            }
            run.signal("INT");
            assertThat(run.exitCode(Duration.ofMinutes(1))).as(run.output()).isEqualTo(130);
        }
        assertThat(Leftovers.temporaries(app)).as("temporary files left").isEmpty();
        assertThat(Files.readAllBytes(pack)).as("the earlier pack").isEqualTo(before);
        assertThat(Files.readString(app.resolve("Main.java"))).isEqualTo(main);
    }
}
