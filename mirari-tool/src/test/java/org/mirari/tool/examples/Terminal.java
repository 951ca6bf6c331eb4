package org.mirari.tool.examples;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real {@code bin/mirari} on a terminal: run under a pseudo-terminal by util-linux's
 * {@code script -q -e -c CMD /dev/null}, so its stdin, stdout and stderr are a tty (the launcher's
 * {@code [ -t 2 ]} is true), and everything it wrote is kept as the raw bytes a terminal gets
 * (escape sequences, {@code \r} redraws, and the tty's {@code \r\n} line ends).
 */
final class Terminal implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final Thread reader;
    private boolean ended; // guarded by raw: the output has ended

    private Terminal(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            var buf = new byte[8192];
            try (var in = process.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (raw) {
                        raw.write(buf, 0, n);
                        raw.notifyAll();
                    }
                }
            } catch (IOException e) {
                // script ended
            } finally {
                synchronized (raw) {
                    ended = true;
                    raw.notifyAll();
                }
            }
        });
    }

    /** Starts {@code bin/mirari args...} in {@code cwd} on a terminal of its own, with extra environment. */
    static Terminal start(Path cwd, Map<String, String> env, String... args) throws IOException {
        var line = new StringBuilder(quote(MirariRun.HOME.resolve("bin/mirari").toString()));
        for (var a : args) line.append(' ').append(quote(a));
        var pb = new ProcessBuilder(List.of("script", "-q", "-e", "-c", line.toString(), "/dev/null"))
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // A terminal as a user's is, unless the test says otherwise.
        pb.environment().remove("NO_COLOR");
        pb.environment().put("TERM", "xterm");
        pb.environment().putAll(env);
        return new Terminal(pb.start());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** What the terminal got so far. */
    String text() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until what the terminal got matches {@code pattern} (woken by each write, never
     * polling); fails with the output when the time is up or the output ended without it.
     */
    void await(Pattern pattern, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (raw) {
            while (!pattern.matcher(raw.toString(StandardCharsets.UTF_8)).find()) {
                long left = deadline - System.nanoTime();
                if (ended || left <= 0)
                    throw new AssertionError("no " + what + (ended ? " before the output ended" : " in " + timeout)
                            + "; the terminal got:\n" + raw.toString(StandardCharsets.UTF_8));
                TimeUnit.NANOSECONDS.timedWait(raw, left);
            }
        }
    }

    /** Completes when the process under the terminal has ended. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Waits (bounded) for the end and for all of its output; returns the exit code. */
    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            throw new AssertionError("still running after " + timeout + "; the terminal got:\n" + text());
        if (!reader.join(Duration.ofSeconds(10)))
            throw new AssertionError("exited, but its output never ended; the terminal got:\n" + text());
        return process.exitValue();
    }

    @Override
    public void close() {
        var left = new ArrayList<ProcessHandle>();
        process.descendants().forEach(left::add);
        left.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
