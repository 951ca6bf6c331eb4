package org.mirari.tool.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an interrupted or failed command may leave behind, for tests that check it left nothing:
 * temporary files beside outputs, temporary paths in the cache, host tools still running. And
 * waits, with a deadline, for a path to appear while a command works.
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

    /** Kills what {@link #processesMentioning} finds, as a machine that kills a whole process group would. */
    static void killProcessesMentioning(String text) throws InterruptedException {
        var handles = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(text))
                .toList();
        handles.forEach(ProcessHandle::destroyForcibly);
        for (var h : handles)
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
    }

    /**
     * Waits until {@code dir} holds an entry whose name matches {@code name}, while {@code run}
     * works; fails with the run's output when the time is up or the run ended first.
     */
    static Path await(Path dir, Pattern name, Duration timeout, MirariRun run) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Path> found = Optional.empty();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    found = s.filter(p ->
                                    name.matcher(p.getFileName().toString()).matches())
                            .findFirst();
                } catch (java.nio.file.NoSuchFileException e) {
                    // removed meanwhile: look again
                }
            }
            if (found.isPresent()) return found.get();
            if (!run.handle().isAlive() || System.nanoTime() > deadline)
                throw new AssertionError("no " + name + " in " + dir + " while mirari ran; output:\n" + run.output());
            Thread.sleep(20); // a poll interval inside a wait bounded by the deadline above
        }
    }
}
