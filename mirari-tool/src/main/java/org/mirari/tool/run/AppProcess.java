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
import org.mirari.tool.backend.Launch;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * Runs one app process to its end: starts it from a {@link Launch}, streams its console as
 * {@link Event.AppOutput} (readiness lines become {@link Event.Ready}), and returns its exit code.
 *
 * <p>No process is left behind: while the app runs, a shutdown hook of the tool (which runs on
 * Ctrl-C and SIGTERM) stops the app's whole process tree, politely first (SIGTERM, so the app's
 * graceful shutdown runs and an AOT training run can write its cache), then by force after a grace
 * period, and ends the tool with 130.
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
     * Starts the app and waits for it. Returns its exit code, or throws a {@link BackendException}
     * (exit 5) when it failed because it could not bind its port.
     */
    public int run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        var pb = new ProcessBuilder(launch.command())
                .directory(launch.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(launch.environment());
        launch.aotTraining().ifPresent(AppProcess::removeStaleTrainingFiles);
        var process = pb.start();
        onStarted.run();
        // Children of the app are remembered while they live: once the app is gone they are
        // re-parented and no longer its descendants, yet must not outlive it.
        var seen = java.util.concurrent.ConcurrentHashMap.<ProcessHandle>newKeySet();
        var watcher = Thread.ofVirtual().start(() -> {
            while (process.isAlive()) {
                process.toHandle().descendants().forEach(seen::add);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        var stopping = new AtomicBoolean();
        var hook = Thread.ofPlatform().unstarted(() -> {
            stopping.set(true);
            stopTree(process.toHandle(), seen);
            try {
                onStop.run();
            } finally {
                Runtime.getRuntime().halt(130);
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        var previous = Interrupts.exitOnSignals();
        try {
            var ready = new AtomicBoolean();
            var bindFailure = new AtomicReference<String>();
            var out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), false, t0, ready, bindFailure));
            var err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), true, t0, ready, bindFailure));
            int code = process.waitFor();
            watcher.interrupt();
            if (stopping.get()) {
                // The tool is being stopped: its shutdown hook stopped the app and ends the tool with 130.
                hook.join();
            }
            // The app is gone; children it started must not outlive it (they may hold its console open).
            seen.forEach(ProcessHandle::destroyForcibly);
            out.join(Duration.ofSeconds(2));
            err.join(Duration.ofSeconds(2));
            if (code != 0 && !ready.get() && bindFailure.get() != null && bindPort > 0) {
                throw new BackendException(PortCheck.message(bindAddress, bindPort, bindFailure.get()));
            }
            return code;
        } finally {
            Interrupts.restore(previous);
            if (!stopping.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or about to; it owns the end.
                }
            }
        }
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
    static void stopTree(ProcessHandle root, java.util.Set<ProcessHandle> seen) {
        var all = new java.util.ArrayList<ProcessHandle>();
        root.descendants().forEach(all::add);
        seen.stream()
                .filter(ProcessHandle::isAlive)
                .filter(p -> !all.contains(p))
                .forEach(all::add);
        all.add(root);
        for (var p : all) p.destroy();
        long deadline = System.nanoTime() + GRACE.toNanos();
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
