package org.mirari.tool.run;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * One run of a built app, as a value its owner holds: {@code mirari run} in the foreground
 * ({@link Foreground}) and a supervisor of a detached instance alike. It carries out the backend's
 * {@link RunSpec} with one exhaustive {@code switch}: checks the port, prepares the host (a
 * {@code --unix} tap) and undoes it, spawns, follows the console and readiness.
 *
 * <p>Everything happens on one platform thread of the handle's own, which lives exactly as long as
 * the run: the app is started under {@link org.mirari.tool.hosttool.Orphans#guard}, which kills it when the thread that
 * started it dies, so that thread must be a long-lived one (a virtual thread's carrier is not).
 *
 * <p>The life of a handle: {@link #create} (nothing runs yet), {@link #start} (returns once the app's
 * process has started, or throws what prevented it: a busy port, a tap this user may not create),
 * {@link #awaitReady} (the app's readiness line, or its end), {@link #stop} (graceful, then forced),
 * {@link #awaitExit} (the exit code, or the failure), {@link #awaitEnd} (the host's clean-up done).
 */
public final class RunHandle {
    /** What the owner sees of the run. */
    public sealed interface Status {
        /** Not yet ready: preparing, or started and not yet listening. */
        record Starting() implements Status {}

        /** Ready: listening (at {@code address}, the URL on the host), or started, for an app that listens on nothing. */
        record Ready(Optional<String> address) implements Status {}

        /** The run is over: the app's exit code (130 when it was stopped before it started). */
        record Exited(int code) implements Status {}

        /** The run could not go on: a busy port, a tap this user may not create, a hypervisor that cannot start. */
        record Failed(Exception error) implements Status {}
    }

    /** Called just before a plain process starts (after the port check): {@code mirari run} records its quick run there. */
    @FunctionalInterface
    public interface BeforeStart {
        void accept(RunSpec.Process process) throws IOException;

        BeforeStart NOTHING = p -> {};
    }

    private final RunSpec spec;
    private final String label;
    /** Where the run's own code emits: {@link #observe} notes readiness on the way to {@link #next}. */
    private final EventSink sink;

    private final EventSink next;
    private final Host host;
    private final BeforeStart beforeStart;
    private final CurrentProcess current = new CurrentProcess(this::started);
    private final Thread thread;
    private Status status = new Status.Starting(); // guarded by this
    private boolean spawned; // guarded by this
    private boolean threadStarted; // guarded by this

    private RunHandle(RunSpec spec, String label, EventSink events, Host host, BeforeStart beforeStart) {
        this.spec = spec;
        this.label = label;
        this.sink = this::observe;
        this.next = events;
        this.host = host;
        this.beforeStart = beforeStart;
        this.thread = Thread.ofPlatform().name("mirari-run").unstarted(this::body);
    }

    /**
     * A handle for {@code spec}, not started yet (so that an owner can install what stops it first).
     *
     * @param label what the run step shows ({@code hello (--socket)})
     * @param sink  where the run's events go (progress, the app's console, readiness)
     * @param host  the machine, whose host side a {@link RunSpec.HostPrepared} run prepares
     */
    public static RunHandle create(RunSpec spec, String label, EventSink sink, Host host, BeforeStart beforeStart) {
        return new RunHandle(spec, label, sink, host, beforeStart);
    }

    /**
     * Starts the run and returns once the app's process has started. Throws what prevented the start
     * ({@link org.mirari.tool.error.BackendException}: the port, the tap), after cleaning up.
     */
    public RunHandle start() throws IOException, InterruptedException {
        synchronized (this) {
            if (threadStarted) throw new IllegalStateException("already started");
            threadStarted = true;
        }
        thread.start();
        synchronized (this) {
            while (!spawned && status instanceof Status.Starting) wait();
            if (!spawned && status instanceof Status.Failed f) rethrow(f.error());
        }
        return this;
    }

    /**
     * Waits until the app is ready or its run is over, at most {@code timeout}; returns the status
     * then ({@link Status.Starting} when the time ran out).
     */
    public Status awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (status instanceof Status.Starting) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return status;
        }
    }

    /** The status now. */
    public synchronized Status status() {
        return status;
    }

    /** Where the app listens, once it said so. */
    public synchronized Optional<String> address() {
        return status instanceof Status.Ready r ? r.address() : Optional.empty();
    }

    /** The process id of the app (or of its hypervisor), while one runs. */
    public OptionalLong pid() {
        return current.pid();
    }

    /**
     * Stops the app: SIGTERM to its process tree, SIGKILL to what is left after {@code grace}; no
     * restart of a VM follows. Returns once the processes are gone (the host's clean-up follows on
     * the run's thread: {@link #awaitEnd}). Before the app started, the start does nothing.
     */
    public void stop(Duration grace) {
        current.stop(grace);
    }

    /** Waits for the run to end, host clean-up included, and returns the app's exit code or throws its failure. */
    public int awaitExit() throws IOException, InterruptedException {
        thread.join();
        var s = status();
        return switch (s) {
            case Status.Exited e -> e.code();
            case Status.Failed f -> {
                rethrow(f.error());
                yield 1;
            }
            case Status.Starting x -> throw new IllegalStateException("run ended without a status");
            case Status.Ready x -> throw new IllegalStateException("run ended without a status");
        };
    }

    /** Waits at most {@code timeout} for the run to end (its host clean-up included); whether it did. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        synchronized (this) {
            if (!threadStarted) return true;
        }
        return thread.join(timeout);
    }

    private void body() {
        try {
            int code =
                    switch (spec) {
                        case RunSpec.Process p -> {
                            p.listen().ifPresent(l -> PortCheck.requireBindable(l.address(), l.port()));
                            trainingNote(p);
                            beforeStart.accept(p);
                            sink.emit(new Event.StepStarted("run", label));
                            yield process(p.launch(), p.listen());
                        }
                        case RunSpec.HostPrepared h -> {
                            // The app listens on its own stack, not on the host's sockets: no port check here.
                            trainingNote(h);
                            sink.emit(new Event.StepStarted("run", label));
                            try (var tap = TapHost.prepare(h.host(), sink, host)) {
                                yield process(tap.owned() ? transientTap(h.launch()) : h.launch(), h.listen());
                            }
                        }
                        case RunSpec.VmConsole v -> {
                            sink.emit(new Event.StepStarted("run", label));
                            yield VmRun.run(v, sink, current);
                        }
                        case RunSpec.Container c -> {
                            sink.emit(new Event.StepStarted("run", label));
                            yield ContainerRun.run(c, sink, current, host);
                        }
                    };
            finish(new Status.Exited(code));
        } catch (Exception e) {
            finish(new Status.Failed(e));
        } catch (Error e) {
            finish(new Status.Failed(new IllegalStateException(e)));
            throw e;
        }
    }

    private int process(Launch launch, Optional<RunSpec.Listen> listen) throws IOException, InterruptedException {
        var app = new AppProcess(
                launch,
                sink,
                listen.map(RunSpec.Listen::address).orElse("*"),
                listen.map(RunSpec.Listen::port).orElse(0));
        if (!current.start(app)) return org.mirari.tool.error.ExitCode.INTERRUPTED.code();
        return app.awaitExit();
    }

    /**
     * The app's JVM told to clear the tap's persistent flag once it has opened it
     * ({@code -Dmirari.tap.transient=true}): the kernel then removes the tap when the app ends, even
     * when it or the tool is killed.
     */
    static Launch transientTap(Launch launch) {
        var command = new java.util.ArrayList<>(launch.command());
        command.add(1, "-Dmirari.tap.transient=true");
        return new Launch(command, launch.environment(), launch.directory(), launch.aotTraining());
    }

    private boolean expectsListening() {
        return switch (spec) {
            case RunSpec.Process p -> p.listen().isPresent();
            case RunSpec.HostPrepared h -> h.listen().isPresent();
            case RunSpec.VmConsole v -> !v.console().hostUrls().isEmpty();
            case RunSpec.Container c -> c.listen().isPresent();
        };
    }

    private synchronized void started() {
        spawned = true;
        if (status instanceof Status.Starting && !expectsListening()) status = new Status.Ready(Optional.empty());
        notifyAll();
    }

    private void observe(Event event) {
        if (event instanceof Event.Ready r && r.phase().equals("listening")) {
            synchronized (this) {
                if (status instanceof Status.Starting || status instanceof Status.Ready) {
                    var first = r.detail().split("[ ,]", 2)[0];
                    status = new Status.Ready(first.isEmpty() ? Optional.empty() : Optional.of(first));
                    notifyAll();
                }
            }
        }
        next.emit(event);
    }

    private synchronized void finish(Status end) {
        status = end;
        notifyAll();
    }

    private void trainingNote(RunSpec s) {
        s.launch()
                .aotTraining()
                .ifPresent(aot -> sink.emit(new Event.Info(
                        "first run: recording an AOT cache for faster starts (written when the app stops)")));
    }

    private static void rethrow(Exception e) throws IOException, InterruptedException {
        switch (e) {
            case IOException io -> throw io;
            case InterruptedException i -> throw i;
            case RuntimeException r -> throw r;
            default -> throw new IllegalStateException(e);
        }
    }
}
