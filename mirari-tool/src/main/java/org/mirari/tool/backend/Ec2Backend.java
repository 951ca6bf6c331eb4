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
import org.mirari.tool.config.Ipv4;
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
 * <p>The kernel command line is in the unified kernel image, so the boot-time parameters built in
 * are the conf's; the network defaults to DHCP (what EC2 gives) unless the conf sets
 * {@code ip-use-dhcp} or {@code ip-address}. Once the network is up, the guest's init reads the
 * instance's user data from the instance metadata service ({@value #IMDS_ADDRESS}, IMDSv2), and
 * its {@code key=value} lines win over the built-in ones ({@code user-data.sh} in the image
 * package). {@code run --ec2} serves its {@code --set}s that way too: its user network is laid out
 * like EC2's link-local one ({@link #RUN_NET}), and QEMU hands each guest connection to
 * {@value #IMDS_ADDRESS}:80 to {@code bin/mirari-imds}, a stand-in for the metadata service.
 */
public final class Ec2Backend implements Backend {
    /** The EC2 drivers an image carries beside virtio's: ENA (NVMe is built into Debian's cloud kernel). */
    public static final List<String> DRIVERS = List.of("ena");

    /** Below this the firmware, the unified kernel image it loads and the unpacked initramfs do not fit. */
    static final int MIN_MEMORY_MIB = 512;

    /** EC2's instance metadata service: a link-local address on every instance (and in {@code run --ec2}). */
    public static final String IMDS_ADDRESS = "169.254.169.254";

    /**
     * The init's environment variable (the kernel hands unknown {@code NAME=value} parameters to init
     * as environment) that names the metadata service to read the user data from.
     */
    static final String IMDS_VAR = "MIRARI_IMDS";

    /**
     * {@code run --ec2}'s user network: QEMU forwards a guest's connection to an address only within
     * its network, so the network holds the metadata service's address, as EC2's link-local one
     * does; the guest gets {@code .15} by DHCP, the host is {@code .1}.
     */
    static final Boot RUN_NET = new Boot(
            Map.of(),
            Map.of(),
            "*",
            0,
            Ipv4.parse("169.254.169.15").orElseThrow(),
            Ipv4.parse("169.254.169.1").orElseThrow(),
            Ipv4.parse("255.255.255.0").orElseThrow(),
            true);

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
        return VmGuest.kernelCommandLine("console=ttyS0 " + IMDS_VAR + "=" + IMDS_ADDRESS, false, 0, image, boot);
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        var ipKeys = boot.overrides().keySet().stream()
                .filter(k -> k.startsWith("ip-"))
                .toList();
        if (!ipKeys.isEmpty()) {
            throw new ConfigException("--set " + String.join(" ", ipKeys)
                    + ": on --ec2 the network comes up (by DHCP, as on EC2) before the user data that carries --set is"
                    + " read; put them in " + app.config().fileName() + " and run mirari build --ec2 again");
        }
        if (!boot.overrides().isEmpty() && options.vmTap().isPresent()) {
            throw new ConfigException(
                    "--set " + String.join(" ", boot.overrides().keySet())
                            + ": on --ec2 they reach the guest as user data from run --ec2's stand-in metadata service,"
                            + " which only the user network has; drop --tap, or put them in "
                            + app.config().fileName()
                            + " and run mirari build --ec2 again");
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
                : userNetdev(boot, options.forwards(), config, urls, imdsCommand(host.mirariHome(), boot.overrides()));
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

    /**
     * QEMU's user network laid out as {@link #RUN_NET}, with the forwards to the app's port and the
     * metadata service's address handed to {@code imds}, a command run for each connection.
     */
    static String userNetdev(Boot boot, List<PortForward> forwards, Config config, List<String> urls, String imds) {
        var layout = new Boot(
                boot.overrides(),
                boot.all(),
                boot.httpAddress(),
                boot.httpPort(),
                RUN_NET.ipAddress(),
                RUN_NET.ipGateway(),
                RUN_NET.ipNetmask(),
                true);
        // QEMU's option syntax: a comma inside a value is written twice.
        return QemuBackend.userNetdev(layout, forwards, config, new ArrayList<>(), urls) + ",guestfwd=tcp:"
                + IMDS_ADDRESS + ":80-cmd:" + imds.replace(",", ",,");
    }

    /**
     * The stand-in metadata service's command line (run by QEMU through {@code /bin/sh -c}): its
     * token, then the user data, the boot-time {@code --set}s. The token comes from the user data, so
     * a guest that answers with it has read it from the service, not from a constant.
     */
    static String imdsCommand(Path mirariHome, Map<String, String> userData) {
        var words = new ArrayList<String>(List.of(
                "/bin/sh",
                mirariHome.toAbsolutePath().resolve("bin/mirari-imds").toString()));
        var lines = new StringBuilder();
        userData.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            words.add("mirari-" + java.util.HexFormat.of().formatHex(sha, 0, 8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
        userData.forEach((k, v) -> words.add(k + "=" + v));
        return String.join(" ", words.stream().map(RunSpec::shellQuote).toList());
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
