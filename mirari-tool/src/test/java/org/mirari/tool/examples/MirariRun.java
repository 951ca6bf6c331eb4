package org.mirari.tool.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.mirari.testkit.Examples;

/**
 * The real {@code bin/mirari} as a child process, for integration tests: output collected line
 * by line (stdout and stderr together), waits for lines, and stops it with a signal. Always
 * closed by the test, which kills whatever is left.
 */
final class MirariRun implements AutoCloseable {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "../")).toAbsolutePath().normalize();

    static {
        startChildrenAsATerminalWould();
    }

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    /** Every process ever seen under mirari, with its command line then: closing kills what is left of them. */
    private final Map<ProcessHandle, String> seen = new LinkedHashMap<>();

    private final Thread reader;

    private MirariRun(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
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

    /**
     * The launcher is tested as a user at a terminal runs it: with SIGINT at its default. A JVM
     * started by a script's background job (or a CI runner) may have inherited SIGINT ignored,
     * which its children inherit in turn; the launcher then rightly hands every run to the tool
     * (it restores SIGINT), and the quick path would never be tested. So an inherited "ignore"
     * is reset here with libc's {@code signal(2)}, before any child starts.
     */
    private static void startChildrenAsATerminalWould() {
        try {
            boolean ignored = false;
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:"))
                    ignored = (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2) != 0;
            }
            if (!ignored) return;
            var linker = java.lang.foreign.Linker.nativeLinker();
            var signal = linker.downcallHandle(
                    linker.defaultLookup().find("signal").orElseThrow(),
                    java.lang.foreign.FunctionDescriptor.of(
                            java.lang.foreign.ValueLayout.ADDRESS,
                            java.lang.foreign.ValueLayout.JAVA_INT,
                            java.lang.foreign.ValueLayout.ADDRESS));
            var unused = (java.lang.foreign.MemorySegment)
                    signal.invokeExact(2, java.lang.foreign.MemorySegment.NULL); // SIG_DFL
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Starts {@code bin/mirari args...} in {@code cwd} with extra environment. */
    static MirariRun start(Path cwd, Map<String, String> env, String... args) throws IOException {
        var command = new ArrayList<String>();
        command.add(HOME.resolve("bin/mirari").toString());
        command.addAll(List.of(args));
        return start(cwd, env, command);
    }

    /** Starts {@code command} (which runs the launcher some other way) in {@code cwd}. */
    static MirariRun start(Path cwd, Map<String, String> env, List<String> command) throws IOException {
        var pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new MirariRun(pb.start());
    }

    /** Copies {@code examples/<name>} to {@code dir} so the test's outputs stay out of the repo. */
    static Path copyExample(String name, Path dir) throws IOException {
        return Examples.copy(HOME.resolve("examples").resolve(name), dir.resolve(name));
    }

    /**
     * A {@code main-noip} app of one class, written for a test: {@code dir/<name>} holding
     * {@code <name>.conf} (its {@code main-noip} line, then {@code moreConf}) and the class's
     * {@code source}, the class being {@code name} with a capital.
     */
    static Path noipApp(Path dir, String name, String moreConf, String source) throws IOException {
        var app = Files.createDirectories(dir.resolve(name));
        String cls = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        Files.writeString(app.resolve(name + ".conf"), "main-noip: " + cls + ".main\n" + moreConf);
        Files.writeString(app.resolve(cls + ".java"), source);
        return app;
    }

    /**
     * A {@code main-noip} app for VM builds that never boot: {@code dir/tiny}, its kernel a few
     * bytes of nothing ({@code vm-kernel}; only copied into the image), its runtime java.base alone
     * (so that jlink is quick).
     */
    static Path tinyVmApp(Path dir) throws IOException {
        var app = noipApp(
                dir,
                "tiny",
                "vm-kernel: vmlinuz\ndepends: -jdk.httpserver, -jdk.unsupported\n",
                "final class Tiny {\n    static void main() {}\n}\n");
        Files.write(app.resolve("vmlinuz"), new byte[4096]);
        return app;
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
                remember();
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && from == lines.size())) {
                    lines.wait(200);
                    for (; from < lines.size(); from++) if (match.test(lines.get(from))) return lines.get(from);
                    throw new AssertionError(
                            "no matching line " + (process.isAlive() ? "in " + timeout : "before mirari exited")
                                    + "; output:\n" + output());
                }
                lines.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    /** Waits for the end (bounded) and for the last line of its output, and returns the exit code. */
    int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("mirari still running after " + timeout + "; output:\n" + output());
        }
        // The output is complete once the reader has seen the end of the stream, which a process
        // left behind holding the pipe would also delay: that is a failure too.
        if (!reader.join(Duration.ofSeconds(10))) {
            throw new AssertionError(
                    "mirari exited but its output never ended (a process left behind?); output:\n" + output());
        }
        return process.exitValue();
    }

    /** Everything printed so far. */
    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * The processes under mirari that are alive now (the app's JVM...). Processes that have ended
     * do not count: before the launcher execs or the tool spawns, the shell runs short-lived
     * children (command substitutions, {@code find | head}, {@code stat}) that a poll may catch.
     */
    List<ProcessHandle> descendants() {
        remember();
        return process.toHandle().descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Every process seen under mirari so far, alive or not, as {@code pid command} lines for messages. */
    String seenSoFar() {
        remember();
        synchronized (seen) {
            var b = new StringBuilder();
            seen.forEach((h, command) -> b.append(h.pid())
                    .append(h.isAlive() ? " (alive) " : " (ended) ")
                    .append(command)
                    .append('\n'));
            return b.toString();
        }
    }

    private void remember() {
        process.toHandle().descendants().forEach(h -> {
            synchronized (seen) {
                seen.computeIfAbsent(h, x -> x.info().commandLine().orElse("?"));
            }
        });
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    @Override
    public void close() {
        remember();
        List<ProcessHandle> all;
        synchronized (seen) {
            all = List.copyOf(seen.keySet());
        }
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
