package org.mirari.tool.backend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.config.Ipv4;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.target.Target;

/**
 * The {@code --qemu} target: the VM image ({@link VmImages}) booted by QEMU's {@code microvm}
 * machine. KVM when it works here, else TCG with the kernel parameters that make TCG boots
 * reliable; the NIC is virtio-net on user networking with port forwards (the subnet set to the
 * app's own address, so static addresses and DHCP both work), or on a host tap ({@code --tap}).
 */
public final class QemuBackend implements Backend {
    /** The init's environment variable (set on the kernel command line) for JVM options that depend on the run. */
    static final String JVM_OPTIONS_VAR = "MIRARI_JVM_OPTIONS";
    /** Overrides KVM detection: {@code kvm} or {@code tcg}. */
    static final String ACCEL_PROPERTY = "mirari.qemu.accel";

    @Override
    public Target target() {
        return Target.QEMU;
    }

    @Override
    public BuildOutcome build(AppBuild app, EventSink events) {
        return VmImages.build(app, Target.QEMU, events);
    }

    @Override
    public boolean upToDate(AppBuild app) {
        return VmImages.upToDate(app, Target.QEMU);
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        String qemu = findQemu();
        VmImage image = VmImages.image(app, Target.QEMU);
        var config = app.config();
        int memory = memoryMib(config, image);
        requireMemory(config, image, memory);
        String accel = accelerator(qemu);
        var forwards = new ArrayList<String>();
        var urls = new ArrayList<String>();
        String netdev;
        if (options.vmTap().isPresent()) {
            netdev = "tap,id=n0,ifname=" + options.vmTap().get() + ",script=no,downscript=no";
        } else {
            netdev = userNetdev(boot, options.forwards(), config, forwards, urls);
        }
        return command(qemu, accel, memory, image, boot.all(), netdev, app, urls, onCrash(config));
    }

    /** The whole command, a value: tests compare it, {@code run --dry-run} prints it. */
    static RunSpec.VmConsole command(String qemu, String accel, int memoryMib, VmImage image, Map<String, String> boot, String netdev,
                          AppBuild app, List<String> urls, String onCrash) {
        var cmd = new ArrayList<String>(List.of(qemu,
                "-M", "microvm,accel=" + accel, "-m", Integer.toString(memoryMib), "-smp", "1",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-chardev", "stdio,id=console,signal=on", "-serial", "chardev:console",
                "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                "-append", kernelCommandLine("console=ttyS0", accel.equals("tcg"), image, boot),
                "-netdev", netdev, "-device", "virtio-net-device,netdev=n0"));
        if (accel.equals("kvm")) cmd.addAll(List.of("-cpu", "host"));
        String summary = "QEMU microvm, " + accel.toUpperCase(java.util.Locale.ROOT) + ", " + memoryMib + " MiB, "
                + (image.pvh() ? "PVH entry" : "Linux boot protocol") + ", kernel " + image.kernelRelease();
        var spec = new VmConsoleSpec(urls, onCrash, app.outputs().consoleLog(Target.QEMU), summary);
        return new RunSpec.VmConsole(new Launch(cmd, Map.of(), app.appDir(), Optional.empty()), spec);
    }

