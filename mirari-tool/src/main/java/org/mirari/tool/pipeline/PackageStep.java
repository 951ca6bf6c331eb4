package org.mirari.tool.pipeline;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.SocketBackend;
import org.mirari.tool.compile.CompileResult;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.pkg.Launcher;
import org.mirari.tool.pkg.ReproducibleJar;
import org.mirari.tool.targets.Target;

/**
 * The package step: compiled classes into a reproducible jar ({@code Main-Class: Main}, entries
 * sorted, times from {@code SOURCE_DATE_EPOCH}). For an app jar, also its {@code lib/} (the runtime
 * and package jars, copied so the directory is self-contained, named in the manifest's
 * {@code Class-Path}) and the stamped launcher beside the conf; for an image, the plain jar the
 * image step puts in the initramfs.
 */
final class PackageStep {
    private PackageStep() {}

    /** The app jar of {@code --socket} and {@code --unix}, its {@code lib/} and its launcher. */
    static void appJar(AppBuild app, CompileResult compiled, Host host, EventSink events) throws IOException {
        var jar = SocketBackend.jar(app);
        events.emit(
                new Event.StepStarted("package", app.appDir().relativize(jar).toString()));
        var libs = SocketBackend.libNames(app);
        var libDir = app.outputs().libDir(Target.SOCKET);
        Files.createDirectories(libDir);
        for (var e : libs.entrySet()) {
            // Through a temporary file and a rename: a copy that fails (a full disk) keeps the earlier jar.
            var lib = libDir.resolve(e.getValue());
            if (Files.isRegularFile(lib) && Files.mismatch(e.getKey(), lib) == -1) continue;
            GeneratedFiles.writing(lib, () -> GeneratedFiles.replace(lib, out -> Files.copy(e.getKey(), out)));
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
        GeneratedFiles.writing(jar, () -> ReproducibleJar.write(jar, attributes, compiled.classes(), host.entryTime()));
        events.emit(new Event.Wrote(jar, Files.size(jar)));
        // An AOT cache describes the old jar: the JVM would refuse it, so drop it now.
        Files.deleteIfExists(SocketBackend.aotCache(app));
        var launch = SocketBackend.baseCommand(app);
        var launcher = SocketBackend.launcher(app);
        var script = Launcher.script(
                app.stamp(),
                app.appDir(),
                SocketBackend.javaExecutable(app),
                launch.jvmOptions(),
                Optional.of(SocketBackend.aotCache(app)),
                launch.appArgs());
        if (GeneratedFiles.write(launcher, script, true)) {
            events.emit(new Event.Wrote(launcher, Files.size(launcher)));
        }
    }

    /** The plain jar of a VM target, {@code .mirari/<target>/<name>.jar}, which the image puts on its class path. */
    static Path plainJar(AppBuild app, Target target, CompileResult compiled, Host host) throws IOException {
        Path jar = app.outputs().jar(target);
        var attributes = new LinkedHashMap<String, String>();
        attributes.put("Created-By", "mirari " + app.toolVersion());
        attributes.put("Main-Class", "Main");
        GeneratedFiles.writing(jar, () -> ReproducibleJar.write(jar, attributes, compiled.classes(), host.entryTime()));
        return jar;
    }
}
