package org.mirari.tool.supervise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What the supervisor of an instance last reported, in {@code status.properties} (replaced
 * atomically, so a reader sees one report or the next, never half of one).
 *
 * @param state            where the instance is
 * @param supervisorPid    the supervisor's process (with its start time, since pids are reused)
 * @param appPid           the app's process (or its hypervisor's), 0 when none runs
 * @param address          the URL the app listens on, or empty
 * @param startedAt        when the current (or last) run of the app started, ms since the epoch; 0 before
 * @param restarts         how many times the policy restarted the app
 * @param exitCode         the app's last exit code, -1 while it has none
 * @param failureCode      the tool's exit code for a run that could not start (5: the backend), 0 otherwise
 * @param message          what a person should know (why it crashed, what was given up), or empty
 * @param tap              the tap this instance's run created, or empty: removed by {@code rm -f} if left
 */
public record Status(
        State state,
        long supervisorPid,
        long supervisorStart,
        long appPid,
        long appStart,
        String address,
        long startedAt,
        int restarts,
        int exitCode,
        int failureCode,
        String message,
        String tap) {

    static final String FILE = "status.properties";

    public static Status starting(long supervisorPid, long supervisorStart) {
        return new Status(State.STARTING, supervisorPid, supervisorStart, 0, 0, "", 0, 0, -1, 0, "", "");
    }

    Status with(State s) {
        var c = copy();
        c.state = s;
        return c.build();
    }

    Status withApp(long pid, long start, long at) {
        var c = copy();
        c.appPid = pid;
        c.appStart = start;
        c.address = "";
        c.startedAt = at;
        return c.build();
    }

    Status withAddress(String a) {
        var c = copy();
        c.address = a;
        return c.build();
    }

    Status ended(State s, int code, int failure, String why) {
        var c = copy();
        c.state = s;
        c.appPid = 0;
        c.appStart = 0;
        c.address = "";
        c.exitCode = code;
        c.failureCode = failure;
        c.message = why;
        return c.build();
    }

    Status restarted(String why) {
        var c = copy();
        c.state = State.RESTARTING;
        c.appPid = 0;
        c.appStart = 0;
        c.address = "";
        c.restarts = restarts + 1;
        c.message = why;
        return c.build();
    }

    Status withTap(String t) {
        var c = copy();
        c.tap = t;
        return c.build();
    }

    private Copy copy() {
        return new Copy(this);
    }

    /** A status being changed: the with-methods name only what they change. */
    private static final class Copy {
        State state;
        long supervisorPid, supervisorStart, appPid, appStart, startedAt;
        String address, message, tap;
        int restarts, exitCode, failureCode;

        Copy(Status s) {
            state = s.state;
            supervisorPid = s.supervisorPid;
            supervisorStart = s.supervisorStart;
            appPid = s.appPid;
            appStart = s.appStart;
            address = s.address;
            startedAt = s.startedAt;
            restarts = s.restarts;
            exitCode = s.exitCode;
            failureCode = s.failureCode;
            message = s.message;
            tap = s.tap;
        }

        Status build() {
            return new Status(
                    state,
                    supervisorPid,
                    supervisorStart,
                    appPid,
                    appStart,
                    address,
                    startedAt,
                    restarts,
                    exitCode,
                    failureCode,
                    message,
                    tap);
        }
    }

    /** Writes it to {@code dir} atomically. */
    void write(Path dir) throws IOException {
        var p = new Properties();
        p.setProperty("state", state.label());
        p.setProperty("supervisor.pid", Long.toString(supervisorPid));
        p.setProperty("supervisor.start", Long.toString(supervisorStart));
        p.setProperty("app.pid", Long.toString(appPid));
        p.setProperty("app.start", Long.toString(appStart));
        p.setProperty("address", address);
        p.setProperty("started", Long.toString(startedAt));
        p.setProperty("restarts", Integer.toString(restarts));
        p.setProperty("exit", Integer.toString(exitCode));
        p.setProperty("failure", Integer.toString(failureCode));
        p.setProperty("message", message);
        p.setProperty("tap", tap);
        PropertiesFiles.writeAtomically(dir.resolve(FILE), p);
    }

    /** The last report in {@code dir}, if there is one that can be read. */
    static Optional<Status> read(Path dir) {
        var p = PropertiesFiles.read(dir.resolve(FILE));
        if (p.isEmpty()) return Optional.empty();
        var q = p.get();
        try {
            return Optional.of(new Status(
                    State.valueOf(q.getProperty("state", "crashed").toUpperCase(java.util.Locale.ROOT)),
                    Long.parseLong(q.getProperty("supervisor.pid", "0")),
                    Long.parseLong(q.getProperty("supervisor.start", "0")),
                    Long.parseLong(q.getProperty("app.pid", "0")),
                    Long.parseLong(q.getProperty("app.start", "0")),
                    q.getProperty("address", ""),
                    Long.parseLong(q.getProperty("started", "0")),
                    Integer.parseInt(q.getProperty("restarts", "0")),
                    Integer.parseInt(q.getProperty("exit", "-1")),
                    Integer.parseInt(q.getProperty("failure", "0")),
                    q.getProperty("message", ""),
                    q.getProperty("tap", "")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
