package org.mirari.tool.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Artifact;
import org.mirari.tool.backend.Host;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.output.GeneratedManifest;
import org.mirari.tool.uefi.UefiDisk;

/**
 * The disk step of {@code --ec2}: the built kernel (bzImage) and initrd, with the backend's kernel
 * command line, become a unified kernel image on a GPT disk {@code mir-<name>.disk.raw} (the
 * {@code uefi} package), written to a temporary file and renamed, then recorded in the
 * generated-files manifest for {@code clean}.
 */
final class DiskStep {
    /** systemd's EFI stub, from Debian's {@code systemd-boot-efi}. */
    static final Path STUB = Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub");

    private DiskStep() {}

    static UefiDisk run(AppBuild app, VmImage image, Artifact.UefiDisk artifact, Host host, EventSink events)
            throws IOException {
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(STUB)) {
            throw new BuildException("the EFI stub " + STUB + " is missing, and the --ec2 disk's unified kernel image "
                    + "is built on it; install it (Debian: apt-get install systemd-boot-efi)");
        }
        events.emit(new Event.StepStarted("disk", "unified kernel image, FAT32 EFI system partition, GPT"));
        Path out = app.outputs().vmDisk();
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName(), ".tmp");
        tmp.toFile().deleteOnExit();
        UefiDisk disk;
        try {
            var contents = new UefiDisk.Contents(
                    Files.readAllBytes(STUB),
                    Files.readAllBytes(image.kernel()),
                    Files.readAllBytes(image.initrd()),
                    artifact.cmdline().of(app, image),
                    osRelease(app));
            disk = UefiDisk.write(tmp, contents, host.sourceDateEpoch(), 0);
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IllegalArgumentException e) {
            throw new BuildException("cannot build the UEFI disk of " + app.name() + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        var written = new UefiDisk(out, disk.bytes(), disk.espBytes(), disk.ukiBytes(), disk.diskGuid());
        GeneratedManifest.record(app.appDir(), out);
        events.emit(new Event.Wrote(out, disk.bytes()));
        events.emit(new Event.Info(describe(written)));
        events.emit(new Event.StepFinished("disk", Duration.ofNanos(System.nanoTime() - t0), false));
        return written;
    }

    /** {@code mir-hello.disk.raw: 1 GiB GPT disk (sparse), 40 MiB EFI system partition, unified kernel image 32.3 MB}. */
    static String describe(UefiDisk disk) {
        return String.format(
                Locale.ROOT,
                "%s: %d GiB GPT disk (sparse), %d MiB EFI system partition, unified kernel image %.1f MB",
                disk.file().getFileName(),
                disk.bytes() / UefiDisk.GIB,
                disk.espBytes() >> 20,
                disk.ukiBytes() / 1e6);
    }

    /** The UKI's {@code .osrel} (os-release(5)), which boot menus show. */
    static String osRelease(AppBuild app) {
        return "ID=mirari\nNAME=Mirari\nVERSION_ID=" + app.toolVersion() + "\nPRETTY_NAME=\"Mirari app " + app.name()
                + "\"\n";
    }
}
