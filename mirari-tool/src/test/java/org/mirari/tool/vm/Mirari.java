package org.mirari.tool.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * {@code bin/mirari} as a child process for the VM integration tests: output collected line by
 * line, waits for a line, stops with SIGTERM and kills whatever is left when closed.
 */
final class Mirari implements AutoCloseable {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private Mirari(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    System.out.println("  | " + l);
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        });
    }

    /** Starts {@code [prefix...] bin/mirari args...} in {@code dir} with extra environment. */
    static Mirari start(Path dir, Map<String, String> env, List<String> prefix, String... args) throws IOException {
        var cmd = new ArrayList<>(prefix);
        cmd.add(HOME.resolve("bin/mirari").toString());
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new Mirari(pb.start());
    }

    static Mirari start(Path dir, String... args) throws IOException {
        return start(dir, Map.of(), List.of(), args);
    }

    /** Runs to the end; returns the exit code. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("mirari did not end within " + timeout + "; output:\n" + output());
        }
        // The output is complete once the reader has seen the end of the stream.
        if (!reader.join(Duration.ofSeconds(10)))
            throw new AssertionError("mirari's output never ended; output:\n" + output());
        return process.exitValue();
    }

    /** The first line matching {@code p}, waiting for it. */
    String await(Predicate<String> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) if (p.test(lines.get(seen))) return lines.get(seen);
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
                    throw new AssertionError("no expected line within " + timeout + " (alive: " + process.isAlive()
                            + "); output:\n" + output());
                }
                lines.wait(Math.min(200, Math.max(1, left / 1_000_000)));
            }
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** SIGTERM, as Ctrl-C would; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        return process.waitFor();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static Path copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                String name = d.getFileName().toString();
                if (!d.equals(from) && name.equals(".mirari")) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                String name = f.getFileName().toString();
                boolean generated = name.startsWith("mir-")
                        || name.equals("Main.java")
                        || name.equals("pom.xml")
                        || name.endsWith(".lock")
                        || name.endsWith(".xl");
                if (!generated) Files.copy(f, to.resolve(from.relativize(f).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
        return to;
    }
}
