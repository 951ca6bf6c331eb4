package org.mirari.tool.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Launch;
import org.mirari.tool.backend.RunSpec;
import org.mirari.tool.event.Event;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.plan.ToolVersion;
import org.mirari.tool.run.AppProcess;
import org.mirari.tool.run.PortCheck;

/**
 * The lean path of {@code mirari run}: starts the app at once when the same command line ran it
 * before and none of the files that went into that decision changed. A full run records, in
 * {@code .mirari/run.quick}, the command it started and the size and modification time of
 * everything it read: the conf, the app directory and its sources, the {@code fs-*} trees, the
 * lock file, the runtime and package jars, the build outputs, the AOT cache and the tool's own jar.
 * If any of them differs (or the command line, directory or JDK settings do), the full path runs:
 * parse, configure and build checks by content hash, as always. This is git's index trick; it
 * keeps the tool's share of time-to-first-response to a JVM start and a few dozen {@code stat}s.
 */
final class QuickRun {
    static final String FILE = "run.quick";
    /** The stamp {@code bin/mirari} checks to start the app without the tool's JVM. */
    static final String SH_FILE = "run.quick.sh";

    private static final int FORMAT = 1;

    private QuickRun() {}

    /** What a full run decided, and what it depended on. */
    record Stamp(
            String key,
            List<String> command,
            Map<String, String> environment,
            Path directory,
            String address,
            int port,
            String name,
            Map<String, String> watched) {}

    /** The key of a command line: its arguments, where it ran, which JDK settings and tool. */
    static String key(String[] args, CliContext context) {
        return String.join("\u0000", args) + "\u0001" + context.cwd() + "\u0001"
                + context.env().getOrDefault("JAVA_HOME", "")
                + "\u0001" + context.env().getOrDefault("MIRARI_JDK_SEARCH_PATH", "") + "\u0001" + context.home()
                + "\u0001" + ToolVersion.current();
    }

    /** Where a command line's app keeps its stamp, if the app directory can be told without parsing the conf. */
    static Optional<Path> stampFile(String location, CliContext context) {
        var given = location == null
                ? context.cwd()
                : context.cwd().resolve(location).toAbsolutePath().normalize();
        if (Files.isDirectory(given))
            return Optional.of(given.resolve(".mirari").resolve(FILE));
        if (given.getFileName() != null
                && given.getFileName().toString().endsWith(".conf")
                && given.getParent() != null) {
            return Optional.of(given.getParent().resolve(".mirari").resolve(FILE));
        }
        return Optional.empty();
    }

