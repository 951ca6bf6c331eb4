package org.mirari.tool.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.error.MirariException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.run.RunHandle;

/**
 * The supervisor of one detached instance: the body of the small process that {@code mirari run -d}
 * starts in a session of its own. It holds a {@link RunHandle} for each run of the app, writes what
 * happens to the instance's {@code status.properties}, and applies the {@link RestartPolicy} with its
 * backoff and crash-loop limit. {@code mirari stop} leaves the grace period in {@code stop-request}
 * and sends SIGTERM: the supervisor's shutdown hook then stops the app (graceful, then forced), waits
 * for the host's clean-up and records the end. The app dies with the supervisor if the supervisor is
 * killed ({@code PR_SET_PDEATHSIG}, see {@code hosttool.Orphans}); {@code mirari ps} then sees a supervisor
 * that is gone and says so.
 */
public final class Supervisor {
    /** The grace period of a stop that did not say ({@code mirari stop} without {@code --timeout}). */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final Instance instance;
    private final RunSpec spec;
    private final String label;
    private final EventSink log;
    private final Host host;
    private final Object lock = new Object();
    private Status status; // guarded by lock
    private RunHandle current; // guarded by lock
    private boolean stopping; // guarded by lock
    private boolean final_; // guarded by lock: the end is recorded, nothing more is written

    public Supervisor(Instance instance, RunSpec spec, String label, EventSink log, Host host) {
        this.instance = instance;
        this.spec = spec;
        this.label = label;
        this.log = log;
        this.host = host;
    }

    /** Records that the supervisor could not even prepare the run (the build failed since {@code run -d} built it). */
    public static void failedBeforeStart(Instance instance, int exitCode, String message) throws IOException {
        var self = ProcessHandle.current();
        Status.starting(self.pid(), Processes.startMillis(self.pid()).orElse(0L))
                .ended(State.CRASHED, -1, exitCode, message)
                .write(instance.dir());
    }

    /** Supervises the instance to its end; returns this process's exit code (0 once the end is recorded). */
    public int run() throws IOException, InterruptedException {
        var self = ProcessHandle.current();
        var tap = spec instanceof RunSpec.HostPrepared h ? h.host().tap() : "";
        write(Status.starting(self.pid(), Processes.startMillis(self.pid()).orElse(0L))
                .withTap(tap));
        var hook = Thread.ofPlatform().unstarted(this::stopFromSignal);
        Runtime.getRuntime().addShutdownHook(hook);
        var policy = instance.restart();
        int quick = 0;
        while (true) {
            RunHandle handle;
            synchronized (lock) {
                if (stopping) return 0;
                handle = RunHandle.create(spec, label, log, host, RunHandle.BeforeStart.NOTHING);
                current = handle;
            }
            long t0 = System.currentTimeMillis();
            int code;
            try {
                handle.start();
                long pid = handle.pid().orElse(0);
                update(s -> s.withApp(pid, Processes.startMillis(pid).orElse(0L), t0));
                var ready = handle.awaitReady(Duration.ofDays(3650));
                if (ready instanceof RunHandle.Status.Ready r)
                    update(s -> s.with(State.RUNNING).withAddress(r.address().orElse("")));
                code = handle.awaitExit();
            } catch (MirariException e) {
                // The run could not start or go on (a busy port, a tap, a hypervisor): no restart mends that.
                log.emit(new Event.Warning(e.getMessage()));
                finish(s -> s.ended(State.CRASHED, -1, e.exitCode().code(), e.getMessage()));
                return 0;
            }
            synchronized (lock) {
                if (stopping) return 0; // the hook records the end
            }
            long ran = System.currentTimeMillis() - t0;
            quick = ran < RestartPolicy.QUICK.toMillis() ? quick + 1 : 1;
            int exit = code;
            if (!policy.restarts(code)) {
                finish(s -> s.ended(State.EXITED, exit, 0, ""));
                return 0;
            }
            if (quick > policy.maxQuick()) {
                var why = String.format(
                        Locale.ROOT,
                        "exited with %d after %d restarts: %d quick failures in a row (each under %d s); gave up (--restart %s)",
                        code,
                        status().restarts(),
                        quick,
                        RestartPolicy.QUICK.toSeconds(),
                        policy);
                log.emit(new Event.Warning(why));
                finish(s -> s.ended(State.CRASHED, exit, 0, why));
                return 0;
            }
            var wait = RestartPolicy.backoff(quick);
            var why = String.format(
                    Locale.ROOT,
                    "exited with %d; restarting in %.1f s (--restart %s)",
                    code,
                    wait.toMillis() / 1000.0,
                    policy);
            log.emit(new Event.Info(why));
            update(s -> s.ended(State.EXITED, exit, 0, "").restarted(why));
            synchronized (lock) {
                long end = System.nanoTime() + wait.toNanos();
                while (!stopping) {
                    long left = end - System.nanoTime();
                    if (left <= 0) break;
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            }
        }
    }

    /** The shutdown hook (SIGTERM from {@code mirari stop}): stops the app, waits for its clean-up, records the end. */
    private void stopFromSignal() {
        RunHandle handle;
        synchronized (lock) {
            if (final_) return; // the end is recorded: this is the supervisor's own exit
            stopping = true;
            handle = current;
            lock.notifyAll();
        }
        int code = -1;
        if (handle != null) {
            handle.stop(grace());
            try {
                handle.awaitEnd(Duration.ofSeconds(30));
                if (handle.status() instanceof RunHandle.Status.Exited e) code = e.code();
            } catch (InterruptedException e) {
                // record what is known
            }
        }
        int exit = code;
        var before = status();
        // A stop while it was restarting keeps the last exit code.
        log.emit(new Event.Info("stopped"));
        finish(s -> s.ended(State.EXITED, exit >= 0 ? exit : before.exitCode(), 0, "stopped"));
    }

    private Duration grace() {
        try {
            var text = Files.readString(instance.stopRequest()).strip();
            return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_GRACE;
        }
    }

    private Status status() {
        synchronized (lock) {
            return status;
        }
    }

    private void write(Status s) throws IOException {
        synchronized (lock) {
            if (final_) return;
            status = s;
            s.write(instance.dir());
        }
    }

    /** Records the end: nothing is written after it. */
    private void finish(java.util.function.UnaryOperator<Status> change) {
        synchronized (lock) {
            update(change);
            final_ = true;
        }
    }

    private void update(java.util.function.UnaryOperator<Status> change) {
        synchronized (lock) {
            if (final_) return;
            try {
                write(change.apply(status));
            } catch (IOException e) {
                log.emit(new Event.Warning("cannot record the instance's status: " + e.getMessage()));
            }
        }
    }
}
