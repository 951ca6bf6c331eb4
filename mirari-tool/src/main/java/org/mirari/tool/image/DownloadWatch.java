package org.mirari.tool.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * A download made by another program ({@code apt-get download}), seen from outside: while it runs,
 * the bytes of the regular files in its directory (the file it writes, under whatever name) are
 * reported as {@link Event.Progress} against the size the package index gave, for a bar with
 * bytes, speed and time left. The program says nothing we could read while it works, and its
 * file's growth is what a user waits for.
 */
final class DownloadWatch implements AutoCloseable {
    /** Often enough for a bar that moves, rarely enough to cost nothing (renderers throttle anyway). */
    static final Duration EVERY = Duration.ofMillis(100);

    private final Path dir;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread watcher;

    private DownloadWatch(Path dir, long total, EventSink events, String step, String what) {
        this.dir = dir;
        this.watcher = Thread.ofVirtual().name("mirari-download-watch").start(() -> {
            try {
                watch(total, events, step, what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Starts watching {@code dir}.
     *
     * @param total the download's size in bytes, or -1 when the index does not say
     */
    static DownloadWatch start(Path dir, long total, EventSink events, String step, String what) {
        return new DownloadWatch(dir, total, events, step, what);
    }

    private void watch(long total, EventSink events, String step, String what) throws InterruptedException {
        long last = -1;
        boolean over;
        do {
            // Once more after the program ended: the bar's last figure is the whole file.
            over = done.await(EVERY.toMillis(), TimeUnit.MILLISECONDS);
            long now = bytes(dir);
            if (now != last) events.emit(new Event.Progress(step, what, now, total));
            last = now;
        } while (!over);
    }

    /** The bytes of the regular files in {@code dir} and one level below (apt's {@code partial/}). */
    static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.mapToLong(f -> {
                        try {
                            return Files.isRegularFile(f) ? Files.size(f) : 0;
                        } catch (IOException e) {
                            return 0; // renamed or removed while we looked
                        }
                    })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // the directory went (a failed download cleaned up): nothing to show
        }
    }

    /** Stops watching (the program ended); returns once no more events come. */
    @Override
    public void close() {
        done.countDown();
        try {
            watcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
