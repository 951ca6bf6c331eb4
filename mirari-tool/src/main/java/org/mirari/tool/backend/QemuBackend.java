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
import org.mirari.tool.error.BackendException;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
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
        var forwards = new ArrayList<String>();
        var urls = new ArrayList<String>();
        String netdev;
        if (options.vmTap().isPresent()) {
            netdev = "tap,id=n0,ifname=" + options.vmTap().get() + ",script=no,downscript=no";
        } else {
            netdev = userNetdev(boot, options.forwards(), config, forwards, urls);
        }
        return command(
                qemu,
                accel,
                accel.equals("tcg") ? host.tscKhz() : 0,
                memory,
                image,
                boot.all(),
                netdev,
                app,
                urls,
                VmGuest.onCrash(config));
    }

    /** The whole command, a value: tests compare it, {@code run --dry-run} prints it. */
    static RunSpec.VmConsole command(
            String qemu,
            String accel,
            long tscKhz,
            int memoryMib,
            VmImage image,
            Map<String, String> boot,
            String netdev,
            AppBuild app,
            List<String> urls,
            String onCrash) {
        var cmd = new ArrayList<String>(VmGuest.microvm(qemu, accel, memoryMib));
        var files = new ArrayList<String>();
        var guestBoot = GuestFiles.qemu(boot, files);
        cmd.addAll(List.of(
                "-chardev",
                "stdio,id=console,signal=on",
                "-serial",
                "chardev:console",
                "-kernel",
                image.kernel().toString(),
                "-initrd",
                image.initrd().toString(),
                "-append",
                VmGuest.kernelCommandLine("console=ttyS0", accel.equals("tcg"), tscKhz, image, guestBoot),
                "-netdev",
                netdev,
                "-device",
                "virtio-net-device,netdev=n0"));
        cmd.addAll(files);
        if (accel.equals("kvm")) cmd.addAll(List.of("-cpu", "host"));
        String summary = "QEMU microvm, " + accel.toUpperCase(java.util.Locale.ROOT) + ", " + memoryMib + " MiB, "
                + (image.pvh() ? "PVH entry" : "Linux boot protocol") + ", kernel " + image.kernelRelease();
        var spec = new VmConsoleSpec(urls, onCrash, app.outputs().consoleLog(Target.QEMU), summary);
        return new RunSpec.VmConsole(new Launch(cmd, Map.of(), app.appDir(), Optional.empty()), spec);
    }

    /**
     * QEMU's user networking laid out as the app's own subnet: the gateway is QEMU's host side and
     * the app's address the first DHCP lease, so a static address and DHCP give the same result.
     */
    static String userNetdev(
            Boot boot, List<PortForward> requested, Config config, List<String> forwardsOut, List<String> urlsOut) {
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
            sb.append(",hostfwd=tcp:")
                    .append(f.hostAddress())
                    .append(':')
                    .append(hostPort)
                    .append('-')
                    .append(ip)
                    .append(':')
                    .append(f.guestPort());
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
