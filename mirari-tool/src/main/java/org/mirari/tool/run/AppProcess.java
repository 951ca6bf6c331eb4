package org.mirari.tool.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.mirari.runtime.console.ReadyLine;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ExitCode;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.Orphans;

/**
 * Runs one app process to its end: starts it from a {@link Launch}, streams its console as
 * {@link Event.AppOutput} (readiness lines become {@link Event.Ready}), and returns its exit code.
 *
 * <p>No process is left behind. The app is started under {@link Orphans#guard} (the kernel kills it
 * when the thread that started it dies, even by SIGKILL), so the thread calling {@link #start()} must
 * outlive the app. {@link #stop(Duration)} stops its whole process tree, politely first (SIGTERM, so
 * the app's graceful shutdown runs and an AOT training run can write its cache), then by force. In
 * the foreground ({@link #run()}), a shutdown hook of the tool (which runs on Ctrl-C and SIGTERM) does
 * that and ends the tool with 130; a {@link RunHandle} drives {@link #start()}, {@link #awaitExit()}
 * and {@link #stop(Duration)} itself.
 */
public final class AppProcess {
    /** How long a stopped app may take to finish requests in flight (and write an AOT cache). */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Launch launch;
    private final EventSink events;
    private final String bindAddress;
    private final int bindPort;
    private volatile Runnable onStop = () -> {};
    private volatile Runnable onStarted = () -> {};

    // Children of the app are remembered while they live: once the app is gone they are
    // re-parented and no longer its descendants, yet must not outlive it.
    private final java.util.Set<ProcessHandle> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicReference<String> bindFailure = new AtomicReference<>();
    private final Object lock = new Object();
    private Process process; // guarded by lock
    private boolean stopRequested; // guarded by lock
    private Thread watcher, out, err;

    /**
     * @param bindAddress  the address the app will listen on, for the message if it cannot bind; {@code *} for all
     * @param bindPort     the port, 0 if the app listens on none
     */
    public AppProcess(Launch launch, EventSink events, String bindAddress, int bindPort) {
        this.launch = launch;
        this.events = events;
        this.bindAddress = bindAddress;
        this.bindPort = bindPort;
    }

    /** Runs {@code action} once the app's process has started. */
    public AppProcess onStarted(Runnable action) {
        this.onStarted = action;
        return this;
    }

    /**
     * Runs {@code action} when the tool is stopped (Ctrl-C, SIGTERM) after the app's process tree is
     * gone and before the tool halts: the host-side clean-up of a backend (a {@code --unix} tap).
     */
    public AppProcess onStop(Runnable action) {
        this.onStop = action;
        return this;
    }

    /**
     * In the foreground: starts the app and waits for it, stopping it (and ending the tool with 130)
     * when the tool is stopped. Returns its exit code, or throws a {@link BackendException} (exit 5)
     * when it failed because it could not bind its port.
     */
    public int run() throws IOException, InterruptedException {
        if (!start()) return ExitCode.INTERRUPTED.code();
        return Interrupts.stoppable(
                () -> {
                    stop(GRACE);
                    try {
                        onStop.run();
                    } finally {
                        Runtime.getRuntime().halt(130);
                    }
                },
                this::awaitExit);
    }

