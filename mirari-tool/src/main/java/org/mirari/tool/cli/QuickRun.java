package org.mirari.tool.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.run.AppProcess;
import org.mirari.tool.run.PortCheck;
import org.mirari.tool.targets.Target;

/**
 * The lean path of {@code mirari run}: starts the app at once when the same command line ran it
 * before and none of the files that went into that decision changed. A full run records a
 * {@link QuickStamp}: the command it started and the state of everything it read (the conf, the
 * app directory and its sources, the {@code fs-*} trees, the lock file, the runtime and package
 * jars, the build outputs, the AOT cache and the tool's own jar). {@code bin/mirari} takes the
 * stamp without starting the tool when it can; otherwise the tool checks the same stamp here. If
 * anything differs, the full path runs: parse, configure and build checks by content hash, as
 * always. This is git's index trick.
 */
final class QuickRun {
    private QuickRun() {}

    /** Runs the app if the stamp of this command line still holds; empty to take the full path. */
    static Optional<Integer> tryRun(String[] args, boolean quiet, CliContext context)
            throws IOException, InterruptedException {
        var file = QuickStamp.file(args, context);
        if (file.isEmpty() || !Files.isRegularFile(file.get())) return debug(context, "no stamp for this command line");
        QuickStamp stamp;
        try {
            stamp = QuickStamp.parse(Files.readString(file.get()));
        } catch (IOException | RuntimeException e) {
            return debug(context, "unreadable stamp");
        }
        var changed = stamp.changed();
        if (changed.isPresent()) return debug(context, changed.get() + " changed");
        debug(context, "nothing changed since the last run");
        var sink = context.sink(quiet);
        if (stamp.port() > 0) PortCheck.requireBindable(stamp.address(), stamp.port());
        var launch = new Launch(stamp.toolCommand(), stamp.environment(), stamp.directory(), Optional.empty());
        // The app starts first: what the tool prints meanwhile costs it no time.
        int code = new AppProcess(launch, sink, stamp.address(), stamp.port())
                .onStarted(() -> started(stamp.name()).forEach(sink::emit))
                .run();
        if (code != 0) sink.emit(new Event.Info(stamp.name() + " exited with " + code));
        return Optional.of(code);
    }

    /** What a quick run says when the app has started: the same whoever starts it. */
    private static List<Event> started(String name) {
        return List.of(
                new Event.StepFinished("build", Duration.ZERO, true),
                new Event.StepStarted("run", name + " (--" + Target.SOCKET.switchName() + ")"));
    }

    /** With {@code MIRARI_DEBUG} set, says why the lean path was (not) taken. */
    private static Optional<Integer> debug(CliContext context, String why) {
        if (context.env().containsKey("MIRARI_DEBUG")) context.err().println("mirari: debug: quick run: " + why);
        return Optional.empty();
    }

    /**
     * Records what a full run is about to start. Only runs that use an existing AOT cache (or none)
     * are recorded: a training run's command is for once.
     */
    static void record(
            String[] args,
            boolean quiet,
            CliContext context,
            Pipeline pipeline,
            AppBuild build,
            RunSpec.Process process) {
        var launch = process.launch();
        if (!process.quickRun() || launch.aotTraining().isPresent()) return;
        try {
            var file = QuickStamp.file(args, context);
            if (file.isEmpty()) return;
            var text = stamp(context, pipeline, build, process, quiet).flatMap(QuickStamp::text);
            if (text.isPresent())
                GeneratedFiles.replace(file.get(), out -> out.write(text.get().getBytes(StandardCharsets.UTF_8)));
            else Files.deleteIfExists(file.get());
        } catch (IOException | RuntimeException e) {
            // Only a shortcut for the next run.
        }
    }

    /**
     * Every decision about the next identical command line, taken now: whether the launcher may
     * take it (an app that listens on an unprivileged port, whose runtime then ends a run as the
     * tool would), what it says and what it execs.
     */
    static Optional<QuickStamp> stamp(
            CliContext context, Pipeline pipeline, AppBuild build, RunSpec.Process process, boolean quiet)
            throws IOException {
        var launch = process.launch();
        String address = process.listen().map(RunSpec.Listen::address).orElse("*");
        int port = process.listen().map(RunSpec.Listen::port).orElse(0);
        Optional<String> tool = port <= 0
                ? Optional.of("the app listens on no port, so the tool reports how it ends")
                : port < 1024
                        ? Optional.of("a privileged port: the tool checks that this user may bind it")
                        : Optional.empty();
        var command = new ArrayList<String>(launch.command());
        if (tool.isEmpty()) command.add(1, QuickStamp.CONSOLE + (quiet ? "quiet" : "normal"));
        var watched = new LinkedHashMap<String, String>();
        var appDir = build.appDir();
        var outputs = pipeline.plan().outputs();
        watch(watched, context.home().resolve("mirari-tool/target/mirari.jar"));
        watch(watched, build.conf());
        watch(watched, appDir);
        for (var s : build.sources()) watch(watched, s);
        var tree = appDir.resolve("src/main/java");
        if (Files.isDirectory(tree)) watchTree(watched, tree);
        for (var store : pipeline.config().stores()) watchTree(watched, store.dir());
        watchTree(watched, outputs.kvDir());
        watch(watched, outputs.lockFile());
        for (var j : build.runtimeJars()) watch(watched, j);
        for (var j : build.dependencies()) watch(watched, j);
        watch(watched, outputs.configureStamp());
        watchTree(watched, build.outputs().jarDir(Target.SOCKET));
        watch(watched, build.outputs().launcher());
        if (watched.containsValue("?")) return Optional.empty();
        return Optional.of(new QuickStamp(
                tool,
                port,
                address,
                build.name(),
                launch.directory(),
                launch.environment(),
                rendered(context, started(build.name()), quiet),
                command,
                watched));
    }

    /** The lines the console shows for these events, rendered by the one console renderer. */
    private static List<String> rendered(CliContext context, List<Event> events, boolean quiet) {
        var bytes = new ByteArrayOutputStream();
        try (var err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            EventSink sink = new ConsoleSink(err, err, context.cwd(), quiet, Output.PLAIN);
            events.forEach(sink::emit);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void watch(Map<String, String> watched, Path p) {
        watched.put(
                p.toAbsolutePath().normalize().toString(), QuickStamp.state(p).orElse("?"));
    }

    private static void watchTree(Map<String, String> watched, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            watch(watched, dir);
            return;
        }
        try (var paths = Files.walk(dir)) { // the directories too: a file added or removed changes its directory
            paths.forEach(p -> watch(watched, p));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
