package org.mirari.net.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.mirari.net.Await;

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

    /**
     * Rung whenever a process started by {@link #start} prints: what the tests wait for in the
     * namespace (a listener, a datagram) comes with output, or right after a process's last line.
     */
    final Await.Signal output = new Await.Signal();

    /** Starts a long-running process inside the namespace, its stdout and stderr to {@code log}; killed on close. */
    Process start(Path log, String... cmd) throws IOException {
        return start(log, null, cmd);
    }

    /**
     * Starts a long-running process inside the namespace, its stdout to {@code log} and its stderr
     * to {@code errors} (null: to {@code log} too); killed on close. Each stream is copied by a
     * thread of its own that rings {@link #output} at every read.
     */
    Process start(Path log, Path errors, String... cmd) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        var p = new ProcessBuilder(full).redirectErrorStream(errors == null).start();
        started.add(p);
        copy(p.getInputStream(), Files.newOutputStream(log));
        if (errors != null) copy(p.getErrorStream(), Files.newOutputStream(errors));
        return p;
    }

    private void copy(InputStream from, OutputStream to) {
        Thread.ofPlatform().daemon().name("netns-output").start(() -> {
            try (from;
                    to) {
                byte[] buf = new byte[8192];
                for (int n; (n = from.read(buf)) >= 0; ) {
                    to.write(buf, 0, n);
                    to.flush();
                    output.ring();
                }
            } catch (IOException e) {
                // the process is gone, or the test ended: nothing more to copy
            } finally {
                output.ring();
            }
        });
    }

    /** Waits until a process in the namespace listens on UDP {@code port} (as {@code ss} shows), looking at each line it prints. */
    void awaitUdpListener(int port, Duration timeout) throws InterruptedException {
        output.until(timeout, () -> "a UDP listener on port " + port + " in " + name, () -> !execIn(
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
