package org.mirari.tool.backend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.config.Ipv4;
import org.mirari.tool.config.SnapshotMode;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.scratch.Scratch;
import org.mirari.tool.snapshot.QemuCommandKey;
import org.mirari.tool.snapshot.SnapshotKey;
import org.mirari.tool.snapshot.SnapshotStore;
import org.mirari.tool.targets.Target;

/**
 * The {@code --qemu} target: the VM image ({@link VmImages}) booted by QEMU's {@code microvm}
 * machine. KVM when it works here, else TCG with the kernel parameters that make TCG boots
 * reliable; the NIC is virtio-net on user networking with port forwards (the subnet set to the
 * app's own address, so static addresses and DHCP both work), or on a host tap ({@code --tap}).
 * The TLS certificate and key, boot-time parameters naming host files, reach the guest through
 * fw_cfg ({@link GuestFiles}).
 */
public final class QemuBackend implements Backend {
    private final Host host;

    public QemuBackend(Host host) {
        this.host = host;
    }

    public QemuBackend() {
        this(Host.bare());
    }

    @Override
    public Target target() {
        return Target.QEMU;
    }

    @Override
    public Artifact artifact() {
        return Artifact.Image.only();
    }

    @Override
    public List<PlannedFile> buildOutputs(AppBuild app) {
        return VmImages.outputs(app, Target.QEMU);
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        String qemu = findQemu(host);
        VmImage image = VmImages.image(app, Target.QEMU);
        var config = app.config();
        int memory = VmGuest.memoryMib(config, image);
        VmGuest.requireMemory(config, image, memory);
        String accel = host.accelerator(qemu, image.kernel());
        long tscKhz = accel.equals("tcg") ? host.tscKhz() : 0;
        var forwards = new ArrayList<String>();
        var urls = new ArrayList<String>();
        var rules = new ArrayList<String>();
        SnapshotMode mode = options.snapshot()
                .or(() -> config.snapshot().map(org.mirari.tool.config.Located::value))
                .orElse(SnapshotMode.AUTO);
        String cold = coldReason(mode, options, config);
        if (cold == null && host.which("zstd", "/usr/bin:/bin").isEmpty())
            cold = "zstd is not installed (Debian: apt-get install zstd); snapshots are stored compressed with it";
        String netdev;
        if (options.vmTap().isPresent()) {
            netdev = "tap,id=n0,ifname=" + options.vmTap().get() + ",script=no,downscript=no";
        } else {
            netdev = userNetdev(boot, options.forwards(), config, forwards, urls, rules, cold == null);
        }
        String onCrash = VmGuest.onCrash(config);
        // Every plan below runs the same machine; only what it does about snapshots differs.
        var machine = new Machine(qemu, accel, tscKhz, memory, image, boot.all(), netdev, app, urls, onCrash);
        java.util.function.Function<VmSnapshots, RunSpec.VmConsole> with = snapshots -> command(machine, snapshots);
        if (cold != null) return with.apply(new VmSnapshots.Cold(cold));
        // Named for Scratch's sweep: a run killed with SIGKILL leaves its sockets, which the next run removes.
        Path runDir;
        try {
            runDir = Scratch.reserve(Path.of(host.property("java.io.tmpdir").orElse("/tmp")), "qemu");
        } catch (IOException e) {
            return with.apply(new VmSnapshots.Cold("the run is being stopped"));
        }
        Path store = SnapshotStore.root(host.cacheDir());
        // The key is made from the command itself, with host-side words replaced, so that nothing the
        // guest can see is left out of it by mistake.
        var draft = with.apply(snapshotsAt(runDir));
        SnapshotKey key;
        try {
            key = snapshotKey(draft.launch().command(), qemu, accel, image, runDir, new SnapshotStore(store));
        } catch (IOException | RuntimeException e) {
            return with.apply(new VmSnapshots.Cold("the snapshot key could not be made (" + e.getMessage() + ")"));
        }
        long cap = host.env("MIRARI_SNAPSHOT_CAP_MB")
                .filter(v -> v.matches("\\d{1,9}"))
                .map(v -> Long.parseLong(v) << 20)
                .orElse(SnapshotStore.DEFAULT_CAP_BYTES);
        boolean trace = host.env("MIRARI_RESTORE_TRACE").filter("1"::equals).isPresent();
        return with.apply(new VmSnapshots.Cache(store, key, mode == SnapshotMode.REFRESH, runDir, rules, cap, trace));
    }

    /** A placeholder plan that only carries the run directory, for making the key. */
    private static VmSnapshots snapshotsAt(Path runDir) {
        return new VmSnapshots.Cache(
                SnapshotStore.root(runDir), SnapshotKey.of(List.of(), Map.of()), false, runDir, List.of(), 0, false);
    }