    /** Runs the app if the stamp of this command line still holds; empty to take the full path. */
    static Optional<Integer> tryRun(String[] args, AppOptions app, CliContext context)
            throws IOException, InterruptedException {
        var file = stampFile(app.location(), context);
        if (file.isEmpty() || !Files.isRegularFile(file.get())) return Optional.empty();
        Stamp stamp;
        try {
            stamp = read(file.get());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (!stamp.key().equals(key(args, context))) return debug(context, "another command line");
        for (var w : stamp.watched().entrySet()) {
            if (!state(Path.of(w.getKey())).equals(w.getValue())) return debug(context, w.getKey() + " changed");
        }
        debug(context, "nothing changed since the last run");
        var sink = context.sink(app.quiet());
        if (stamp.port() > 0) PortCheck.requireBindable(stamp.address(), stamp.port());
        var launch = new Launch(stamp.command(), stamp.environment(), stamp.directory(), Optional.empty());
        // The app starts first: what the tool prints meanwhile costs it no time.
        int code = new AppProcess(launch, sink, stamp.address(), stamp.port())
                .onStarted(() -> {
                    sink.emit(new Event.StepFinished("build", Duration.ZERO, true));
                    sink.emit(new Event.StepStarted("run", stamp.name() + " (--socket)"));
                })
                .run();
        if (code != 0) sink.emit(new Event.Info(stamp.name() + " exited with " + code));
        return Optional.of(code);
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
    static void record(String[] args, CliContext context, Pipeline pipeline, AppBuild build, RunSpec.Process process) {
        var launch = process.launch();
        if (!process.quickRun() || launch.aotTraining().isPresent()) return;
        String address = process.listen().map(RunSpec.Listen::address).orElse("*");
        int port = process.listen().map(RunSpec.Listen::port).orElse(0);
        try {
            var watched = new LinkedHashMap<String, String>();
            var appDir = build.appDir();
            watch(watched, context.home().resolve("mirari-tool/target/mirari.jar"));
            watch(watched, build.conf());
            watch(watched, appDir);
            build.sources().forEach(s -> watch(watched, s));
            var tree = appDir.resolve("src/main/java");
            if (Files.isDirectory(tree)) watchTree(watched, tree);
            for (var store : pipeline.config().stores()) watchTree(watched, store.dir());
            watchTree(watched, pipeline.plan().outputs().kvDir());
            watch(watched, pipeline.plan().outputs().lockFile());
            build.runtimeJars().forEach(j -> watch(watched, j));
            build.dependencies().forEach(j -> watch(watched, j));
            watch(watched, pipeline.plan().outputs().configureStamp());
            watchTree(watched, build.outputs().jarDir(org.mirari.tool.targets.Target.SOCKET));
            watch(watched, build.outputs().launcher());
            var stamp = new Stamp(
                    key(args, context),
                    launch.command(),
                    launch.environment(),
                    launch.directory(),
                    address,
                    port,
                    build.name(),
                    watched);
            write(pipeline.plan().outputs().mirariDir().resolve(FILE), stamp);
            var script = pipeline.plan().outputs().mirariDir().resolve(SH_FILE);
            var text = shellStamp(args, context, stamp);
            if (text.isPresent()) writeAtomically(script, text.get());
            else Files.deleteIfExists(script);
        } catch (IOException | RuntimeException e) {
            // Only a shortcut for the next run.
        }
    }

    private static void watch(Map<String, String> watched, Path p) {
        watched.put(p.toAbsolutePath().normalize().toString(), state(p));
    }

    private static void watchTree(Map<String, String> watched, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            watch(watched, dir);
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                watch(watched, d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                watch(watched, f);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * The same stamp for {@code bin/mirari}, which checks it with one {@code stat} and then execs the
     * app's JVM itself, without starting the tool's: a line per fact, {@code TAG VALUE}. Only for an
     * app that listens on a port (its runtime then ends a run as the tool would, see
     * {@code -Dmirari.run.console}), and only when every value fits on a line.
     */
    static Optional<String> shellStamp(String[] args, CliContext context, Stamp s) {
        if (s.port() <= 0 || s.command().isEmpty()) return Optional.empty();
        boolean quiet = false;
        for (var a : args) quiet |= a.equals("-q") || a.equals("--quiet");
        var b = new StringBuilder("mirari-quick-run 1\n");
        for (var a : args) b.append("a ").append(a).append('\n');
        b.append("cwd ").append(context.cwd()).append('\n');
        b.append("java-home ")
                .append(context.env().getOrDefault("JAVA_HOME", ""))
                .append('\n');
        b.append("search ")
                .append(context.env().getOrDefault("MIRARI_JDK_SEARCH_PATH", ""))
                .append('\n');
        b.append("home ").append(context.home()).append('\n');
        b.append("port ").append(s.port()).append('\n');
        b.append("dir ").append(s.directory()).append('\n');
        for (var e : s.environment().entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) return Optional.empty();
            b.append("env ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        if (!quiet) {
            b.append("say mirari: build: up to date\n");
            b.append("say mirari: run: ").append(s.name()).append(" (--socket)\n");
        }
        b.append("exec ").append(s.command().getFirst()).append('\n');
        b.append("exec -Dmirari.run.console=")
                .append(quiet ? "quiet" : "normal")
                .append('\n');
        for (var c : s.command().subList(1, s.command().size()))
            b.append("exec ").append(c).append('\n');
        for (var w : s.watched().entrySet()) {
            var st = shellState(Path.of(w.getKey()));
            if (st.isEmpty()) return Optional.empty();
            // The state the tool checks must be the one the launcher checks.
            if (!w.getValue().equals(state(Path.of(w.getKey())))) return Optional.empty();
            b.append(st.get()).append(' ').append(w.getKey()).append('\n');
        }
        var text = b.toString();
        // Every value on one line: a newline inside one (or a NUL) would change the meaning.
        long lines = text.chars().filter(c -> c == '\n').count();
        long expected = 7
                + args.length
                + s.environment().size()
                + (quiet ? 0 : 2)
                + s.command().size()
                + 1
                + s.watched().size();
        if (lines != expected || text.indexOf('\0') >= 0) return Optional.empty();
        return Optional.of(text);
    }

    /**
     * {@code f SIZE SECONDS.NANOS} as GNU {@code stat -c '%s %.9Y'} prints it (without following a
     * symbolic link), {@code x} for a file that is absent; empty when it cannot be told.
     */
    static Optional<String> shellState(Path p) {
        try {
            var a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long t = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            if (t < 0) return Optional.empty();
            return Optional.of(String.format(
                    java.util.Locale.ROOT, "f %d %d.%09d", a.size(), t / 1_000_000_000L, t % 1_000_000_000L));
        } catch (NoSuchFileException e) {
            return Optional.of("x");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        GeneratedFiles.replace(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** {@code size:mtime-nanos} (directories: {@code d:mtime}), or {@code -} when absent. */
    static String state(Path p) {
        try {
            var a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long t = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            return a.isDirectory() ? "d:" + t : a.size() + ":" + t;
        } catch (NoSuchFileException e) {
            return "-";
        } catch (IOException e) {
            return "?";
        }
    }

    static void write(Path file, Stamp s) throws IOException {
        GeneratedFiles.replace(file, stream -> {
            var out = new DataOutputStream(stream);
            out.writeInt(FORMAT);
            out.writeUTF(s.key());
            out.writeInt(s.command().size());
            for (var c : s.command()) out.writeUTF(c);
            out.writeInt(s.environment().size());
            for (var e : s.environment().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeUTF(s.directory().toString());
            out.writeUTF(s.address());
            out.writeInt(s.port());
            out.writeUTF(s.name());
            out.writeInt(s.watched().size());
            for (var e : s.watched().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.flush();
        });
    }

    static Stamp read(Path file) throws IOException {
        try (var in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != FORMAT) throw new IOException("other format");
            var key = in.readUTF();
            var command = new ArrayList<String>();
            for (int n = in.readInt(); n > 0; n--) command.add(in.readUTF());
            var env = new LinkedHashMap<String, String>();
            for (int n = in.readInt(); n > 0; n--) env.put(in.readUTF(), in.readUTF());
            var dir = Path.of(in.readUTF());
            var address = in.readUTF();
            int port = in.readInt();
            var name = in.readUTF();
            var watched = new LinkedHashMap<String, String>();
            for (int n = in.readInt(); n > 0; n--) watched.put(in.readUTF(), in.readUTF());
            return new Stamp(key, command, env, dir, address, port, name, watched);
        }
    }
}
