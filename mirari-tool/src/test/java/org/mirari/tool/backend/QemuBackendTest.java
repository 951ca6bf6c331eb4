package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.ConfigException;

/** The QEMU command line as a value (no VM is started here). */
class QemuBackendTest {
    @Test
    void userNetworkingIsTheAppsSubnetWithItsHttpPortForwarded() throws Exception {
        var app = XenBackendTest.seed(List.of("http-port=18123", "ip-address=10.77.0.9", "ip-gateway=10.77.0.1"));
        var boot = XenBackendTest.boot(
                app, Map.of("http-port", "18123", "ip-address", "10.77.0.9", "ip-gateway", "10.77.0.1"));
        var forwards = new ArrayList<String>();
        var urls = new ArrayList<String>();
        String netdev = QemuBackend.userNetdev(boot, List.of(), app.config(), forwards, urls);
        assertThat(netdev)
                .isEqualTo("user,id=n0,net=10.77.0.0/24,host=10.77.0.1,dhcpstart=10.77.0.9,"
                        + "hostfwd=tcp:127.0.0.1:18123-10.77.0.9:18123");
        assertThat(urls).containsExactly("http://127.0.0.1:18123/");
    }

    @Test
    void theHttpsPortIsForwardedTooAndNamedAsHttps() throws Exception {
        var app = XenBackendTest.seed(List.of("http-port=18123", "https-port=18124"));
        var boot = XenBackendTest.boot(app, Map.of("http-port", "18123", "https-port", "18124"));
        var urls = new ArrayList<String>();
        String netdev = QemuBackend.userNetdev(boot, List.of(), app.config(), new ArrayList<>(), urls);
        assertThat(netdev)
                .endsWith("hostfwd=tcp:127.0.0.1:18123-10.0.0.2:18123,hostfwd=tcp:127.0.0.1:18124-10.0.0.2:18124");
        assertThat(urls).containsExactly("http://127.0.0.1:18123/", "https://127.0.0.1:18124/");
    }

    /** The TCG command of a run of {@code app} with these boot-time parameters. */
    static RunSpec.VmConsole tcg(AppBuild app, Map<String, String> boot) {
        return QemuBackend.command(new QemuBackend.Machine(
                "qemu-system-x86_64",
                "tcg",
                0,
                256,
                XenBackendTest.image(app),
                boot,
                "user,id=n0",
                app,
                List.of(),
                "destroy"));
    }

    @Test
    void theTlsPairReachesTheGuestThroughFwCfgAndTheCommandLineNamesWhereItIs(@TempDir Path tmp) throws Exception {
        Path[] pair = XenBackendTest.pair(tmp);
        var app = XenBackendTest.seed(List.of());
        var boot = new java.util.LinkedHashMap<String, String>(Map.of("http-port", "80"));
        boot.put("https-port", "8443");
        boot.put("tls-certificate", pair[0].toString());
        boot.put("tls-key", pair[1].toString());
        var launch = tcg(app, boot);
        String cmd = String.join(" ", launch.launch().command());
        assertThat(cmd)
                .contains(" tls-certificate=/sys/firmware/qemu_fw_cfg/by_name/opt/org.mirari/tls-certificate/raw"
                        + " tls-key=/sys/firmware/qemu_fw_cfg/by_name/opt/org.mirari/tls-key/raw")
                .endsWith(" -fw_cfg name=opt/org.mirari/tls-certificate,file=" + pair[0]
                        + " -fw_cfg name=opt/org.mirari/tls-key,file=" + pair[1])
                .doesNotContain("PRIVATE");
        boot.put("tls-key", "env:KEY");
        assertThatThrownBy(() -> tcg(app, boot))
                .isInstanceOf(ConfigException.class)
                .hasMessage("boot parameter tls-key=env:KEY names the environment, which a VM guest does not share with"
                        + " this host; give the PEM file's path (the run hands the file to the guest)");
        boot.put("tls-key", tmp.resolve("none.pem").toString());
        assertThatThrownBy(() -> tcg(app, boot))
                .hasMessage("boot parameter tls-key=" + tmp.resolve("none.pem")
                        + ": no readable file there on this host; give the path of a PEM file");
    }

