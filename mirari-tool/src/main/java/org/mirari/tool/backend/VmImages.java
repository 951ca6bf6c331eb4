package org.mirari.tool.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.codegen.GeneratedManifest;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.image.Compression;
import org.mirari.tool.image.KernelCache;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.image.VmImageSpec;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.pkg.ReproducibleJar;

/**
 * The build that {@code --qemu} and {@code --xen} share: compile the app into a reproducible jar
 * ({@code <appdir>/.mirari/<target>/<name>.jar}), then make the image ({@code mir-<name>.vmlinuz},
 * {@code mir-<name>.initrd} beside the conf) and record its manifest ({@code image.properties})
 * and the fingerprint of its inputs ({@code build.sha256}).
 */
final class VmImages {
    static final String FINGERPRINT_FILE = "build.sha256";
    static final String MANIFEST_FILE = "image.properties";

    private VmImages() {}

    static Path outDir(AppBuild app, String target) {
        return app.workDir().resolve(target);
    }

    static Path kernel(AppBuild app) {
        return app.appDir().resolve("mir-" + app.name() + ".vmlinuz");
    }

    static Path initrd(AppBuild app) {
        return app.appDir().resolve("mir-" + app.name() + ".initrd");
    }

    static boolean upToDate(AppBuild app, String target) {
        try {
            Path recorded = outDir(app, target).resolve(FINGERPRINT_FILE);
            if (!Files.isRegularFile(recorded) || !Files.isRegularFile(kernel(app)) || !Files.isRegularFile(initrd(app))
                    || !Files.isRegularFile(outDir(app, target).resolve(MANIFEST_FILE))) {
                return false;
            }
            return Files.readString(recorded).strip().equals(fingerprint(app, target));
        } catch (IOException e) {
            return false;
        }
    }

    /** The image described by the last build's manifest. */
    static VmImage image(AppBuild app, String target) {
        try {
            return VmImageBuilder.readManifest(outDir(app, target).resolve(MANIFEST_FILE), app.appDir());
        } catch (IOException e) {
            throw new BuildException("the VM image of " + app.name() + " is missing (" + e.getMessage() + "); run mirari build --" + target, e);
        }
    }

    static BuildOutcome build(AppBuild app, String target, EventSink events) {
        long t0 = System.nanoTime();
        var outputs = List.of(kernel(app), initrd(app));
        if (upToDate(app, target)) {
            var image = image(app, target);
            events.emit(new Event.Info("image up to date: " + describe(app, image)));
            events.emit(new Event.StepFinished("build", since(t0), true));
            return new BuildOutcome(true, outputs);
        }
        try {
            requireOurs(app, kernel(app));
            requireOurs(app, initrd(app));
            String fingerprint = fingerprint(app, target);
            Path out = Files.createDirectories(outDir(app, target));
            var compiled = CompileStep.compile(app, events);
            Path jar = out.resolve(app.name() + ".jar");
            var attributes = new LinkedHashMap<String, String>();
            attributes.put("Created-By", "mirari " + app.toolVersion());
            attributes.put("Main-Class", "Main");
            ReproducibleJar.write(jar, attributes, compiled.classes(), ReproducibleJar.entryTime(System.getenv()));

            long ti = System.nanoTime();
            events.emit(new Event.StepStarted("image", "kernel, Java runtime, initramfs"));
            var cp = new ArrayList<Path>();
            cp.add(jar);
            cp.addAll(app.classpath());
            var config = app.parsedConfig();
            var spec = new VmImageSpec(app.name(), app.javaHome(), cp, "Main",
                    Optional.of(app.kvDir()), config.depends().stream().map(Located::value).toList(),
                    config.vmKernel().map(k -> app.appDir().resolve(k.value())),
                    config.main().kind() != EntryPoint.Kind.NOIP, app.jvmOptions(), app.appDir(),
                    Compression.GZIP, VmImageSpec.sourceDateEpoch());
            VmImage image = new VmImageBuilder(KernelCache.defaultCacheDir(), events).build(spec);
            VmImageBuilder.writeManifest(image, out.resolve(MANIFEST_FILE));
            Files.writeString(out.resolve(FINGERPRINT_FILE), fingerprint + "\n");
            events.emit(new Event.Info(describe(app, image)));
            events.emit(new Event.StepFinished("image", since(ti), false));
            events.emit(new Event.StepFinished("build", since(t0), false));
            return new BuildOutcome(false, outputs);
        } catch (IOException e) {
            throw new BuildException("building the VM image of " + app.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** A file with an output's name that Mirari did not write (or that changed since) is the user's: never overwritten. */
    static void requireOurs(AppBuild app, Path output) throws IOException {
        if (!Files.exists(output)) return;
        String recorded = GeneratedManifest.read(app.appDir()).get(output.getFileName().toString());
        if (recorded == null || !recorded.equals(org.mirari.tool.pkg.Fingerprint.sha256(output))) {
            throw new BuildException(output.getFileName() + " exists and was not made by mirari (or was changed since); "
                    + "rename or remove it so mirari can write the VM image there");
        }
    }

    /** {@code mir-hello.vmlinuz 53.2 MB (PVH ELF, 6.1.0-57-cloud-amd64), mir-hello.initrd 23.1 MB (gzip; 71.5 MB unpacked)}. */
    static String describe(AppBuild app, VmImage image) {
        return image.kernel().getFileName() + " " + mb(image.kernelBytes()) + " (" + (image.pvh() ? "PVH ELF" : "bzImage")
                + ", " + image.kernelRelease() + "), " + image.initrd().getFileName() + " " + mb(image.initrdBytes())
                + " (gzip; " + mb(image.unpackedBytes()) + " unpacked)";
    }

    static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Every input of the image, by content: sources, jars, KV stores, the VM keys, the JDK, the tool. */
    static String fingerprint(AppBuild app, String target) throws IOException {
        var config = app.parsedConfig();
        var f = new Fingerprint()
                .value("target", target)
                .value("tool", app.toolVersion())
                .value("name", app.name())
                .value("release", Integer.toString(app.release()))
                .value("java", app.javaHome().toString())
                .value("jvm-options", String.join("\u0000", app.jvmOptions()))
                .value("entry", config.main().kind().name())
                .value("depends", config.depends().stream().map(Located::value).toList().toString())
                .value("vm-kernel", config.vmKernel().map(k -> k.value().toString()).orElse(""))
                .value("source-date-epoch", Long.toString(VmImageSpec.sourceDateEpoch()))
                .value("init-args", VmImageBuilder.INIT_ARGS);
        for (String r : List.of("init.sh", "udhcpc.script")) {
            try (var in = VmImageBuilder.class.getResourceAsStream(r)) {
                f.value("resource:" + r, in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        for (var s : app.sources()) f.file("source:" + app.appDir().relativize(s.toAbsolutePath().normalize()), s);
        int i = 0;
        for (var jar : app.runtimeJars()) f.file("runtime:" + i++, jar);
        for (var jar : app.dependencies()) f.file("lib:" + i++, jar);
        if (Files.isDirectory(app.kvDir())) {
            try (var s = Files.list(app.kvDir())) {
                for (Path kv : s.sorted().toList()) f.file("kv:" + kv.getFileName(), kv);
            }
        }
        var kernel = config.vmKernel().map(k -> app.appDir().resolve(k.value()));
        if (kernel.isPresent() && Files.isRegularFile(kernel.get())) f.file("kernel", kernel.get());
        return f.hex();
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
