package org.mirari.tool.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.mirari.tool.error.ConfigException;

/**
 * {@code mirari run -d}: records a new instance under a unique name, starts its supervisor in a
 * session of its own ({@code setsid}, so a terminal's hang-up or Ctrl-C does not reach it), and
 * waits until the supervisor reports the app ready, or failed.
 */
public final class Detach {
    private Detach() {}

    /** What to start. */
    public record Request(
            Optional<String> name,
            String app,
            String conf,
            String backend,
            Path cwd,
            List<String> args,
            RestartPolicy restart) {}

    /**
     * Creates the instance and starts its supervisor, whose command {@code supervisor} gives for the
     * instance's directory; returns the instance once the app is ready, or its run is over.
     */
    public static Instance start(StateDir state, Request request, Function<Path, List<String>> supervisor)
            throws IOException, InterruptedException {
        Instance instance;
        try (var unused = state.lock()) {
            String name;
            if (request.name().isPresent()) {
                name = request.name().get();
                var bad = StateDir.invalidName(name);
                if (bad.isPresent()) throw new ConfigException(List.of(bad.get()));
                if (Files.exists(state.instance(name)))
                    throw new ConfigException(List.of("the name " + name + " is in use by an instance ("
                            + new Lifecycle(state).row(state.require(name)).state() + "); choose another with --name,"
                            + " or remove that one: mirari rm -f " + name));
            } else {
                name = state.freeName(request.app());
            }
            var dir = Files.createDirectory(state.instance(name));
            instance = new Instance(
                    dir,
                    name,
                    request.app(),
                    request.conf(),
                    request.backend(),
                    request.cwd(),
                    request.args(),
                    request.restart(),
                    System.currentTimeMillis());
            instance.write();
        }
        var command = new ArrayList<String>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) command.add("/usr/bin/setsid");
        command.addAll(supervisor.apply(instance.dir()));
        var process = new ProcessBuilder(command)
                .directory(request.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        instance.supervisorLog().toFile()))
                .start();
        // The supervisor reports through its status file; it is polled, as a person would.
        while (true) {
            var s = Status.read(instance.dir());
            if (s.isPresent() && s.get().state() != State.STARTING) return instance;
            if (!process.isAlive()) {
                if (Status.read(instance.dir())
                        .map(x -> x.state() != State.STARTING)
                        .orElse(false)) return instance;
                String log = Files.exists(instance.supervisorLog())
                        ? String.join("\n", ConsoleLog.tail(instance.supervisorLog(), 20))
                        : "";
                new Status(
                                State.CRASHED,
                                0,
                                0,
                                0,
                                0,
                                "",
                                0,
                                0,
                                -1,
                                70,
                                "the supervisor ended without a report: " + log,
                                "")
                        .write(instance.dir());
                return instance;
            }
            process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