    @Test
    void aTakenHostPortIsReplacedByAFreeOneAndSaidSo() throws Exception {
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            var app = XenBackendTest.seed(List.of());
            var boot = XenBackendTest.boot(app, Map.of());
            var urls = new ArrayList<String>();
            String netdev = QemuBackend.userNetdev(
                    boot,
                    List.of(PortForward.parse(port + ":80"), PortForward.parse("0.0.0.0:0:22")),
                    app.config(),
                    new ArrayList<>(),
                    urls);
            assertThat(netdev)
                    .doesNotContain("127.0.0.1:" + port + "-")
                    .contains("-10.0.0.2:80")
                    .contains("hostfwd=tcp:0.0.0.0:");
            assertThat(urls.get(0)).endsWith("/ (port " + port + " is taken here)");
            assertThat(urls.get(1)).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void theKernelCommandLineCarriesTscHintsUnderTcgAndEveryBootParameter() {
        var app = XenBackendTest.seed(List.of());
        var image = XenBackendTest.image(app);
        var boot = XenBackendTest.boot(app, Map.of("http-port", "9090")).all();
        long khz = 2_100_000;
        String tcg = VmGuest.kernelCommandLine("console=ttyS0", true, khz, image, boot);
        assertThat(tcg)
                .startsWith("console=ttyS0 panic=-1 quiet")
                .endsWith(" rootfstype=ramfs rdinit=/init -- http-address=* http-port=9090 ip-address=10.0.0.2 "
                        + "ip-gateway=10.0.0.1 ip-netmask=255.255.255.0 ip-use-dhcp=true");
        assertThat(tcg).contains(" tsc_early_khz=2100000 lpj=8400000 tsc=reliable mitigations=off ");
        assertThat(VmGuest.kernelCommandLine("console=ttyS0", true, 0, image, boot))
                .doesNotContain("tsc") // unknown TSC: no hints
                .contains(" mitigations=off "); // emulated: the guest's mitigations guard nothing
        // C1 only, with its compile thresholds raised tenfold by the init (init.sh).
        assertThat(tcg).contains(" MIRARI_JVM_OPTIONS=-XX:TieredStopAtLevel=1 MIRARI_JIT=deferred rootfstype=ramfs");
        assertThat(VmGuest.kernelCommandLine("console=ttyS0", false, khz, image, boot))
                .doesNotContain("tsc")
                .doesNotContain("mitigations") // a real CPU (KVM): the kernel's mitigations stay
                .doesNotContain("MIRARI_JVM")
                .doesNotContain("MIRARI_JIT"); // all tiers, at their usual thresholds
    }

    @Test
    void theWholeCommandIsAMicrovmWithTheImage() {
        var app = XenBackendTest.seed(List.of());
        var image = XenBackendTest.image(app);
        var launch = QemuBackend.command(new QemuBackend.Machine(
                "qemu-system-x86_64",
                "tcg",
                0,
                256,
                image,
                Map.of("http-port", "80"),
                "user,id=n0",
                app,
                List.of("http://127.0.0.1:8080/"),
                "preserve"));
        assertThat(String.join(" ", launch.launch().command()))
                .startsWith("qemu-system-x86_64 -M microvm,accel=tcg -m 256 -smp 1 -nodefaults "
                        + "-no-user-config -display none -no-reboot -chardev stdio,id=console,signal=on -serial chardev:console -kernel "
                        + image.kernel() + " -initrd " + image.initrd() + " -append console=ttyS0 ")
                .endsWith(" -netdev user,id=n0 -device virtio-net-device,netdev=n0"
                        + " -drive file=" + image.disks().get(0) + ",if=none,id=d0,format=raw,readonly=on"
                        + " -device virtio-blk-device,drive=d0"
                        + " -drive file=" + image.disks().get(1) + ",if=none,id=d1,format=raw,readonly=on"
                        + " -device virtio-blk-device,drive=d1");
        var vm = launch.console();
        assertThat(vm.onCrash()).isEqualTo("preserve");
        assertThat(vm.consoleLog()).isEqualTo(app.outputs().mirariDir().resolve("qemu/console.log"));
        assertThat(vm.summary()).isEqualTo("QEMU microvm, TCG, 256 MiB, PVH entry, kernel 6.1.0-57-cloud-amd64");
    }

    @Test
    void tooLittleVmMemoryIsRefusedWithTheMinimum() {
        var app = XenBackendTest.seed(List.of("vm-memory=96"));
        assertThatThrownBy(() -> VmGuest.requireMemory(app.config(), XenBackendTest.image(app), 96))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "--set:1:11: vm-memory 96 MiB is below what mir-app.initrd needs: 109 MiB (5 MiB unpacked initramfs "
                                + "+ 56 MiB for the JVM to start + 48 MiB kernel); use vm-memory: 109 or more");
    }

