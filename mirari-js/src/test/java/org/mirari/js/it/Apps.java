package org.mirari.js.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.cli.CliContext;
import org.mirari.tool.cli.MirariCli;

/** The apps of the JavaScript ITs: copies of the examples, built in this JVM, run by {@code bin/mirari}. */
final class Apps {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();

    private Apps() {}

    /** What a command printed and its exit code. */
    record Result(int code, String out, String err) {}

    /** {@code mirari args...} in this JVM (the CLI's own entry), as {@code bin/mirari} would run it. */
    static Result inProcess(Path cwd, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = MirariCli.run(
                args,
                new CliContext(
                        cwd,
                        System.getenv(),
                        HOME,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The real launcher, {@code bin/mirari args...}, to its end (at most {@code limit}). */
    static Result launcher(Path cwd, Duration limit, String... args) throws Exception {
        var command = new ArrayList<String>(List.of(HOME.resolve("bin/mirari").toString()));
        command.addAll(List.of(args));
        return run(cwd, limit, command);
    }

    static Result run(Path cwd, Duration limit, List<String> command) throws Exception {
        var process = new ProcessBuilder(command).directory(cwd.toFile()).start();
        process.getOutputStream().close();
        var out = drain(process.getInputStream());
        var err = drain(process.getErrorStream());
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + limit + "; stderr: " + err.getNow(""));
        }
        return new Result(process.exitValue(), out.get(), err.get());
    }

    /** A command that goes on running: its lines (stdout and stderr) as they come, and a stop by SIGTERM. */
    static final class Started implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();

        Started(Process process) {
            this.process = process;
            for (var in : List.of(process.getInputStream(), process.getErrorStream())) {
                Thread.ofVirtual().start(() -> {
                    try (var r =
                            new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            synchronized (lines) {
                                lines.add(line);
                                lines.notifyAll();
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                });
            }
        }

        /** The first line that matches, waiting for it at most {@code limit}. */
        String await(java.util.function.Predicate<String> matching, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            synchronized (lines) {
                while (true) {
                    var found = lines.stream().filter(matching).findFirst();
                    if (found.isPresent()) return found.get();
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0 || !process.isAlive())
                        throw new AssertionError(
                                "no such line within " + limit + " (ended: " + !process.isAlive() + "): " + lines);
                    lines.wait(Math.max(1, Math.min(left, 200)));
                }
            }
        }

        /** SIGTERM, as Ctrl-C would stop it; waits for the end. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static Started start(Path cwd, String... args) throws IOException {
        var command = new ArrayList<String>(List.of(HOME.resolve("bin/mirari").toString()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).directory(cwd.toFile()).start();
        process.getOutputStream().close();
        return new Started(process);
    }

    static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code build --js} in this JVM; the app's module must exist after. */
    static Result buildJs(Path app) {
        var r = inProcess(app, "build", "--js", app.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }
}