    /** Why this run boots cold without a snapshot, or null when snapshots apply. */
    static String coldReason(SnapshotMode mode, RunOptions options, Config config) {
        if (mode == SnapshotMode.OFF) return "snapshots are off (snapshot: off or --snapshot=off)";
        if (options.vmTap().isPresent())
            return "--tap: restored copies would share the guest's MAC and address, so snapshots are for user networking only";
        if (config.main().kind() != EntryPoint.Kind.HTTP)
            return "a " + config.main().kind().key() + " app announces no readiness to take a snapshot at";
        return null;
    }

    /**
     * The snapshot's key (see {@link QemuCommandKey}): the image's files are hashed by content and
     * named in the command's words as {@code <kernel>}, {@code <initrd>}, {@code <disk N>}.
     */
    static SnapshotKey snapshotKey(
            List<String> command, String qemu, String accel, VmImage image, Path runDir, SnapshotStore store)
            throws IOException {
        var files = new java.util.LinkedHashMap<String, Path>();
        files.put("kernel", image.kernel());
        files.put("initrd", image.initrd());
        for (int d = 0; d < image.disks().size(); d++)
            files.put("disk " + d, image.disks().get(d));
        return QemuCommandKey.of(command, Path.of(qemu), accel, files, runDir, store);
    }

    /**
     * The machine one run boots, whatever it then does about snapshots: the QEMU binary and its
     * accelerator ({@code kvm} or {@code tcg}, with the host's TSC rate in kHz under TCG, else 0),
     * the guest's memory, the image, the boot-time parameters, QEMU's {@code -netdev} value, the
     * app, the URLs it answers on, and what the run does when the guest crashes.
     */
    record Machine(
            String qemu,
            String accel,
            long tscKhz,
            int memoryMib,
            VmImage image,
            Map<String, String> boot,
            String netdev,
            AppBuild app,
            List<String> urls,
            String onCrash) {}

    /** The whole command without snapshots, a value: tests compare it, {@code run --dry-run} prints it. */
    static RunSpec.VmConsole command(Machine m) {
        return command(m, new VmSnapshots.None());
    }

    /**
     * The whole command. With the snapshot cache the guest gets a second serial port (ttyS1, on a
     * socket of the run's directory) for the restore line, named to its init by
     * {@code MIRARI_RESTORE}, and QEMU a monitor socket through which the run saves, restores and
     * adds the port forwards.
     */
    static RunSpec.VmConsole command(Machine m, VmSnapshots snapshots) {
        boolean cache = snapshots instanceof VmSnapshots.Cache;
        var cmd = new ArrayList<String>(VmGuest.microvm(m.qemu(), m.accel(), m.memoryMib()));
        var files = new ArrayList<String>();
        var guestBoot = GuestFiles.qemu(m.boot(), files);
        cmd.addAll(List.of(
                "-chardev",
                "stdio,id=console,signal=on",
                "-serial",
                "chardev:console",
                "-kernel",
                m.image().kernel().toString(),
                "-initrd",
                m.image().initrd().toString(),
                "-append",
                VmGuest.kernelCommandLine(
                        cache ? "console=ttyS0 " + RESTORE_PORT_VAR + "=ttyS1" : "console=ttyS0",
                        m.accel().equals("tcg"),
                        m.tscKhz(),
                        m.image(),
                        guestBoot),
                "-netdev",
                m.netdev(),
                "-device",
                "virtio-net-device,netdev=n0"));
        cmd.addAll(drives(m.image()));
        cmd.addAll(files);
        if (m.accel().equals("kvm")) cmd.addAll(List.of("-cpu", "host"));
        if (snapshots instanceof VmSnapshots.Cache c) {
            cmd.addAll(List.of(
                    "-chardev",
                    "socket,id=mirari-control,path=" + commas(c.control()) + ",server=on,wait=off",
                    "-device",
                    "isa-serial,chardev=mirari-control,index=1",
                    "-qmp",
                    "unix:" + commas(c.qmp()) + ",server=on,wait=off"));
        }
        String summary = "QEMU microvm, " + m.accel().toUpperCase(java.util.Locale.ROOT) + ", " + m.memoryMib()
                + " MiB, " + (m.image().pvh() ? "PVH entry" : "Linux boot protocol") + ", kernel "
                + m.image().kernelRelease();
        var spec =
                new VmConsoleSpec(m.urls(), m.onCrash(), m.app().outputs().consoleLog(Target.QEMU), summary, snapshots);
        return new RunSpec.VmConsole(new Launch(cmd, Map.of(), m.app().appDir(), Optional.empty()), spec);
    }

