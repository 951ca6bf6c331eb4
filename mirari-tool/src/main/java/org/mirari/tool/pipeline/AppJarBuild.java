package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.SocketBackend;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.pkg.HashCache;
import org.mirari.tool.targets.Target;

/**
 * The build of an app jar ({@code --socket}, and {@code --unix}, whose runtime jars differ so the
 * fingerprint tells the two apart): compile, then package. Its record is
 * {@code .mirari/socket/build.sha256}; content hashes are kept by size and time in
 * {@code hashes.txt}, so a no-op build reads no file it has hashed before.
 */
record AppJarBuild(AppBuild app, Host host, EventSink events) implements TargetBuild {

    @Override
    public boolean upToDate() {
        try {
            var recorded = app.outputs().buildFingerprint(Target.SOCKET);
            if (!Files.isRegularFile(recorded) || !Files.isRegularFile(SocketBackend.jar(app))) return false;
            for (var lib : SocketBackend.libNames(app).values()) {
                if (!Files.isRegularFile(app.outputs().libDir(Target.SOCKET).resolve(lib))) return false;
            }
            var launcher = SocketBackend.launcher(app);
            if (GeneratedFiles.isUsersFile(launcher) || !Files.isRegularFile(launcher)) return false;
            return Files.readString(recorded).strip().equals(fingerprint());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void run() {
        long t0 = System.nanoTime();
        try {
            if (upToDate()) {
                events.emit(new Event.StepFinished("build", since(t0), true));
                return;
            }
            var fingerprint = fingerprint();
            var compiled = CompileStep.compile(app, host, events);
            long tp = System.nanoTime();
            PackageStep.appJar(app, compiled, host, events);
            var record = app.outputs().buildFingerprint(Target.SOCKET);
            GeneratedFiles.writing(record, () -> Files.writeString(record, fingerprint + "\n"));
            events.emit(new Event.StepFinished("package", since(tp), false));
            events.emit(new Event.StepFinished("build", since(t0), false));
        } catch (IOException e) {
            // A write refused under the app (read-only .mirari/, full disk): the file, its directory, the fix.
            throw GeneratedFiles.buildFailure(
                    app.appDir(), e, "the earlier build is unchanged", "packaging " + app.name() + " failed");
        }
    }

    /** The content hash of every input of the build. */
    String fingerprint() throws IOException {
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
        for (var e : SocketBackend.libNames(app).entrySet()) {
            f.file(String.format("lib:%03d:%s", i++, e.getValue()), e.getKey(), hashes);
        }
        if (Files.isDirectory(SocketBackend.outDir(app))) hashes.save();
        return f.hex();
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