    /**
     * The guest kernel's command line: console, {@code panic=-1} (a panic ends the VM at once, so
     * the runner sees it), {@code quiet}, under TCG the TSC parameters (without them about two boots
     * in three hang calibrating the TSC; {@code tsc=reliable} stops the clocksource watchdog from
     * falling back to jiffies on a slow emulated CPU) and C1-only for the JVM, then the init and the
     * boot-time parameters.
     */
    static String kernelCommandLine(String console, boolean tcg, VmImage image, Map<String, String> boot) {
        var sb = new StringBuilder(console).append(" panic=-1 quiet");
        if (tcg) {
            long khz = hostTscKhz();
            if (khz > 0) sb.append(" tsc_early_khz=").append(khz).append(" lpj=").append(khz * 4).append(" tsc=reliable");
            // On one emulated CPU, C2 compiling competes with starting up: C1 alone reached "listening"
            // about 0.8 s sooner of 9 s (guest clock) for hello. Under KVM the JVM keeps all its tiers.
            sb.append(' ').append(JVM_OPTIONS_VAR).append("=-XX:TieredStopAtLevel=1");
        }
        sb.append(' ').append(image.initArgs());
        boot.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * QEMU's user networking laid out as the app's own subnet: the gateway is QEMU's host side and
     * the app's address the first DHCP lease, so a static address and DHCP give the same result.
     */
    static String userNetdev(Boot boot, List<PortForward> requested, Config config,
                             List<String> forwardsOut, List<String> urlsOut) {
        String ip = boot.ipAddress().toString();
        String gw = boot.ipGateway().toString();
        int prefix = boot.prefix();
        var net = new Ipv4(boot.ipAddress().bits() & boot.ipNetmask().bits());
        var sb = new StringBuilder("user,id=n0,net=").append(net).append('/').append(prefix)
                .append(",host=").append(gw).append(",dhcpstart=").append(ip);
        var forwards = new ArrayList<>(requested);
        if (forwards.isEmpty() && config.main().kind() == EntryPoint.Kind.HTTP) {
            forwards.add(new PortForward("127.0.0.1", boot.httpPort(), boot.httpPort()));
        }
        for (var f : forwards) {
            int hostPort = f.hostPort() == 0 || !bindable(f.hostAddress(), f.hostPort()) ? freePort(f.hostAddress()) : f.hostPort();
            sb.append(",hostfwd=tcp:").append(f.hostAddress()).append(':').append(hostPort).append('-').append(ip).append(':').append(f.guestPort());
            forwardsOut.add(hostPort + ":" + f.guestPort());
            String host = f.hostAddress().equals("0.0.0.0") ? "127.0.0.1" : f.hostAddress();
            urlsOut.add("http://" + host + ":" + hostPort + "/" + (hostPort != f.hostPort() && f.hostPort() != 0
                    ? " (port " + f.hostPort() + " is taken here)" : ""));
        }
        return sb.toString();
    }

    /**
     * {@code vm-memory} when set; otherwise the default (256 MiB), raised to what the image needs
     * (rounded up to 32 MiB) so that a large image runs without the user doing the arithmetic.
     */
    static int memoryMib(Config config, VmImage image) {
        if (config.vmMemoryMib().isPresent()) return config.vmMemoryMib().get().value();
        return Math.max(Config.DEFAULT_VM_MEMORY_MIB, (image.minimumMemoryMiB() + 31) / 32 * 32);
    }

    /** Guest memory must hold the unpacked initramfs, the JVM's heap and metaspace, and the kernel. */
    static void requireMemory(Config config, VmImage image, int memoryMib) {
        requireMemory(config.vmMemoryMib().map(m -> m.at() + ": ").orElse(config.fileName() + ": "), "vm-memory", memoryMib, image);
    }

    /** The check for any key that sets the guest memory: {@code where} is that key's position ("app.conf:7:13: "). */
    static void requireMemory(String where, String key, int memoryMib, VmImage image) {
        int need = image.minimumMemoryMiB();
        if (memoryMib >= need) return;
        throw new ConfigException(where + key + " " + memoryMib + " MiB is below what " + image.initrd().getFileName()
                + " needs: " + need + " MiB (" + image.memoryBreakdown() + "); use " + key + ": " + need + " or more");
    }

    static String onCrash(Config config) {
        for (var x : config.xl()) {
            if (x.key().equals("on_crash") && x.value() instanceof org.mirari.tool.config.XlParam.Text t) {
                String v = t.value();
                if (v.startsWith("restart")) return "restart";
                if (v.startsWith("preserve") || v.startsWith("coredump")) return "preserve";
                return "destroy";
            }
        }
        return "destroy";
    }

    static String findQemu() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "qemu-system-x86_64");
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new BackendException("qemu-system-x86_64 is not installed; install it (Debian: apt-get install qemu-system-x86) or use --socket");
    }

    private static volatile String detected;

    /** KVM if QEMU can start a KVM guest here (nested VMs often cannot, whatever /dev/kvm says), else TCG. */
    static String accelerator(String qemu) {
        String forced = System.getProperty(ACCEL_PROPERTY, System.getenv().getOrDefault("MIRARI_QEMU_ACCEL", ""));
        if (forced.equals("kvm") || forced.equals("tcg")) return forced;
        if (detected != null) return detected;
        String result = "tcg";
        Path kvm = Path.of("/dev/kvm");
        if (Files.isReadable(kvm) && Files.isWritable(kvm)) {
            try {
                var p = new ProcessBuilder(qemu, "-M", "microvm,accel=kvm", "-cpu", "host", "-m", "32", "-nodefaults",
                        "-no-user-config", "-display", "none", "-S").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                // A usable KVM keeps the paused guest alive; an unusable one makes QEMU exit at once.
                if (!p.waitFor(1500, TimeUnit.MILLISECONDS)) result = "kvm";
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (IOException e) {
                result = "tcg";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        detected = result;
        return result;
    }

    /** The host's TSC frequency in kHz from /proc/cpuinfo's "cpu MHz", or 0. */
    static long hostTscKhz() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) {
                    return Math.round(Double.parseDouble(line.substring(line.indexOf(':') + 1).strip()) * 1000);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an odd cpuinfo: boot without the hints
        }
        return 0;
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
            throw new BackendException("no free TCP port on " + address + " for the VM's port forward: " + e.getMessage());
        }
    }

}
