package org.mirari.tool.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.config.EntryPoint;
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
    public Artifact artifact() {
        return new Artifact.AppJar();
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

    /** The JVM options and the arguments that start the app jar: what the launcher and a run share. */
    public record Base(List<String> jvmOptions, List<String> appArgs) {}

    public static Base baseCommand(AppBuild app) {
        var options = new ArrayList<String>(app.jvmOptions());
        options.add("-Dmirari.kv.dir=" + app.outputs().kvDir());
        return new Base(options, List.of("-jar", jar(app).toString()));
    }

    public static Path javaExecutable(AppBuild app) {
        return app.javaHome().resolve("bin").resolve("java");
    }

    /** Dependency jar to its file name under {@code lib/}, unique, in class path order. */
    public static Map<Path, String> libNames(AppBuild app) {
        var names = new LinkedHashMap<Path, String>();
        var taken = new HashSet<String>();
        for (var jar : app.classpath()) {
            var name = jar.getFileName().toString();
            for (int n = 2; !taken.add(name); n++) name = n + "-" + jar.getFileName();
            names.putIfAbsent(jar, name);
        }
        return names;
    }
}
