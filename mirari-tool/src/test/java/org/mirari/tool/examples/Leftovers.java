package org.mirari.tool.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an interrupted or failed command may leave behind, for tests that check it left nothing:
 * temporary files beside outputs, temporary paths in the cache, host tools still running. And
 * waits, with a deadline, for a path to appear while a command works, or for processes to end.
 */
final class Leftovers {
    /** The names of Mirari's temporary paths: beside outputs ({@code .x.tmp}, {@code .x.mirari-tmp}) and in the cache. */
    private static final Pattern TEMPORARY =
            Pattern.compile(".*\\.tmp|.*\\.mirari-tmp|\\.[a-z]+-\\d+\\.\\d+-[0-9a-f]{8}.*|.*\\.part");

    private Leftovers() {}

    static boolean isTemporary(Path p) {
        return TEMPORARY.matcher(p.getFileName().toString()).matches();
    }

    /** Every temporary path under {@code root} (a whole tree; nothing when it does not exist). */
    static List<Path> temporaries(Path root) {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Leftovers::isTemporary).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live processes whose command line mentions {@code text} (a test's own directory). */
    static List<String> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .filter(c -> c.contains(text))
                .toList();
    }

    /**
     * Waits, with a deadline, until no live process mentions {@code text}: on each one's exit, not by
     * polling. Returns the processes still alive at the deadline (none when all ended).
     */
    static List<String> awaitNoProcessMentioning(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var alive = ProcessHandle.allProcesses()
                    .filter(h -> h.info().commandLine().orElse("").contains(text))
                    .toList();
            if (alive.isEmpty()) return List.of();
            for (var h : alive) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return processesMentioning(text);
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    return processesMentioning(text);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return processesMentioning(text);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * Waits until {@code dir} holds an entry whose name matches {@code name}, while {@code run}
     * works; fails with the run's output when the time is up or the run ended first. The wait blocks
     * on inotify (a {@link WatchService} on {@code dir}, or on its nearest existing parent until
     * {@code dir} is made) and on the run's exit, which closes the watch; it never polls.
     */
    static Path await(Path dir, Pattern name, Duration timeout, MirariRun run) throws Exception {
        return await(dir, name, timeout, run.handle().onExit(), run::output);
    }

    /**
     * The same for any command: {@code ended} completes when it ends, and {@code output} says what
     * it printed, for the failure's message.
     */
    static Path await(Path dir, Pattern name, Duration timeout, CompletableFuture<?> ended, Supplier<String> output)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var watcher = dir.getFileSystem().newWatchService()) {
            ended.thenRun(() -> {
                try {
                    watcher.close();
                } catch (IOException e) {
                    // closed already
                }
            });
            Path watched = null;
            WatchKey key = null;
            try {
                while (true) {
                    var target = nearestExisting(dir);
                    if (!target.equals(watched) || !key.isValid()) {
                        if (key != null) key.cancel();
                        key = target.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
                        watched = target;
                        continue; // look again: the tree may have grown before the watch began
                    }
                    var found = find(dir, name);
                    if (found.isPresent()) return found.get();
                    long left = deadline - System.nanoTime();
                    if (left <= 0) break;
                    var events = watcher.poll(left, TimeUnit.NANOSECONDS);
                    if (events != null) {
                        events.pollEvents();
                        events.reset();
                    }
                }
            } catch (ClosedWatchServiceException e) {
                // the run ended: one last look below
            }
            var found = find(dir, name);
            if (found.isPresent()) return found.get();
            throw new AssertionError("no " + name + " in " + dir + " while mirari ran; output:\n" + output.get());
        }
    }

    private static Path nearestExisting(Path dir) {
        var p = dir.toAbsolutePath();
        while (!Files.isDirectory(p)) p = p.getParent();
        return p;
    }

    private static Optional<Path> find(Path dir, Pattern name) throws IOException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> name.matcher(p.getFileName().toString()).matches())
                    .findFirst();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty(); // removed meanwhile: the watch tells when it comes back
        }
    }
}