    /** The guest init's variable naming its restore port. */
    static final String RESTORE_PORT_VAR = "MIRARI_RESTORE";

    /** A path inside a QEMU option value, where a comma is written twice. */
    private static String commas(Path p) {
        return p.toString().replace(",", ",,");
    }

    /**
     * The image's read-only disks (the runtime's and the app's squashfs images) on virtio-blk over
     * MMIO: QEMU reads their pages from the host's page cache as the guest asks, so they take no
     * guest memory until read. Read-only, so any number of runs share the files. In this order (the
     * runtime's, then the app's), the guest sees them as vda and vdb, which the init mounts in one
     * busybox process ({@code /etc/mirari/fstab.disks}); it checks each by its contents, and in any
     * other order it still finds which is which, one probe mount per disk.
     */
    static List<String> drives(VmImage image) {
        var args = new ArrayList<String>();
        int i = 0;
        for (Path disk : image.disks()) {
            String id = "d" + i++;
            args.addAll(List.of(
                    "-drive",
                    "file=" + disk + ",if=none,id=" + id + ",format=raw,readonly=on",
                    "-device",
                    "virtio-blk-device,drive=" + id));
        }
        return args;
    }

    /**
     * QEMU's user networking laid out as the app's own subnet: the gateway is QEMU's host side and
     * the app's address the first DHCP lease, so a static address and DHCP give the same result.
     */
    static String userNetdev(
            Boot boot, List<PortForward> requested, Config config, List<String> forwardsOut, List<String> urlsOut) {
        return userNetdev(boot, requested, config, forwardsOut, urlsOut, new ArrayList<>(), false);
    }

    /**
     * @param rulesOut the forwards as {@code hostfwd_add} rules ({@code tcp:127.0.0.1:8080-10.0.0.2:8080})
     * @param deferred leave the forwards off the command line: the run adds them after a snapshot or restore
     */
    static String userNetdev(
            Boot boot,
            List<PortForward> requested,
            Config config,
            List<String> forwardsOut,
            List<String> urlsOut,
            List<String> rulesOut,
            boolean deferred) {
        String ip = boot.ipAddress().toString();
        String gw = boot.ipGateway().toString();
        int prefix = boot.prefix();
        var net = new Ipv4(boot.ipAddress().bits() & boot.ipNetmask().bits());
        var sb = new StringBuilder("user,id=n0,net=")
                .append(net)
                .append('/')
                .append(prefix)
                .append(",host=")
                .append(gw)
                .append(",dhcpstart=")
                .append(ip);
        var forwards = new ArrayList<>(requested);
        String https = boot.all().getOrDefault("https-port", "");
        int httpsPort = https.isEmpty() ? -1 : Integer.parseInt(https);
        if (forwards.isEmpty() && config.main().kind() == EntryPoint.Kind.HTTP) {
            forwards.add(new PortForward("127.0.0.1", boot.httpPort(), boot.httpPort()));
            if (httpsPort > 0) forwards.add(new PortForward("127.0.0.1", httpsPort, httpsPort));
        }
        for (var f : forwards) {
            int hostPort = f.hostPort() == 0 || !bindable(f.hostAddress(), f.hostPort())
                    ? freePort(f.hostAddress())
                    : f.hostPort();
            String rule = "tcp:" + f.hostAddress() + ':' + hostPort + '-' + ip + ':' + f.guestPort();
            rulesOut.add(rule);
            if (!deferred) sb.append(",hostfwd=").append(rule);
            forwardsOut.add(hostPort + ":" + f.guestPort());
            String host = f.hostAddress().equals("0.0.0.0") ? "127.0.0.1" : f.hostAddress();
            urlsOut.add((f.guestPort() == httpsPort ? "https://" : "http://") + host + ":" + hostPort + "/"
                    + (hostPort != f.hostPort() && f.hostPort() != 0
                            ? " (port " + f.hostPort() + " is taken here)"
                            : ""));
        }
        return sb.toString();
    }

    static String findQemu(Host host) {
        return host.which("qemu-system-x86_64", "/usr/bin:/bin")
                .map(Path::toString)
                .orElseThrow(
                        () -> new BackendException(
                                "qemu-system-x86_64 is not installed; install it (Debian: apt-get install qemu-system-x86) or use --socket"));
    }

    static boolean bindable(String address, int port) {
        try (var s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort(String address) {
        try (var s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BackendException(
                    "no free TCP port on " + address + " for the VM's port forward: " + e.getMessage());
        }
    }
}