    /**
     * Starts the app and the threads that follow its console; false when {@link #stop} came first
     * (nothing was started). The calling thread must live as long as the app: the app dies with it.
     */
    public boolean start() throws IOException {
        long t0 = System.nanoTime();
        var pb = new ProcessBuilder(Orphans.guard(launch.command()))
                .directory(launch.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(launch.environment());
        launch.aotTraining().ifPresent(AppProcess::removeStaleTrainingFiles);
        Process p;
        synchronized (lock) {
            if (stopRequested) return false;
            p = pb.start();
            process = p;
        }
        onStarted.run();
        watcher = Thread.ofVirtual().start(() -> {
            while (p.isAlive()) {
                p.toHandle().descendants().forEach(seen::add);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        out = Thread.ofVirtual().start(() -> pump(p.getInputStream(), false, t0, ready, bindFailure));
        err = Thread.ofVirtual().start(() -> pump(p.getErrorStream(), true, t0, ready, bindFailure));
        return true;
    }

    /** The app's process id, once started. */
    public java.util.OptionalLong pid() {
        synchronized (lock) {
            return process == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(process.pid());
        }
    }

    /** Whether the app's process has started and not yet ended. */
    public boolean alive() {
        synchronized (lock) {
            return process != null && process.isAlive();
        }
    }

    /**
     * Waits for the app started by {@link #start()} to end and returns its exit code, or throws a
     * {@link BackendException} (exit 5) when it failed because it could not bind its port.
     */
    public int awaitExit() throws InterruptedException {
        Process p;
        synchronized (lock) {
            p = process;
        }
        if (p == null) return ExitCode.INTERRUPTED.code();
        int code = p.waitFor();
        watcher.interrupt();
        // The app is gone; children it started must not outlive it (they may hold its console open).
        seen.forEach(ProcessHandle::destroyForcibly);
        out.join(Duration.ofSeconds(2));
        err.join(Duration.ofSeconds(2));
        if (code != 0 && !ready.get() && bindFailure.get() != null && bindPort > 0) {
            throw new BackendException(PortCheck.message(bindAddress, bindPort, bindFailure.get()));
        }
        return code;
    }

    /**
     * Stops the app's process tree: SIGTERM, then SIGKILL to what is left after {@code grace}.
     * Returns once it is gone. Before {@link #start()}, makes the start a no-op.
     */
    public void stop(Duration grace) {
        Process p;
        synchronized (lock) {
            stopRequested = true;
            p = process;
        }
        if (p != null) stopTree(p.toHandle(), seen, grace);
    }

    private void pump(
            InputStream in, boolean stderr, long t0, AtomicBoolean ready, AtomicReference<String> bindFailure) {
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (launch.aotTraining().isPresent() && isAotChatter(line)) continue;
                var r = ReadyLine.parse(line);
                if (r.isPresent()) {
                    if ("listening".equals(r.get().phase())) ready.set(true);
                    events.emit(new Event.Ready(
                            r.get().phase(), r.get().detail(), Duration.ofNanos(System.nanoTime() - t0)));
                    continue;
                }
                if (!ready.get()) noteBindFailure(line, bindFailure);
                events.emit(new Event.AppOutput(line, stderr));
            }
        } catch (IOException e) {
            // The process closed its stream: nothing more to show.
        }
    }

    /**
     * A training run that was killed can leave its temporary {@code <cache>.config} behind, and a
     * JVM asked to write the cache again then refuses to start: remove it first.
     */
    static void removeStaleTrainingFiles(java.nio.file.Path cache) {
        try {
            java.nio.file.Files.deleteIfExists(cache.resolveSibling(cache.getFileName() + ".config"));
        } catch (IOException e) {
            // The JVM will say what is wrong.
        }
    }

    /** Recognises the JDK's messages for a port that cannot be bound. */
    static void noteBindFailure(String line, AtomicReference<String> bindFailure) {
        if (line.contains("BindException") || line.contains("Address already in use")) {
            int colon = line.indexOf("BindException:");
            var why = colon >= 0
                    ? line.substring(colon + "BindException:".length()).strip()
                    : line.strip();
            bindFailure.compareAndSet(null, why.isEmpty() ? "Address already in use" : why);
        } else if (line.contains("SocketException") && PortCheck.isPermission(line)) {
            bindFailure.compareAndSet(null, "Permission denied");
        }
    }

    /** The JVM's own messages while it writes an AOT cache (JEP 514): not the app's output. */
    static boolean isAotChatter(String line) {
        return line.startsWith("Temporary AOTConfiguration recorded")
                || line.startsWith("Launching child process ")
                || line.startsWith("Reading AOTConfiguration ")
                || line.startsWith("AOTCache creation is complete")
                || line.startsWith("Removed temporary AOT configuration")
                || line.startsWith("Picked up JAVA_TOOL_OPTIONS: -Djava.class.path=")
                || line.matches("^\\[[0-9.]+s\\]\\[\\w+\\]\\[(aot|cds)\\b.*");
    }

    /** SIGTERM to the process and its descendants, then SIGKILL to whatever is left after the grace period. */
    static void stopTree(ProcessHandle root, java.util.Set<ProcessHandle> seen, Duration grace) {
        var all = new java.util.ArrayList<ProcessHandle>();
        root.descendants().forEach(all::add);
        seen.stream()
                .filter(ProcessHandle::isAlive)
                .filter(p -> !all.contains(p))
                .forEach(all::add);
        all.add(root);
        for (var p : all) p.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        for (var p : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // Grace period over (or interrupted): force below.
            }
        }
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        for (var p : all) p.destroyForcibly();
    }
}
