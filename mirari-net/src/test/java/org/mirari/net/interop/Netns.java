package org.mirari.net.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test class, with uniquely named links so parallel runs do not
 * collide. Removes the namespace (and so its links) and kills what it started, even after failures.
 */
final class Netns implements AutoCloseable {
    final String name;
    private final List<Process> started = new ArrayList<>();

    /** Why interop tests cannot run here, or null if they can. */
    static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) return "interop tests need root (namespaces and taps)";
        if (!Files.isReadable(Path.of("/dev/net/tun")) || !Files.isWritable(Path.of("/dev/net/tun")))
            return "/dev/net/tun is not usable";
        for (String tool : new String[] {"ip", "busybox"}) {
            if (which(tool) == null) return tool + " is not installed";
        }
        return null;
    }

    static String which(String tool) {
        for (String dir : System.getenv()
                .getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .split(":")) {
            var p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin"})
            if (Files.isExecutable(Path.of(dir, tool))) return dir + "/" + tool;
        return null;
    }

    static String unique(String prefix) {
        return prefix
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        .substring(0, 8);
    }

    Netns() throws IOException, InterruptedException {
        name = unique("mirari-it-");
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** Runs a command to completion (30 s at most); fails with its output if it fails. */
    static String run(String... cmd) throws IOException, InterruptedException {
        var r = exec(30, cmd);
        if (r.code() != 0) throw new IOException(String.join(" ", cmd) + " exited " + r.code() + ": " + r.output());
        return r.output();
    }

    record Result(int code, String output) {}

    static Result exec(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Result(-1, "timed out after " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Runs inside the namespace. */
    Result execIn(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return exec(timeoutSeconds, full.toArray(String[]::new));
    }

    /** Starts a long-running process inside the namespace; killed on close. */
    Process start(Path log, String... cmd) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        var p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(p);
        return p;
    }

    /** Something the test waits for; may throw, which counts as "not yet". */
    interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Waits until {@code condition} holds, polling every 20 ms, or fails after {@code timeout}
     * with {@code what} and the last exception seen, if any.
     */
    static void await(Duration timeout, String what, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) return;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what, last);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until a process in the namespace listens on UDP {@code port} (as {@code ss} shows). */
    void awaitUdpListener(int port, Duration timeout) throws InterruptedException {
        await(timeout, "a UDP listener on port " + port + " in " + name, () -> !execIn(
                        10, "ss", "-Hnul", "sport", "=", ":" + port)
                .output()
                .isBlank());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (var p : started) {
            p.destroy();
            if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        }
        exec(30, "ip", "netns", "del", name);
    }
}
