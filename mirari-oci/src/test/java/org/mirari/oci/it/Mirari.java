package org.mirari.oci.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

    /** A process whose output lines are collected as they come. */
    static final class Watched {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Watched(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (var r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) lines.add(line);
                } catch (IOException e) {
                    lines.add(e.toString());
                }
            });
        }

        /** The first line matching, waiting up to {@code timeout}. */
        String await(Predicate<String> match, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (var l : lines) if (match.test(l)) return l;
                if (!process.isAlive()) {
                    for (var l : lines) if (match.test(l)) return l;
                    throw new AssertionError("ended with " + process.exitValue() + " before the line came: " + lines);
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no such line in " + timeout.toSeconds() + " s: " + lines);
        }

        String output() {
            return String.join("\n", lines);
        }
    }

    /** Waits until {@code condition} holds, up to {@code timeout}; whether it did. */
    static boolean eventually(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
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