    @Test
    void withoutVmMemoryTheGuestGetsWhatTheImageNeeds() {
        var app = XenBackendTest.seed(List.of());
        var small = XenBackendTest.image(app);
        assertThat(VmGuest.memoryMib(app.config(), small)).isEqualTo(128);
        // An image of 112.9 MB unpacked (the seed's, before its runtime moved to squashfs) needs 212 MiB.
        var seedImage = image(small.kernel(), small.initrd(), 53_243_444, 37_735_157, 112_900_000, List.of());
        assertThat(seedImage.minimumMemoryMiB()).isEqualTo(212);
        assertThat(VmGuest.memoryMib(app.config(), seedImage)).isEqualTo(224);
        assertThat(VmGuest.memoryMib(
                        XenBackendTest.seed(List.of("vm-memory=300")).config(), seedImage))
                .isEqualTo(300);
    }

    @Test
    void onCrashFollowsXlOnCrash() {
        assertThat(VmGuest.onCrash(XenBackendTest.seed(List.of()).config())).isEqualTo("preserve");
        assertThat(VmGuest.onCrash(
                        XenBackendTest.seed(List.of("xl-on_crash=restart")).config()))
                .isEqualTo("restart");
    }

    @Test
    void portForwardsParse() {
        assertThat(PortForward.parse("8080:80")).isEqualTo(new PortForward("127.0.0.1", 8080, 80));
        assertThat(PortForward.parse("0.0.0.0:0:443")).isEqualTo(new PortForward("0.0.0.0", 0, 443));
        assertThatThrownBy(() -> PortForward.parse("80"))
                .hasMessage(
                        "-p 80: not a port forward; use HOST:GUEST (8080:80) or ADDRESS:HOST:GUEST (0.0.0.0:8080:80)");
        assertThatThrownBy(() -> PortForward.parse("8080:0"))
                .hasMessage("-p 8080:0: ports are 1-65535 (0 as the host port picks a free one)");
    }

    @Test
    void snapshotsAreForUserNetworkingAndAppsThatListen() {
        var http = XenBackendTest.seed(List.of());
        var none = RunOptions.defaults();
        assertThat(QemuBackend.coldReason(org.mirari.tool.config.SnapshotMode.AUTO, none, http.config()))
                .isNull();
        assertThat(QemuBackend.coldReason(org.mirari.tool.config.SnapshotMode.REFRESH, none, http.config()))
                .isNull();
        assertThat(QemuBackend.coldReason(org.mirari.tool.config.SnapshotMode.OFF, none, http.config()))
                .startsWith("snapshots are off");
        var tap = new RunOptions(true, "tap0", java.util.Optional.empty(), List.of(), java.util.Optional.of("tap9"));
        assertThat(QemuBackend.coldReason(org.mirari.tool.config.SnapshotMode.AUTO, tap, http.config()))
                .isEqualTo("--tap: restored copies would share the guest's MAC and address, so snapshots are for user "
                        + "networking only");
        var noip = XenBackendTest.seed(List.of("main-noip=Bye.main"));
        assertThat(QemuBackend.coldReason(org.mirari.tool.config.SnapshotMode.AUTO, none, noip.config()))
                .isEqualTo("a main-noip app announces no readiness to take a snapshot at");
    }

