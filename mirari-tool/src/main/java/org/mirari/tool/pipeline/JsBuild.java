package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.JsBackend;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.js.JsCompileRequest;
import org.mirari.tool.js.JsCompiler;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.pkg.HashCache;
import org.mirari.tool.targets.Target;

/**
 * The build of the {@code --js} target: compile (javac, as every target), then TeaVM (the
 * {@code mirari-js} module, loaded only here), then the launcher or the site around the module
 * ({@link JsBackend}). Its record is {@code .mirari/js/build.sha256}. The output is reproducible:
 * TeaVM's output depends on its input classes only, and the text files on the module and packs.
 */
record JsBuild(AppBuild app, Host host, EventSink events) implements TargetBuild {

    @Override
    public boolean upToDate() {
        var outputs = new java.util.ArrayList<Path>();
        outputs.add(JsBackend.module(app));
        outputs.addAll(JsBackend.packCopies(app).values());
        JsBackend.files(app, "").forEach(f -> outputs.add(f.path()));
        return TargetBuild.recorded(app.outputs().buildFingerprint(Target.JS), outputs, this::fingerprint);
    }

    @Override
    public void run() {
        long t0 = System.nanoTime();
        if (upToDate()) {
            events.emit(new Event.StepFinished("build", since(t0), true));
            return;
        }
        var out = JsBackend.outDir(app);
        Path scratch = null;
        try {
            var fingerprint = fingerprint();
            var compiled = CompileStep.compile(app, host, events);
            long tj = System.nanoTime();
            events.emit(new Event.StepStarted("teavm", "to JavaScript (TeaVM, in-process)"));
            Files.createDirectories(out);
            scratch = Files.createTempDirectory(out, ".teavm-");
            var module = JsBackend.module(app);
            var result = JsCompiler.load(host.mirariHome(), app.toolVersion())
                    .compile(new JsCompileRequest(
                            compiled.classes(),
                            app.classpath(),
                            "Main",
                            scratch,
                            module.getFileName().toString()));
            result.warnings().forEach(w -> events.emit(new Event.Warning("TeaVM: " + w)));
            Files.createDirectories(module.getParent());
            Files.move(result.file(), module, StandardCopyOption.REPLACE_EXISTING);
            events.emit(new Event.StepFinished("teavm", since(tj), false));
            var version = new Fingerprint().file("module", module);
            for (var copy : JsBackend.packCopies(app).entrySet()) {
                Files.createDirectories(copy.getValue().getParent());
                GeneratedFiles.replace(copy.getValue(), o -> Files.copy(copy.getKey(), o));
                version.file("pack:" + copy.getValue().getFileName(), copy.getValue());
            }
            for (var file : JsBackend.files(app, version.hex().substring(0, 16))) {
                GeneratedFiles.replace(file.path(), o -> o.write(file.text().getBytes(StandardCharsets.UTF_8)));
            }
            Files.writeString(app.outputs().buildFingerprint(Target.JS), fingerprint + "\n");
            events.emit(new Event.StepFinished("build", since(t0), false));
        } catch (IOException e) {
            throw new BuildException("building " + app.name() + " for --js failed: " + e.getMessage(), e);
        } finally {
            if (scratch != null) deleteQuietly(scratch);
        }
    }

    /** The content hash of every input: sources, jars, KV packs, the compiler's jar, the tool. */
    String fingerprint() throws IOException {
        var hashes = HashCache.load(app.outputs().hashCache(Target.JS));
        var f = new Fingerprint()
                .value("target", "js")
                .value("tool", app.toolVersion())
                .value("name", app.name())
                .value("entry", app.config().main().kind().name())
                .value("release", Integer.toString(app.release()))
                .value("java", app.javaHome().toString());
        for (var s : app.sources())
            f.file("source:" + app.appDir().relativize(s.toAbsolutePath().normalize()), s, hashes);
        int i = 0;
        for (var jar : app.classpath()) f.file("lib:" + i++, jar, hashes);
        var compiler = host.mirariHome().resolve("mirari-js/target/mirari-js-" + app.toolVersion() + ".jar");
        if (Files.isRegularFile(compiler)) f.file("compiler", compiler, hashes);
        for (var store : app.config().stores()) {
            var pack = app.outputs().kvStore(store.name());
            if (Files.isRegularFile(pack)) f.file("kv:" + store.name(), pack, hashes);
        }
        if (Files.isDirectory(JsBackend.outDir(app))) hashes.save();
        return f.hex();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory under .mirari/js: harmless, and the next build makes its own
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
