package org.mirari.tool.supervise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A detached instance as {@code mirari run -d} recorded it in {@code instance.properties}: what to
 * run (the {@code run} command line, in its directory) and how to supervise it.
 *
 * @param dir      the instance's directory in the state directory
 * @param name     the instance's name (unique per user)
 * @param app      the app's name
 * @param conf     the app's conf file
 * @param backend  the target's switch ({@code socket}, {@code unix}, {@code qemu}, {@code xen})
 * @param cwd      where {@code run -d} was started (the run's arguments are relative to it)
 * @param args     the {@code run} command's arguments without {@code -d}, {@code --name} and {@code --restart}
 * @param restart  the restart policy
 * @param created  when it was created, ms since the epoch
 */
public record Instance(
        Path dir,
        String name,
        String app,
        String conf,
        String backend,
        Path cwd,
        List<String> args,
        RestartPolicy restart,
        long created) {
    static final String FILE = "instance.properties";

    public Instance {
        args = List.copyOf(args);
    }

    /** The supervisor's last report; a fresh {@code starting} one before the first. */
    public Status status() {
        return Status.read(dir).orElse(Status.starting(0, 0));
    }

    public Path consoleLog() {
        return dir.resolve("console.log");
    }

    public Path supervisorLog() {
        return dir.resolve("supervisor.log");
    }

    /** Where {@code mirari stop} leaves the grace period for the supervisor before signalling it. */
    Path stopRequest() {
        return dir.resolve("stop-request");
    }

    /** Writes {@code instance.properties} (atomically). */
    public void write() throws IOException {
        var p = new Properties();
        p.setProperty("name", name);
        p.setProperty("app", app);
        p.setProperty("conf", conf);
        p.setProperty("backend", backend);
        p.setProperty("cwd", cwd.toString());
        p.setProperty("restart", restart.toString());
        p.setProperty("created", Long.toString(created));
        p.setProperty("args", Integer.toString(args.size()));
        for (int i = 0; i < args.size(); i++) p.setProperty("arg." + i, args.get(i));
        PropertiesFiles.writeAtomically(dir.resolve(FILE), p);
    }

    /** The instance recorded in {@code dir}, if there is one that can be read. */
    public static Optional<Instance> read(Path dir) {
        var found = PropertiesFiles.read(dir.resolve(FILE));
        if (found.isEmpty()) return Optional.empty();
        var p = found.get();
        try {
            int n = Integer.parseInt(p.getProperty("args", "0"));
            var args = new ArrayList<String>();
            for (int i = 0; i < n; i++) args.add(p.getProperty("arg." + i, ""));
            return Optional.of(new Instance(
                    dir,
                    p.getProperty("name", dir.getFileName().toString()),
                    p.getProperty("app", "?"),
                    p.getProperty("conf", ""),
                    p.getProperty("backend", "?"),
                    Path.of(p.getProperty("cwd", "/")),
                    args,
                    RestartPolicy.parse(p.getProperty("restart", "no")),
                    Long.parseLong(p.getProperty("created", "0"))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
