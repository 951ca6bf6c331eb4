package org.mirari.tool.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.config.Config;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * The {@code --ec2} target: the VM image's kernel (the bzImage, with its EFI stub) and initrd, also
 * carrying EC2's network driver ({@code ena}), in a unified kernel image on a GPT disk
 * {@code mir-<name>.disk.raw}, which UEFI firmware boots with no boot loader: EC2's on Nitro
 * instances, and OVMF under QEMU's {@code q35} machine here, which is what {@code run --ec2} does
 * (the disk on NVMe, as on Nitro; virtio-net instead of ENA; user networking with port forwards).
 *
 * <p>The kernel command line is in the unified kernel image, so the boot-time parameters are the
 * conf's, fixed at build time; the network defaults to DHCP (what EC2 gives) unless the conf sets
 * {@code ip-use-dhcp} or {@code ip-address}.
 */
public final class Ec2Backend implements Backend {
    /** The EC2 drivers an image carries beside virtio's: ENA (NVMe is built into Debian's cloud kernel). */
    public static final List<String> DRIVERS = List.of("ena");

    /** Below this the firmware, the unified kernel image it loads and the unpacked initramfs do not fit. */
    static final int MIN_MEMORY_MIB = 512;

    private final Host host;

    public Ec2Backend(Host host) {
        this.host = host;
    }

    public Ec2Backend() {
        this(Host.bare());
    }

    @Override
    public Target target() {
        return Target.EC2;
    }

    @Override
    public Artifact artifact() {
        return new Artifact.UefiDisk(DRIVERS, (app, image) -> cmdline(image, bootParameters(app.config())));
    }

    @Override
    public List<PlannedFile> buildOutputs(AppBuild app) {
        var o = app.outputs();
        var dir = o.buildDir(Target.EC2);
        return List.of(
                new PlannedFile(o.jar(Target.EC2), "the app's classes (reproducible jar)"),
                new PlannedFile(
                        dir.resolve(o.vmKernel().getFileName()),
                        "the guest kernel as shipped (its EFI stub boots it from the UKI)"),
                new PlannedFile(
                        dir.resolve(o.vmInitrd().getFileName()),
                        "the initramfs: jlink'd runtime, app, KV stores, drivers (virtio, ENA), init"),
                new PlannedFile(
                        o.vmDisk(),
                        "the UEFI disk: GPT, FAT32 EFI system partition, unified kernel image (1 GiB, sparse)"),
                new PlannedFile(o.generatedManifest(), "the SHA-256 of the disk, so clean knows it is Mirari's"),
                new PlannedFile(o.imageManifest(Target.EC2), "the image's manifest"),
                new PlannedFile(o.buildFingerprint(Target.EC2), "the build's fingerprint, for the up-to-date check"));
    }

    /**
     * The boot-time parameters the disk carries: the conf's, with {@code ip-use-dhcp=true} unless
     * the conf chose a static address or said otherwise (EC2 hands out addresses by DHCP).
     */
    public static Map<String, String> bootParameters(Config config) {
        var boot = new LinkedHashMap<>(config.bootDefaults());
        if (config.ipUseDhcp().isEmpty() && config.ipAddress().isEmpty()) boot.put("ip-use-dhcp", "true");
        return boot;
    }

    /**
     * The kernel command line in the unified kernel image. No TCG hints (they would be wrong on
     * EC2's hardware): QEMU's {@code q35} machine has a PIT and an HPET to calibrate the TSC against,
     * unlike {@code microvm}, and booted reliably without them here.
     */
    public static String cmdline(VmImage image, Map<String, String> boot) {
        return VmGuest.kernelCommandLine("console=ttyS0", false, 0, image, boot);
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        if (!boot.overrides().isEmpty()) {
            throw new ConfigException(
                    "--set " + String.join(" ", boot.overrides().keySet())
                            + ": the --ec2 disk boots with the boot-time parameters built into its unified kernel image; "
                            + "put them in " + app.config().fileName() + " and run mirari build --ec2 again");
        }
        String qemu = QemuBackend.findQemu(host);
        Path firmware = firmware(host);
        VmImage image = VmImages.image(app, Target.EC2);
        var config = app.config();
        int memory = Math.max(MIN_MEMORY_MIB, VmGuest.memoryMib(config, image));
        VmGuest.requireMemory(config, image, memory);
        String accel = host.accelerator(qemu, image.kernel());
        var urls = new ArrayList<String>();
        String netdev = options.vmTap().isPresent()
                ? "tap,id=n0,ifname=" + options.vmTap().get() + ",script=no,downscript=no"
                : QemuBackend.userNetdev(boot, options.forwards(), config, new ArrayList<>(), urls);
        return command(
                qemu,
                accel,
                memory,
                firmware,
                app.outputs().vmDisk(),
                netdev,
                app,
                image,
                urls,
                VmGuest.onCrash(config));
    }

    /** The host's OVMF ({@link Host#ovmfFirmware}), or exit 5 naming it and the fix. */
    static Path firmware(Host host) {
        Path firmware = host.ovmfFirmware();
        if (!Files.isRegularFile(firmware)) {
            throw new BackendException(firmware
                    + " is missing: the --ec2 disk needs UEFI firmware to boot under QEMU; install it (Debian: "
                    + "apt-get install ovmf) or set MIRARI_OVMF to the firmware file (OVMF.fd)");
        }
        return firmware;
    }

    /** The whole command, a value: tests compare it, {@code run --dry-run} prints it. */
    static RunSpec.VmConsole command(
            String qemu,
            String accel,
            int memoryMib,
            Path firmware,
            Path disk,
            String netdev,
            AppBuild app,
            VmImage image,
            List<String> urls,
            String onCrash) {
        var cmd = new ArrayList<>(VmGuest.machine(qemu, "q35,accel=" + accel, memoryMib));
        cmd.addAll(List.of(
                "-bios",
                firmware.toString(),
                "-chardev",
                "stdio,id=console,signal=on",
                "-serial",
                "chardev:console",
                // snapshot=on: the run never changes the built disk, and two runs of it do not collide.
                "-drive",
                "file=" + disk + ",if=none,id=disk,format=raw,snapshot=on",
                "-device",
                "nvme,drive=disk,serial=mirari",
                "-netdev",
                netdev,
                "-device",
                "virtio-net-pci,netdev=n0"));
        if (accel.equals("kvm")) cmd.addAll(List.of("-cpu", "host"));
        String summary = "QEMU q35 with OVMF (UEFI), " + accel.toUpperCase(Locale.ROOT) + ", " + memoryMib
                + " MiB, NVMe disk " + disk.getFileName() + ", kernel " + image.kernelRelease();
        var spec = new VmConsoleSpec(urls, onCrash, app.outputs().consoleLog(Target.EC2), summary);
        return new RunSpec.VmConsole(new Launch(cmd, Map.of(), app.appDir(), Optional.empty()), spec);
    }
}
