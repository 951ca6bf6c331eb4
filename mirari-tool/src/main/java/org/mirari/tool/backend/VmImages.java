package org.mirari.tool.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * What {@code --qemu} and {@code --xen} share about their image, which the pipeline builds
 * ({@link Artifact.Image}): the files it writes (the jar {@code .mirari/<target>/<name>.jar},
 * {@code mir-<name>.vmlinuz}, {@code mir-<name>.initrd} and the disks {@code mir-<name>.jre.sqfs}
 * and {@code mir-<name>.app.sqfs} beside the conf, the image's manifest
 * {@code image.properties} and the fingerprint {@code build.sha256}), and the built image as its
 * manifest describes it, which launching reads.
 */
public final class VmImages {
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
                new PlannedFile(o.vmInitrd(), "the initramfs: init, busybox, drivers, host libraries"),
                new PlannedFile(o.vmRuntimeDisk(), "the read-only disk of the jlink'd runtime (squashfs)"),
                new PlannedFile(o.vmAppDisk(), "the read-only disk of the app, its KV stores and AOT cache (squashfs)"),
                new PlannedFile(o.generatedManifest(), "the SHA-256 of the images, so clean knows they are Mirari's"),
                new PlannedFile(o.imageManifest(target), "the image's manifest"),
                new PlannedFile(o.buildFingerprint(target), "the build's fingerprint, for the up-to-date check"));
    }

    /** The image described by the last build's manifest. */
    public static VmImage image(AppBuild app, Target target) {
        try {
            return VmImageBuilder.readManifest(app.outputs().imageManifest(target), app.appDir());
        } catch (IOException e) {
            throw new BuildException(
                    "the VM image of " + app.name() + " is missing (" + e.getMessage() + "); run mirari build --"
                            + target.switchName(),
                    e);
        }
    }
}
