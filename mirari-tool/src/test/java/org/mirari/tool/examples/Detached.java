package org.mirari.tool.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Detached instances for integration tests: {@code bin/mirari} with a state directory of the test's
 * own ({@code XDG_STATE_HOME}), {@code ps --json} read back, waits on an instance's state with a
 * deadline, and a clean-up that kills whatever an instance's files name, whatever the test did.
 */
final class Detached implements AutoCloseable {
    static final Duration COMMAND = Duration.ofSeconds(180);

    final Path state;
    final Path cwd;
    /** A command prefix (e.g. {@code ip netns exec NS}) before {@code bin/mirari}, or none. */
    final List<String> prefix;

    Detached(Path cwd, Path state, List<String> prefix) {
        this.cwd = cwd;
        this.state = state;
        this.prefix = prefix;
    }

    Map<String, String> env() {
        return Map.of("XDG_STATE_HOME", state.toString());
    }

    /** The exit code and the output (stdout and stderr in order) of {@code bin/mirari args...}. */
    record Result(int code, String output) {
        /** The last line, where {@code run -d}, {@code stop} and {@code rm} print names. */
        String lastLine() {
            var lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    Result mirari(String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<>(prefix);
        cmd.add(MirariRun.HOME.resolve("bin/mirari").toString());
        cmd.addAll(List.of(args));
        // XDG_STATE_HOME reaches the tool through ip netns exec too: it keeps the environment.
        try (var run = MirariRun.start(cwd, env(), cmd)) {
            int code = run.exitCode(COMMAND);
            return new Result(code, run.output());
        }
    }

    /** {@code ps -a --json}, one map of fields (as text; null as absent) per instance, by name. */
    Map<String, Map<String, String>> ps() throws IOException, InterruptedException {
        var r = mirari("ps", "-a", "--json");
        if (r.code() != 0) throw new AssertionError("ps failed: " + r.output());
        var json = r.output()
                .lines()
                .filter(l -> l.startsWith("["))
                .findFirst()
                .orElseThrow(() -> new AssertionError(r.output()));
        var all = new HashMap<String, Map<String, String>>();
        var object = Pattern.compile("\\{(.*?)\\}(?=,\\{|\\]$)").matcher(json);
        var field = Pattern.compile("\"(\\w+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.]+|null|\\[[^\\]]*\\])");
        while (object.find()) {
            var m = new HashMap<String, String>();
            var f = field.matcher(object.group(1));
            while (f.find()) {
                String v = f.group(3) != null ? f.group(3) : f.group(2).equals("null") ? null : f.group(2);
                if (v != null) m.put(f.group(1), v);
            }
            all.put(m.get("name"), m);
        }
        return all;
    }

    /** Waits (polling {@code ps}, each poll a whole command) until instance {@code name} matches; returns its fields. */
    Map<String, String> await(String name, Predicate<Map<String, String>> match, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> last = null;
        while (System.nanoTime() < deadline) {
            last = ps().get(name);
            if (last != null && match.test(last)) return last;
        }
        throw new AssertionError("instance " + name + " never matched within " + timeout + "; last seen: " + last);
    }

    static Predicate<Map<String, String>> state(String s) {
        return m -> s.equals(m.get("state"));
    }

    /** The pids an instance's status file names (supervisor, app), for checks and clean-up. */
    Optional<Properties> status(String name) {
        var f = state.resolve("mirari/instances").resolve(name).resolve("status.properties");
        try (var in = Files.newInputStream(f)) {
            var p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether anything of instance {@code name} is left in the state directory. */
    boolean exists(String name) {
        return Files.exists(state.resolve("mirari/instances").resolve(name));
    }

    static boolean alive(String pid) {
        return pid != null
                && ProcessHandle.of(Long.parseLong(pid))
                        .map(ProcessHandle::isAlive)
                        .orElse(false);
    }

    /** Kills what every instance's status names, whatever state the test left. */
    @Override
    public void close() throws IOException {
        var dir = state.resolve("mirari/instances");
        if (!Files.isDirectory(dir)) return;
        try (var s = Files.list(dir)) {
            for (var d : s.toList()) {
                status(d.getFileName().toString()).ifPresent(p -> {
                    for (var key : List.of("supervisor.pid", "app.pid")) {
                        long pid = Long.parseLong(p.getProperty(key, "0"));
                        if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                });
            }
        }
    }
}
