package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Host;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.image.Compression;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.image.VmImageSpec;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.output.GeneratedManifest;
import org.mirari.tool.plan.Outputs;
import org.mirari.tool.targets.Target;

/**
 * The image step of the VM targets, a thin composition around {@link VmImageBuilder}: the app's
 * jar, its runtime and package jars, its KV stores and the conf's VM keys become a
 * {@link VmImageSpec}; the builder makes the kernel and the initramfs; the step then records both
 * binaries in the generated-files manifest (they cannot carry a stamp, and {@code clean} must know
 * they are Mirari's) and writes the image's manifest, which launching reads.
 */
final class ImageStep {
    private ImageStep() {}

    /** Refuses first, before any work, an output name that holds a file Mirari did not write. */
    static void requireOurs(AppBuild app) throws IOException {
        requireOurs(app, app.outputs().vmKernel());
        requireOurs(app, app.outputs().vmInitrd());
        requireOurs(app, app.outputs().vmRuntimeDisk());
        requireOurs(app, app.outputs().vmAppDisk());
    }

    /**
     * Where the image goes and what it carries beyond what every image does.
     *
     * @param besideConf whether the kernel and initrd are outputs beside the conf ({@code --qemu},
     *                   {@code --xen}), recorded for {@code clean}; a disk's stay in the build directory
     * @param disks      the read-only disks of the runtime and the app beside the conf, which the
     *                   hypervisor attaches; empty: both inside the initramfs (a UEFI disk's)
     */
    record Layout(
            Path kernel,
            Path initrd,
            List<String> drivers,
            boolean bzImage,
            boolean besideConf,
            Optional<VmImageSpec.Disks> disks) {
        Layout {
            drivers = List.copyOf(drivers);
        }

        /**
         * {@code mir-<name>.vmlinuz} (the PVH ELF when there is one), {@code mir-<name>.initrd} and the
         * disks {@code mir-<name>.jre.sqfs} and {@code mir-<name>.app.sqfs} beside the conf.
         */
        static Layout besideConf(AppBuild app) {
            var o = app.outputs();
            return new Layout(
                    o.vmKernel(),
                    o.vmInitrd(),
                    List.of(),
                    false,
                    true,
                    Optional.of(new VmImageSpec.Disks(o.vmRuntimeDisk(), o.vmAppDisk())));
        }

        /** The bzImage and the initrd in {@code .mirari/<target>/}, with {@code drivers}: what goes into a UEFI disk. */
        static Layout forDisk(AppBuild app, Target target, List<String> drivers) {
            var dir = app.outputs().buildDir(target);
            return new Layout(
                    dir.resolve(app.outputs().vmKernel().getFileName()),
                    dir.resolve(app.outputs().vmInitrd().getFileName()),
                    drivers,
                    true,
                    false,
                    Optional.empty());
        }
    }

    /** Builds the image of {@code jar} for {@code target} beside the conf and records it. */
    static VmImage run(AppBuild app, Target target, Path jar, Host host, EventSink events) throws IOException {
        return run(app, target, jar, host, events, Layout.besideConf(app));
    }

    /** Builds the image of {@code jar} for {@code target} as {@code layout} says and records it. */
    static VmImage run(AppBuild app, Target target, Path jar, Host host, EventSink events, Layout layout)
            throws IOException {
        long t0 = System.nanoTime();
        events.emit(new Event.StepStarted("image", "kernel, Java runtime, initramfs"));
        VmImage image =
                new VmImageBuilder(host.usableCacheDir(), host.tools(), events).build(spec(app, jar, host, layout));
        if (layout.besideConf()) {
            // Binaries cannot carry a stamp: record them so that mirari clean knows they are Mirari's.
            var generated = Outputs.generatedManifest(app.appDir());
            GeneratedFiles.writing(generated, () -> GeneratedManifest.record(app.appDir(), image.kernel()));
            GeneratedFiles.writing(generated, () -> GeneratedManifest.record(app.appDir(), image.initrd()));
            for (Path disk : image.disks())
                GeneratedFiles.writing(generated, () -> GeneratedManifest.record(app.appDir(), disk));
        }
        var manifest = app.outputs().imageManifest(target);
        GeneratedFiles.writing(manifest, () -> VmImageBuilder.writeManifest(image, manifest, app.appDir()));
        events.emit(new Event.Info(describe(image)));
        events.emit(new Event.StepFinished("image", Duration.ofNanos(System.nanoTime() - t0), false));
        return image;
    }

    /** What the builder is asked for: the app jar first on the class path, then the runtime and packages. */
    static VmImageSpec spec(AppBuild app, Path jar, Host host) {
        return spec(app, jar, host, Layout.besideConf(app));
    }

    static VmImageSpec spec(AppBuild app, Path jar, Host host, Layout layout) {
        var cp = new ArrayList<Path>();
        cp.add(jar);
        cp.addAll(app.classpath());
        var config = app.config();
        return new VmImageSpec(
                app.name(),
                app.javaHome(),
                cp,
                "Main",
                Optional.of(app.outputs().kvDir()),
                config.depends().stream().map(Located::value).toList(),
                config.vmKernel().map(k -> app.appDir().resolve(k.value())),
                config.main().kind() != EntryPoint.Kind.NOIP,
                app.jvmOptions(),
                layout.kernel(),
                layout.initrd(),
                Compression.ZSTD,
                host.sourceDateEpoch(),
                config.main().kind() == EntryPoint.Kind.HTTP,
                layout.drivers(),
                layout.bzImage(),
                layout.disks());
    }

    /** A file with an output's name that Mirari did not write (or that changed since) is the user's: never overwritten. */
    static void requireOurs(AppBuild app, Path output) throws IOException {
        if (!Files.exists(output)) return;
        String recorded =
                GeneratedManifest.read(app.appDir()).get(output.getFileName().toString());
        if (!GeneratedManifest.holds(recorded, output)) {
            throw new BuildException(
                    output.getFileName() + " exists and was not made by mirari (or was changed since); "
                            + "rename or remove it so mirari can write the VM image there");
        }
    }

    /**
     * {@code mir-hello.vmlinuz 53.2 MB (PVH ELF, 6.1.0-57-cloud-amd64), mir-hello.initrd 2.1 MB (zstd; 4.2 MB
     * unpacked), disks mir-hello.jre.sqfs + mir-hello.app.sqfs 17.6 MB (initrd + disks 19.7 MB)}.
     */
    static String describe(VmImage image) {
        var s = new StringBuilder()
                .append(image.kernel().getFileName())
                .append(' ')
                .append(mb(image.kernelBytes()))
                .append(" (")
                .append(image.pvh() ? "PVH ELF" : "bzImage")
                .append(", ")
                .append(image.kernelRelease())
                .append("), ")
                .append(image.initrd().getFileName())
                .append(' ')
                .append(mb(image.initrdBytes()))
                .append(" (")
                .append(Compression.ZSTD.label())
                .append("; ")
                .append(mb(image.unpackedBytes()))
                .append(" unpacked)");
        if (!image.disks().isEmpty()) {
            s.append(", disks ")
                    .append(String.join(
                            " + ",
                            image.disks().stream()
                                    .map(d -> d.getFileName().toString())
                                    .toList()))
                    .append(' ')
                    .append(mb(image.disksBytes()))
                    .append(" (initrd + disks ")
                    .append(mb(image.initrdBytes() + image.disksBytes()))
                    .append(')');
        }
        return s.toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
