package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Artifact;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.VmImages;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.pkg.Fingerprint;
import org.mirari.tool.targets.Target;

/**
 * The build of a VM image ({@code --qemu}, {@code --xen}, {@code --ec2}): compile, package a plain
 * jar, image, then write the text files the backend makes from the image (Xen's {@code .xl}) or
 * the UEFI disk that holds it ({@code --ec2}, {@link DiskStep}). Its record is
 * {@code .mirari/<target>/build.sha256}; the image's manifest beside it describes the image for
 * launching.
 *
 * @param artifact an {@link Artifact.Image} or an {@link Artifact.UefiDisk}
 */
record ImageBuild(AppBuild app, Target target, Artifact artifact, Host host, EventSink events) implements TargetBuild {

    ImageBuild {
        if (!(artifact instanceof Artifact.Image || artifact instanceof Artifact.UefiDisk))
            throw new IllegalArgumentException("not a VM image: " + artifact);
    }

    /** Where the kernel and initrd go, and which drivers they carry. */
    ImageStep.Layout layout() {
        return artifact instanceof Artifact.UefiDisk d
                ? ImageStep.Layout.forDisk(app, target, d.drivers())
                : ImageStep.Layout.besideConf(app);
    }

    private List<Artifact.TextFile> files() {
        return artifact instanceof Artifact.Image i ? i.files().of(app, image()) : List.of();
    }

    @Override
    public boolean upToDate() {
        if (!imageUpToDate()) return false;
        try {
            for (var file : files()) {
                if (!Files.isRegularFile(file.path())
                        || !Files.readString(file.path()).equals(file.text())) return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void run() {
        buildImage();
        for (var file : files()) {
            try {
                GeneratedFiles.write(file.path(), file.text(), false, file.what());
                if (file.secret())
                    Files.setPosixFilePermissions(
                            file.path(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new BuildException("cannot write " + file.path() + ": " + e.getMessage(), e);
            }
        }
    }

    private void buildImage() {
        long t0 = System.nanoTime();
        if (imageUpToDate()) {
            events.emit(new Event.Info("image up to date: " + ImageStep.describe(image())));
            events.emit(new Event.StepFinished("build", since(t0), true));
            return;
        }
        try {
            var layout = layout();
            if (layout.besideConf()) ImageStep.requireOurs(app);
            if (artifact instanceof Artifact.UefiDisk)
                ImageStep.requireOurs(app, app.outputs().vmDisk());
            String fingerprint = fingerprint();
            Files.createDirectories(app.outputs().buildDir(target));
            var compiled = CompileStep.compile(app, host, events);
            Path jar = PackageStep.plainJar(app, target, compiled, host);
            var image = ImageStep.run(app, target, jar, host, events, layout);
            if (artifact instanceof Artifact.UefiDisk d) DiskStep.run(app, image, d, host, events);
            var record = app.outputs().buildFingerprint(target);
            GeneratedFiles.writing(record, () -> Files.writeString(record, fingerprint + "\n"));
            events.emit(new Event.StepFinished("build", since(t0), false));
        } catch (IOException e) {
            throw GeneratedFiles.buildFailure(
                    app.appDir(),
                    e,
                    "the earlier image is unchanged",
                    "building the VM image of " + app.name() + " failed");
        }
    }

    private VmImage image() {
        return VmImages.image(app, target);
    }

    private boolean imageUpToDate() {
        try {
            Path recorded = app.outputs().buildFingerprint(target);
            var layout = layout();
            if (!Files.isRegularFile(recorded)
                    || !Files.isRegularFile(layout.kernel())
                    || !Files.isRegularFile(layout.initrd())
                    || !Files.isRegularFile(app.outputs().imageManifest(target))
                    || (artifact instanceof Artifact.UefiDisk
                            && !Files.isRegularFile(app.outputs().vmDisk()))) {
                return false;
            }
            for (Path disk : image().disks()) if (!Files.isRegularFile(disk)) return false;
            return Files.readString(recorded).strip().equals(fingerprint());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Every input of the image, by content: sources, jars, KV stores, the VM keys, the JDK, the tool. */
    String fingerprint() throws IOException {
        var config = app.config();
        var f = appInputs(app, target, host)
                .value(
                        "vm-kernel",
                        config.vmKernel().map(k -> k.value().toString()).orElse(""))
                .value("init-args", VmImageBuilder.INIT_ARGS);
        if (artifact instanceof Artifact.UefiDisk d) {
            // The disk's command line carries the conf's boot-time parameters; the stub is the host's.
            f.value("drivers", String.join(",", d.drivers()))
                    .value("boot", config.bootDefaults().toString());
            if (Files.isRegularFile(DiskStep.STUB)) f.file("efi-stub", DiskStep.STUB);
        }
        for (String r : List.of("init.sh", "udhcpc.script", "user-data.sh")) {
            try (var in = VmImageBuilder.class.getResourceAsStream(r)) {
                f.value("resource:" + r, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        var kernel = config.vmKernel().map(k -> app.appDir().resolve(k.value()));
        if (kernel.isPresent() && Files.isRegularFile(kernel.get())) f.file("kernel", kernel.get());
        return f.hex();
    }

    /**
     * The inputs every image of the app has (a VM's, a disk's, an OCI image's), by content: the
     * target, the tool, the name, the release and JDK, the JVM options, the entry kind,
     * {@code depends}, the timestamp, the sources, the jars and the KV stores.
     */
    static Fingerprint appInputs(AppBuild app, Target target, Host host) throws IOException {
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
                .value("source-date-epoch", Long.toString(host.sourceDateEpoch()));
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
        return f;
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
