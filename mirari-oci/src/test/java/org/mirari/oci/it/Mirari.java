package org.mirari.oci.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** The real {@code bin/mirari} and other programs, for the OCI integration tests: run to the end, or started and watched. */
final class Mirari {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();

    private Mirari() {}

    /** A finished command: its exit code and its output, both streams together. */
    record Result(int code, String output) {}

    static Result run(Map<String, String> env, Duration timeout, String... cmd)
            throws IOException, InterruptedException {
        var p = start(env, cmd);
        var out = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append(e);
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not end in " + timeout.toSeconds() + " s: " + out);
        }
        reader.join();
        return new Result(p.exitValue(), out.toString());
    }

    static Result mirari(Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        var cmd = new ArrayList<String>();
        cmd.add(HOME.resolve("bin/mirari").toString());
        cmd.addAll(List.of(args));
        return run(env, timeout, cmd.toArray(String[]::new));
    }

    static Process start(Map<String, String> env, String... cmd) throws IOException {
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        var p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /**
     * A process whose output lines are collected as they come, by a reader thread that signals
     * each line and the end of the output: a wait for a line blocks until then, never polls.
     */
    static final class Watched {
        final Process process;
        private final List<String> lines = new ArrayList<>(); // guarded by lock
        private boolean ended; // guarded by lock: the reader saw the end of the output
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();

        Watched(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (var r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) add(line);
                } catch (IOException e) {
                    add(e.toString());
                } finally {
                    lock.lock();
                    try {
                        ended = true;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }

        private void add(String line) {
            lock.lock();
            try {
                lines.add(line);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The first line matching, waiting up to {@code timeout}; fails when the output ends without one. */
        String await(Predicate<String> match, Duration timeout) throws InterruptedException {
            long left = timeout.toNanos();
            lock.lock();
            try {
                for (int from = 0; ; ) {
                    for (; from < lines.size(); from++) if (match.test(lines.get(from))) return lines.get(from);
                    if (ended)
                        throw new AssertionError(
                                "the output ended (exit " + process.waitFor() + ") before the line came: " + lines);
                    if (left <= 0) throw new AssertionError("no such line in " + timeout.toSeconds() + " s: " + lines);
                    left = changed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        String output() {
            lock.lock();
            try {
                return String.join("\n", lines);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until {@code file} is gone, or fails after {@code timeout}: blocks on the kernel's
     * notice of the deletion (inotify, through a {@link java.nio.file.WatchService} on its
     * directory), never polls.
     */
    static void awaitGone(Path file, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var watch = file.getFileSystem().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            while (Files.exists(file)) {
                long left = deadline - System.nanoTime();
                var key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) throw new AssertionError(file + " is still there after " + timeout.toSeconds() + " s");
                key.pollEvents();
                key.reset();
            }
        }
    }

    /** Waits until every process whose command line contains {@code text} has ended, or fails after {@code timeout}. */
    static void awaitNoProcess(String text, Duration timeout) throws InterruptedException {
        var left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(text))
                .map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(left).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("a process running '" + text + "' is left after " + timeout.toSeconds() + " s", e);
        }
    }

    /** A copy of {@code examples/<name>} (its conf and sources only) in {@code dir}. */
    static Path example(String name, Path dir) throws IOException {
        Path src = HOME.resolve("examples").resolve(name);
        Path app = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(src)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("Main.java"))
                    .toList()) Files.copy(f, app.resolve(f.getFileName()));
        }
        return app;
    }
}
