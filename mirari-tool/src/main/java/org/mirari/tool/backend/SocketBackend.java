package org.mirari.tool.backend;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.pkg.HashCache;
import org.mirari.tool.pkg.Launcher;
import org.mirari.tool.pkg.ReproducibleJar;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * The default target: a JVM process on host sockets. Build output, under
 * {@code <appdir>/.mirari/socket/}: {@code <name>.jar} (the app's classes; {@code Main-Class: Main};
 * a manifest {@code Class-Path} naming {@code lib/*.jar}), {@code lib/} (the runtime jar and the
 * resolved packages, copied so the directory is self-contained), {@code build.sha256} (the
 * fingerprint of every input, for the up-to-date check) and, after the first run,
 * {@code <name>.aot} (a JEP 514 AOT cache). Beside the conf: the launcher {@code mir-<name>}.
 */
public final class SocketBackend implements Backend {
    private final Host host;

    public SocketBackend(Host host) {
        this.host = host;
    }

    public SocketBackend() {
        this(Host.bare());
    }

    @Override
    public Target target() {
        return Target.SOCKET;
    }

    /** {@code <appdir>/.mirari/socket}. */
    public static Path outDir(AppBuild app) {
        return app.outputs().jarDir(Target.SOCKET);
    }

    public static Path jar(AppBuild app) {
        return app.outputs().jar(Target.SOCKET);
    }

    public static Path aotCache(AppBuild app) {
        return app.outputs().aotCache(Target.SOCKET);
    }

    public static Path launcher(AppBuild app) {
        return app.outputs().launcher();
    }

    @Override
    public List<PlannedFile> buildOutputs(AppBuild app) {
        return outputs(app);
    }

    /** What the socket build writes (the {@code --unix} build is the same). */
    static List<PlannedFile> outputs(AppBuild app) {
        var o = app.outputs();
        var files = new ArrayList<PlannedFile>();
        files.add(new PlannedFile(o.jar(Target.SOCKET), "the app's classes (Main-Class: Main, Class-Path: lib/)"));
        for (var lib : libNames(app).values()) {
            files.add(new PlannedFile(o.libDir(Target.SOCKET).resolve(lib), "a copy of a runtime or package jar"));
        }
        files.add(new PlannedFile(o.launcher(), "the launcher (stamped shell script)"));
        files.add(new PlannedFile(o.hashCache(Target.SOCKET), "content hashes of the inputs, by size and time"));
        files.add(new PlannedFile(
                o.buildFingerprint(Target.SOCKET), "the build's fingerprint, for the up-to-date check"));
        return files;
    }

    @Override
    public boolean upToDate(AppBuild app) {
        try {
            var recorded = app.outputs().buildFingerprint(Target.SOCKET);
            if (!Files.isRegularFile(recorded) || !Files.isRegularFile(jar(app))) return false;
            for (var lib : libNames(app).values()) {
                if (!Files.isRegularFile(app.outputs().libDir(Target.SOCKET).resolve(lib))) return false;
            }
            if (GeneratedFiles.isUsersFile(launcher(app)) || !Files.isRegularFile(launcher(app))) return false;
            return Files.readString(recorded).strip().equals(fingerprint(app));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public BuildOutcome build(AppBuild app, EventSink events) {
        long t0 = System.nanoTime();
        var outputs = List.of(jar(app), launcher(app));
        try {
            if (upToDate(app)) {
                events.emit(new Event.StepFinished("build", since(t0), true));
                return new BuildOutcome(true, outputs);
            }
            var fingerprint = fingerprint(app);
            var compiled = CompileStep.compile(app, events);

            long tp = System.nanoTime();
            events.emit(new Event.StepStarted(
                    "package", app.appDir().relativize(jar(app)).toString()));
            var libs = libNames(app);
            var libDir = app.outputs().libDir(Target.SOCKET);
            Files.createDirectories(libDir);
            for (var e : libs.entrySet()) {
                Files.copy(e.getKey(), libDir.resolve(e.getValue()), StandardCopyOption.REPLACE_EXISTING);
            }
            try (var old = Files.list(libDir)) {
                var keep = new HashSet<>(libs.values());
                for (var f : old.toList()) if (!keep.contains(f.getFileName().toString())) Files.delete(f);
            }
            var attributes = new LinkedHashMap<String, String>();
            attributes.put("Created-By", "mirari " + app.toolVersion());
            attributes.put("Main-Class", "Main");
            attributes.put(
                    "Class-Path",
                    String.join(
                            " ",
                            libs.values().stream()
                                    .map(n -> "lib/"
                                            + URLEncoder.encode(n, StandardCharsets.UTF_8)
                                                    .replace("+", "%20"))
                                    .toList()));
            ReproducibleJar.write(jar(app), attributes, compiled.classes(), host.entryTime());
            events.emit(new Event.Wrote(jar(app), Files.size(jar(app))));
            // An AOT cache describes the old jar: the JVM would refuse it, so drop it now.
            Files.deleteIfExists(aotCache(app));
            var launch = baseCommand(app);
            var script = Launcher.script(
                    app.stamp(),
                    app.appDir(),
                    javaExecutable(app),
                    launch.jvmOptions(),
                    Optional.of(aotCache(app)),
                    launch.appArgs());
            if (GeneratedFiles.write(launcher(app), script, true)) {
                events.emit(new Event.Wrote(launcher(app), Files.size(launcher(app))));
            }
            Files.writeString(app.outputs().buildFingerprint(Target.SOCKET), fingerprint + "\n");
            events.emit(new Event.StepFinished("package", since(tp), false));
            events.emit(new Event.StepFinished("build", since(t0), false));
            return new BuildOutcome(false, outputs);
        } catch (IOException e) {
            throw new BuildException("packaging " + app.name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        var base = baseCommand(app);
        var command = new ArrayList<String>();
        command.add(javaExecutable(app).toString());
        command.addAll(base.jvmOptions());
        Optional<Path> training = Optional.empty();
        if (options.aotCache()) {
            if (Files.isRegularFile(aotCache(app))) {
                command.add("-XX:AOTCache=" + aotCache(app));
            } else {
                // JEP 514: this run records what the app loads and writes the cache when it exits.
                training = Optional.of(aotCache(app));
                command.add("-XX:AOTCacheOutput=" + aotCache(app));
                command.add("-Xlog:aot=off");
                command.add("-Xlog:cds=off");
            }
        }
        command.addAll(base.appArgs());
        boot.overrides().forEach((k, v) -> command.add(k + "=" + v));
        return new RunSpec.Process(new Launch(command, Map.of(), app.appDir(), training), listen(app, boot), true);
    }

    /** Where a {@code main-http} app listens (nothing for the other entry kinds). */
    static Optional<RunSpec.Listen> listen(AppBuild app, Boot boot) {
        return app.config().main().kind() == EntryPoint.Kind.HTTP
                ? Optional.of(new RunSpec.Listen(boot.httpAddress(), boot.httpPort()))
                : Optional.empty();
    }

    private record Base(List<String> jvmOptions, List<String> appArgs) {}

    private static Base baseCommand(AppBuild app) {
        var options = new ArrayList<String>(app.jvmOptions());
        options.add("-Dmirari.kv.dir=" + app.outputs().kvDir());
        return new Base(options, List.of("-jar", jar(app).toString()));
    }

    static Path javaExecutable(AppBuild app) {
        return app.javaHome().resolve("bin").resolve("java");
    }

    /** Dependency jar to its file name under {@code lib/}, unique, in class path order. */
    static Map<Path, String> libNames(AppBuild app) {
        var names = new LinkedHashMap<Path, String>();
        var taken = new HashSet<String>();
        for (var jar : app.classpath()) {
            var name = jar.getFileName().toString();
            for (int n = 2; !taken.add(name); n++) name = n + "-" + jar.getFileName();
            names.putIfAbsent(jar, name);
        }
        return names;
    }

    /** The content hash of every input of the build. */
    String fingerprint(AppBuild app) throws IOException {
        var hashes = HashCache.load(app.outputs().hashCache(Target.SOCKET));
        var f = new Fingerprint()
                .value("target", "socket")
                .value("tool", app.toolVersion())
                .value("name", app.name())
                .value("release", Integer.toString(app.release()))
                .value("java", app.javaHome().toString())
                .value("jvm-options", String.join("\u0000", app.jvmOptions()))
                .value("source-date-epoch", host.entryTime().toString());
        for (var s : app.sources())
            f.file("source:" + app.appDir().relativize(s.toAbsolutePath().normalize()), s, hashes);
        int i = 0;
        for (var e : libNames(app).entrySet()) {
            f.file(String.format("lib:%03d:%s", i++, e.getValue()), e.getKey(), hashes);
        }
        if (Files.isDirectory(outDir(app))) hashes.save();
        return f.hex();
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
