package org.mirari.tool.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real {@code bin/mirari} as a child process, for integration tests: output collected line
 * by line (stdout and stderr together), waits for lines, and stops it with a signal. Always
 * closed by the test, which kills whatever is left.
 */
final class MirariRun implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("mirari.home", "../")).toAbsolutePath().normalize();

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<ProcessHandle> seen = new ArrayList<>();

    private MirariRun(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        });
    }

    /** Starts {@code bin/mirari args...} in {@code cwd} with extra environment. */
    static MirariRun start(Path cwd, Map<String, String> env, String... args) throws IOException {
        var command = new ArrayList<String>();
        command.add(HOME.resolve("bin/mirari").toString());
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new MirariRun(pb.start());
    }

    /** Copies {@code examples/<name>} to {@code dir} so the test's outputs stay out of the repo. */
    static Path copyExample(String name, Path dir) throws IOException {
        var from = HOME.resolve("examples").resolve(name);
        var to = dir.resolve(name);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (d.getFileName().toString().equals(".mirari")) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                var name = f.getFileName().toString();
                // Generated files of a local run in the checkout are not part of the example.
                if (!name.startsWith("mir-") && !name.equals("Main.java") && !name.equals("pom.xml")) {
                    Files.copy(f, to.resolve(from.relativize(f).toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }

    static int freePort() {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a line matches; fails with the output so far when the time is up or the process ended. */
    String await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int from = 0;
            while (true) {
                for (; from < lines.size(); from++) {
                    if (match.test(lines.get(from))) return lines.get(from);
                }
                process.toHandle().descendants().forEach(seen::add);
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && from == lines.size())) {
                    lines.wait(200);
                    for (; from < lines.size(); from++) if (match.test(lines.get(from))) return lines.get(from);
                    throw new AssertionError("no matching line " + (process.isAlive() ? "in " + timeout : "before mirari exited")
                            + "; output:\n" + output());
                }
                lines.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    /** Waits for the end (bounded) and returns the exit code. */
    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("mirari still running after " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Everything printed so far, once the streams have drained. */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The processes under mirari (the app's JVM...) seen so far and now. */
    List<ProcessHandle> descendants() {
        process.toHandle().descendants().forEach(seen::add);
        return List.copyOf(seen);
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() {
        var all = descendants();
        process.destroy();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }
}
