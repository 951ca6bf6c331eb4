package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/** A file growing in the watched directory is a bar that follows it, ending at its whole size. */
class DownloadWatchTest {
    @TempDir
    Path dir;

    final EventSink.Recording events = new EventSink.Recording();

    void await(long done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (events.events().stream().noneMatch(e -> e instanceof Event.Progress p && p.done() == done)) {
            assertThat(System.nanoTime())
                    .as("no progress at " + done + ": " + events.events())
                    .isLessThan(deadline);
            synchronized (this) {
                wait(10); // the watcher polls the directory; so does the test, for its events
            }
        }
    }

    @Test
    void followsTheFileUnderAnyNameAndBelowPartial() throws Exception {
        var partial = Files.createDirectories(dir.resolve("partial"));
        try (var watch = DownloadWatch.start(dir, 3000, events, "image", "kernel x")) {
            Files.write(partial.resolve("x.deb"), new byte[1000]);
            await(1000);
            Files.write(partial.resolve("x.deb"), new byte[2000], StandardOpenOption.APPEND);
            await(3000);
        }
        var figures =
                events.events().stream().map(e -> ((Event.Progress) e).done()).toList();
        assertThat(figures).isSorted().endsWith(3000L);
        assertThat(events.events())
                .allMatch(e -> e.equals(new Event.Progress("image", "kernel x", ((Event.Progress) e).done(), 3000)));
    }

    @Test
    void aDirectoryThatWentIsNoBytes() {
        assertThat(DownloadWatch.bytes(dir.resolve("gone"))).isZero();
    }
}