    @Test
    void withSnapshotsTheForwardsWaitAndTheGuestGetsItsRestorePort(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var app = XenBackendTest.seed(List.of());
        var boot = XenBackendTest.boot(app, Map.of("http-port", "18124"));
        var rules = new ArrayList<String>();
        String netdev = QemuBackend.userNetdev(
                boot,
                List.of(PortForward.parse("0:18124")),
                app.config(),
                new ArrayList<>(),
                new ArrayList<>(),
                rules,
                true);
        assertThat(netdev).doesNotContain("hostfwd");
        assertThat(rules).singleElement().asString().matches("tcp:127\\.0\\.0\\.1:\\d+-10\\.0\\.0\\.2:18124");
        var image = XenBackendTest.image(app);
        var plan = new VmSnapshots.Cache(
                dir,
                org.mirari.tool.snapshot.SnapshotKey.of(List.of(), Map.of()),
                false,
                dir.resolve("run,1"),
                rules,
                1,
                false);
        var cmd = String.join(
                " ",
                QemuBackend.command(
                                new QemuBackend.Machine(
                                        "qemu", "tcg", 0, 160, image, boot.all(), netdev, app, List.of(), "destroy"),
                                plan)
                        .launch()
                        .command());
        assertThat(cmd)
                .contains("-append console=ttyS0 MIRARI_RESTORE=ttyS1 panic=-1 ")
                .contains(" -chardev socket,id=mirari-control,path=" + dir + "/run,,1/control.sock,server=on,wait=off"
                        + " -device isa-serial,chardev=mirari-control,index=1 -qmp unix:" + dir
                        + "/run,,1/qmp.sock,server=on,wait=off");
    }

    @Test
    void theSnapshotKeyNamesTheImagesFilesByContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var qemu = java.nio.file.Files.writeString(dir.resolve("qemu-system-x86_64"), "qemu 7.2");
        var kernel = java.nio.file.Files.writeString(dir.resolve("mir-app.vmlinuz"), "kernel");
        var initrd = java.nio.file.Files.writeString(dir.resolve("mir-app.initrd"), "initrd one");
        var appDisk = java.nio.file.Files.writeString(dir.resolve("mir-app.app.sqfs"), "app one");
        var image = image(kernel, initrd, 6, 10, 10, List.of(appDisk));
        var run = dir.resolve("mirari-qemu-1");
        var key = QemuBackend.snapshotKey(
                List.of(
                        qemu.toString(),
                        "-kernel",
                        kernel.toString(),
                        "-initrd",
                        initrd.toString(),
                        "-drive",
                        "file=" + appDisk + ",readonly=on"),
                qemu.toString(),
                "tcg",
                image,
                run,
                new org.mirari.tool.snapshot.SnapshotStore(dir.resolve("snapshots")));
        assertThat(key.described())
                .contains(
                        "arg=<kernel>", "arg=<initrd>", "arg=file=<disk 0>,readonly=on", "file disk 0=", "file kernel=")
                .doesNotContain(dir.toString());
    }

    /** A PVH image of Debian's cloud kernel with the given sizes and read-only disks. */
    static org.mirari.tool.image.VmImage image(
            java.nio.file.Path kernel,
            java.nio.file.Path initrd,
            long kernelBytes,
            long initrdBytes,
            long unpackedBytes,
            List<java.nio.file.Path> disks) {
        return new org.mirari.tool.image.VmImage(
                kernel,
                initrd,
                kernelBytes,
                initrdBytes,
                unpackedBytes,
                64,
                48,
                true,
                "6.1.0-57-cloud-amd64",
                "rootfstype=ramfs rdinit=/init --",
                disks,
                0);
    }
}
