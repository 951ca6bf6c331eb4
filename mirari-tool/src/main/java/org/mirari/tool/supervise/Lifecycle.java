package org.mirari.tool.supervise;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.error.ConfigException;

/**
 * What {@code ps}, {@code stop} and {@code rm} do with the instances of a {@link StateDir}: what is
 * true of an instance now (its supervisor's last report checked against the processes and taps that
 * exist), stopping one (graceful, then forced), and removing one with everything it made.
 */
public final class Lifecycle {
    private final StateDir state;

    public Lifecycle(StateDir state) {
        this.state = state;
    }

    public StateDir state() {
        return state;
    }

    /**
     * One instance as {@code ps} shows it.
     *
     * @param state     {@code starting}, {@code running}, {@code restarting}, {@code exited}, {@code crashed},
     *                  or {@code lost} when its supervisor is gone without recording an end
     * @param uptime    how long the current run has been running, when one is
     * @param exitCode  the app's last exit code, when it has one
     * @param left      what a killed supervisor left behind (the app's process, a tap), for {@code rm -f}
     */
    public record Row(
            Instance instance,
            Status status,
            String state,
            Optional<Duration> uptime,
            Optional<Integer> exitCode,
            List<String> left) {
        /** Whether a supervisor looks after it now. */
        public boolean live() {
            return status.state().live() && !state.equals("lost");
        }
    }

    /** What is true of {@code instance} now. */
    public Row row(Instance instance) {
        var s = instance.status();
        boolean supervised =
                Processes.alive(s.supervisorPid(), s.supervisorStart()).isPresent();
        var left = new ArrayList<String>();
        String label = s.state().label();
        if (s.state().live() && !supervised && (s.supervisorPid() > 0 || olderThan(instance, Duration.ofSeconds(30)))) {
            label = "lost";
            Processes.alive(s.appPid(), s.appStart()).ifPresent(p -> left.add("app process " + p.pid()));
        }
        if (!s.tap().isEmpty() && !supervised && Taps.isLeftover(s.tap())) left.add("tap " + s.tap());
        Optional<Duration> uptime = label.equals("running") || label.equals("starting") && s.startedAt() > 0
                ? Optional.of(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - s.startedAt())))
                : Optional.empty();
        Optional<Integer> code = s.exitCode() >= 0 ? Optional.of(s.exitCode()) : Optional.empty();
        return new Row(instance, s, label, uptime, code, List.copyOf(left));
    }

    private static boolean olderThan(Instance i, Duration d) {
        return System.currentTimeMillis() - i.created() > d.toMillis();
    }

    /** Every instance, or only those that run (or were lost) unless {@code all}. */
    public List<Row> list(boolean all) throws IOException {
        var rows = new ArrayList<Row>();
        for (var i : state.all()) {
            var r = row(i);
            if (all || r.live() || r.state().equals("lost")) rows.add(r);
        }
        return rows;
    }

    /**
     * Stops {@code instance}: SIGTERM to its supervisor, which stops the app within {@code timeout}
     * (graceful, then SIGKILL) and records the end; a supervisor that does not end in time more is
     * killed, and the app with it. Returns whether it was running.
     */
    public boolean stop(Instance instance, Duration timeout) throws IOException, InterruptedException {
        var s = instance.status();
        var supervisor = Processes.alive(s.supervisorPid(), s.supervisorStart());
        if (supervisor.isEmpty()) {
            killLeftApp(s);
            return false;
        }
        Files.writeString(instance.stopRequest(), Double.toString(timeout.toMillis() / 1000.0));
        supervisor.get().destroy();
        // The supervisor waits the grace period for the app, then forces it and cleans up the host.
        try {
            supervisor.get().onExit().get(timeout.toMillis() + 20_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            supervisor.get().destroyForcibly();
            supervisor.get().onExit().join();
            killLeftApp(s);
            new Status(
                            State.EXITED,
                            0,
                            0,
                            0,
                            0,
                            "",
                            s.startedAt(),
                            s.restarts(),
                            s.exitCode(),
                            0,
                            "killed: the supervisor did not stop in time",
                            s.tap())
                    .write(instance.dir());
        }
        Files.deleteIfExists(instance.stopRequest());
        return true;
    }

    private static void killLeftApp(Status s) {
        Processes.alive(s.appPid(), s.appStart()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    /**
     * Removes {@code instance} and everything it made: its directory (console log included) and, if a
     * killed supervisor left them, the app's process and the tap its run created. A running instance
     * is removed only with {@code force} (it is then killed first).
     */
    public void remove(Instance instance, boolean force) throws IOException, InterruptedException {
        var row = row(instance);
        if (row.live() && !force)
            throw new ConfigException(List.of("instance " + instance.name() + " is " + row.state()
                    + "; stop it first (mirari stop " + instance.name() + ") or use mirari rm -f"));
        if (row.live()) stop(instance, Duration.ZERO);
        var s = instance.status();
        killLeftApp(s);
        if (!s.tap().isEmpty() && Taps.isLeftover(s.tap())) Taps.delete(s.tap());
        try (var unused = state.lock()) {
            deleteTree(instance.dir());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
