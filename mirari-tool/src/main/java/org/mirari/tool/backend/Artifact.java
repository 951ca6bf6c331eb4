package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.mirari.tool.image.VmImage;

/**
 * What a target's build makes, as a value: the pipeline's runner for each kind picks the steps
 * (compile, package, image) and carries them out, so a new target that makes one of these kinds
 * adds no build code.
 */
public sealed interface Artifact {

    /** The app jar with its {@code lib/} beside it and the launcher {@code mir-<name>} (compile, package). */
    record AppJar() implements Artifact {}

    /**
     * An OCI image (compile, package a plain jar, link the runtime, then the image's layers with
     * jib-core in the {@code mirari-oci} module): an OCI image layout under {@code .mirari/oci/}.
     */
    record OciImage() implements Artifact {}

    /**
     * A VM image (compile, package a plain jar, image), then the stamped text files the backend
     * makes from the built image (Xen's {@code <name>.xl}), written at build time so that launching
     * writes nothing.
     */
    record Image(ImageFiles files) implements Artifact {
        public Image {
            Objects.requireNonNull(files, "files");
        }

        /** An image with no files made from it. */
        public static Image only() {
            return new Image((app, image) -> List.of());
        }
    }

    /**
     * JavaScript (compile, then TeaVM): an ES module run by Node's launcher for {@code main-noip}, or a
     * static site whose Service Worker serves a {@code main-http} app, with its KV packs; then the
     * backend's text files around the compiled module ({@link JsBackend#files}).
     */
    record Js() implements Artifact {}

    /**
     * A VM image whose kernel (the bzImage, which has an EFI stub) and initrd stay in the build
     * directory, put with the kernel command line into a unified kernel image on a UEFI disk
     * {@code mir-<name>.disk.raw} (the {@code uefi} package).
     *
     * @param drivers kernel modules the image carries beside the network drivers ({@code ena})
     * @param cmdline the kernel command line the disk boots with
     */
    record UefiDisk(List<String> drivers, CommandLine cmdline) implements Artifact {
        public UefiDisk {
            drivers = List.copyOf(drivers);
            Objects.requireNonNull(cmdline, "cmdline");
        }
    }

    /** A kernel command line made from the built image. */
    @FunctionalInterface
    interface CommandLine {
        String of(AppBuild app, VmImage image);
    }

    /** The text files a backend makes from its built image. */
    @FunctionalInterface
    interface ImageFiles {
        List<TextFile> of(AppBuild app, VmImage image);
    }

    /**
     * One stamped text file a build writes beside the conf.
     *
     * @param what   how a refusal names it ("its xl config")
     * @param secret whether it holds a private key (a Xen guest's TLS key inline): readable by its owner only
     */
    record TextFile(Path path, String text, String what, boolean secret) {
        public TextFile(Path path, String text, String what) {
            this(path, text, what, false);
        }
    }
}
