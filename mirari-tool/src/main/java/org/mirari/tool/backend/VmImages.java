package org.mirari.tool.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.image.Compression;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.image.VmImageSpec;
import org.mirari.tool.output.GeneratedManifest;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.pkg.ReproducibleJar;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * The build that {@code --qemu} and {@code --xen} share: compile the app into a reproducible jar
 * ({@code <appdir>/.mirari/<target>/<name>.jar}), then make the image ({@code mir-<name>.vmlinuz},
 * {@code mir-<name>.initrd} beside the conf) and record its manifest ({@code image.properties})
 * and the fingerprint of its inputs ({@code build.sha256}).
 */
final class VmImages {
    private VmImages() {}

    static Path kernel(AppBuild app) {
        return app.outputs().vmKernel();
    }

    static Path initrd(AppBuild app) {
        return app.outputs().vmInitrd();
    }

    /** What a VM build writes. */
    static List<PlannedFile> outputs(AppBuild app, Target target) {
        var o = app.outputs();
        return List.of(
                new PlannedFile(o.jar(target), "the app's classes (reproducible jar)"),
                new PlannedFile(o.vmKernel(), "the guest kernel (Debian's cloud kernel, cached, or vm-kernel)"),
                new PlannedFile(o.vmInitrd(), "the initramfs: jlink'd runtime, app, KV stores, drivers, init"),
                new PlannedFile(
                        o.generatedManifest(), "the SHA-256 of the two images, so clean knows they are Mirari's"),
                new PlannedFile(o.imageManifest(target), "the image's manifest"),
                new PlannedFile(o.buildFingerprint(target), "the build's fingerprint, for the up-to-date check"));
    }

    static boolean upToDate(AppBuild app, Target target, Host host) {
        try {
            Path recorded = app.outputs().buildFingerprint(target);
            if (!Files.isRegularFile(recorded)
                    || !Files.isRegularFile(kernel(app))
                    || !Files.isRegularFile(initrd(app))
                    || !Files.isRegularFile(app.outputs().imageManifest(target))) {
                return false;
            }
            return Files.readString(recorded).strip().equals(fingerprint(app, target, host));
        } catch (IOException e) {
            return false;
        }
    }

    /** The image described by the last build's manifest. */
    static VmImage image(AppBuild app, Target target) {
        try {
            return VmImageBuilder.readManifest(app.outputs().imageManifest(target), app.appDir());
        } catch (IOException e) {
            throw new BuildException(
                    "the VM image of " + app.name() + " is missing (" + e.getMessage() + "); run mirari build --"
                            + target.switchName(),
                    e);
        }
    }

    static BuildOutcome build(AppBuild app, Target target, EventSink events, Host host) {
        long t0 = System.nanoTime();
        var outputs = List.of(kernel(app), initrd(app));
        if (upToDate(app, target, host)) {
            var image = image(app, target);
            events.emit(new Event.Info("image up to date: " + describe(app, image)));
            events.emit(new Event.StepFinished("build", since(t0), true));
            return new BuildOutcome(true, outputs);
        }
        try {
            requireOurs(app, kernel(app));
            requireOurs(app, initrd(app));
            String fingerprint = fingerprint(app, target, host);
            Files.createDirectories(app.outputs().buildDir(target));
            var compiled = CompileStep.compile(app, events);
            Path jar = app.outputs().jar(target);
            var attributes = new LinkedHashMap<String, String>();
            attributes.put("Created-By", "mirari " + app.toolVersion());
            attributes.put("Main-Class", "Main");
            ReproducibleJar.write(jar, attributes, compiled.classes(), host.entryTime());

            long ti = System.nanoTime();
            events.emit(new Event.StepStarted("image", "kernel, Java runtime, initramfs"));
            var cp = new ArrayList<Path>();
            cp.add(jar);
            cp.addAll(app.classpath());
            var config = app.config();
            var spec = new VmImageSpec(
                    app.name(),
                    app.javaHome(),
                    cp,
                    "Main",
                    Optional.of(app.outputs().kvDir()),
                    config.depends().stream().map(Located::value).toList(),
                    config.vmKernel().map(k -> app.appDir().resolve(k.value())),
                    config.main().kind() != EntryPoint.Kind.NOIP,
                    app.jvmOptions(),
                    kernel(app),
                    initrd(app),
                    Compression.GZIP,
                    host.sourceDateEpoch());
            VmImage image = new VmImageBuilder(host.cacheDir(), events).build(spec);
            // Binaries cannot carry a stamp: record them so that mirari clean knows they are Mirari's.
            GeneratedManifest.record(app.appDir(), image.kernel());
            GeneratedManifest.record(app.appDir(), image.initrd());
            VmImageBuilder.writeManifest(image, app.outputs().imageManifest(target));
            Files.writeString(app.outputs().buildFingerprint(target), fingerprint + "\n");
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
        String recorded =
                GeneratedManifest.read(app.appDir()).get(output.getFileName().toString());
        if (recorded == null || !recorded.equals(org.mirari.tool.pkg.Fingerprint.sha256(output))) {
            throw new BuildException(
                    output.getFileName() + " exists and was not made by mirari (or was changed since); "
                            + "rename or remove it so mirari can write the VM image there");
        }
    }

    /** {@code mir-hello.vmlinuz 53.2 MB (PVH ELF, 6.1.0-57-cloud-amd64), mir-hello.initrd 23.1 MB (gzip; 71.5 MB unpacked)}. */
    static String describe(AppBuild app, VmImage image) {
        return image.kernel().getFileName() + " " + mb(image.kernelBytes()) + " ("
                + (image.pvh() ? "PVH ELF" : "bzImage")
                + ", " + image.kernelRelease() + "), " + image.initrd().getFileName() + " " + mb(image.initrdBytes())
                + " (gzip; " + mb(image.unpackedBytes()) + " unpacked)";
    }

    static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Every input of the image, by content: sources, jars, KV stores, the VM keys, the JDK, the tool. */
    static String fingerprint(AppBuild app, Target target, Host host) throws IOException {
        var config = app.config();
        var f = new Fingerprint()
                .value("target", target.switchName())
                .value("tool", app.toolVersion())
                .value("name", app.name())
                .value("release", Integer.toString(app.release()))
                .value("java", app.javaHome().toString())
                .value("jvm-options", String.join("\u0000", app.jvmOptions()))
                .value("entry", config.main().kind().name())
                .value(
                        "depends",
                        config.depends().stream().map(Located::value).toList().toString())
                .value(
                        "vm-kernel",
                        config.vmKernel().map(k -> k.value().toString()).orElse(""))
                .value("source-date-epoch", Long.toString(host.sourceDateEpoch()))
                .value("init-args", VmImageBuilder.INIT_ARGS);
        for (String r : List.of("init.sh", "udhcpc.script")) {
            try (var in = VmImageBuilder.class.getResourceAsStream(r)) {
                f.value(
                        "resource:" + r,
                        in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        for (var s : app.sources())
            f.file("source:" + app.appDir().relativize(s.toAbsolutePath().normalize()), s);
        int i = 0;
        for (var jar : app.runtimeJars()) f.file("runtime:" + i++, jar);
        for (var jar : app.dependencies()) f.file("lib:" + i++, jar);
        if (Files.isDirectory(app.outputs().kvDir())) {
            try (var s = Files.list(app.outputs().kvDir())) {
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
