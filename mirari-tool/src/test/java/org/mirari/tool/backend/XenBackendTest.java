package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.config.ConfigParser;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.plan.Boot;

/** The xl config as a value, against a golden file, and the memory check, for the seed's app.conf. */
class XenBackendTest {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();
    static final Path SEED = HOME.resolve("examples/seed/app/app.conf");

    /** The seed's app as configured with {@code sets}. */
    static AppBuild seed(List<String> sets) {
        var config = new ConfigParser(SEED, "app.conf").parseFile(sets);
        return new AppBuild(
                "app", SEED, List.of(), List.of(), List.of(), 25, Path.of("/jdk"), List.of(), "0.1.0-test", config);
    }

    /** The boot-time parameters of a run of the seed's app with {@code overrides} as {@code --set}s. */
    static Boot boot(AppBuild app, Map<String, String> overrides) {
        var sets = new java.util.ArrayList<String>();
        overrides.forEach((k, v) -> sets.add(k + "=" + v));
        var effective = new ConfigParser(SEED, "app.conf").parseFile(sets);
        return Boot.of(effective, overrides);
    }

    /** An image of hello's measured size: a 1.8 MB initrd (4.9 MB unpacked) and 17.6 MB of disks. */
    static VmImage image(AppBuild app) {
        return new VmImage(
                app.appDir().resolve("mir-app.vmlinuz"),
                app.appDir().resolve("mir-app.initrd"),
                53_243_444,
                1_811_888,
                4_931_584,
                64,
                48,
                true,
                "6.1.0-57-cloud-amd64",
                "rootfstype=ramfs rdinit=/init --",
                List.of(app.appDir().resolve("mir-app.jre.sqfs"), app.appDir().resolve("mir-app.app.sqfs")),
                17_604_608);
    }

    @Test
    void theSeedsXlConfigMatchesTheGoldenFile() throws Exception {
        var app = seed(List.of("xl-memory=512"));
        var image = image(app);
        XenBackend.requireMemory(app.config(), image);
        String xl = XenBackend.xlConfig(app, image, boot(app, Map.of()).all());
        String golden;
        try (var in = getClass().getResourceAsStream("seed-app.xl")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(xl.replace(app.appDir().toString(), "@APPDIR@")).isEqualTo(golden);
        assertThat(XenBackend.keys(xl))
                .containsExactly(
                        "name", "type", "kernel", "ramdisk", "cmdline", "memory", "vcpus", "on_crash", "vif", "disk");
    }

    @TempDir
    Path tmp;

    /** A certificate and key made now (ECDSA signatures differ each time: the golden has placeholders). */
    static Path[] pair(Path dir) throws Exception {
        var made = org.mirari.runtime.internal.tls.SelfSigned.server(List.of("localhost"), java.time.Instant.now());
        return new Path[] {
            java.nio.file.Files.writeString(dir.resolve("c.pem"), made.certificatePem()),
            java.nio.file.Files.writeString(dir.resolve("k.pem"), made.keyPem())
        };
    }

    @Test
    void theTlsPairGoesInlineOnTheCommandLineTheXlConfigCarries() throws Exception {
        Path[] pair = pair(tmp);
        var sets =
                List.of("https-port=8443", "tls-certificate=" + pair[0], "tls-key=" + pair[1], "http-redirect=https");
        var app = seed(java.util.stream.Stream.concat(Stream.of("xl-memory=512"), sets.stream())
                .toList());
        String xl = XenBackend.xlConfig(app, image(app), app.config().bootDefaults());
        String cert = org.mirari.runtime.internal.tls.Pem.inline(
                java.nio.file.Files.readString(pair[0]), "CERTIFICATE", "c.pem");
        String key = org.mirari.runtime.internal.tls.Pem.inline(
                java.nio.file.Files.readString(pair[1]), "PRIVATE KEY", "k.pem");
        String golden;
        try (var in = getClass().getResourceAsStream("seed-app-https.xl")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(xl.replace(app.appDir().toString(), "@APPDIR@")
                        .replace(cert, "@CERTIFICATE@")
                        .replace(key, "@KEY@"))
                .isEqualTo(golden);
        assertThat(new XenBackend().artifact()).isInstanceOfSatisfying(Artifact.Image.class, i -> assertThat(
                        i.files().of(app, image(app)).getFirst().secret())
                .as("the xl file holds the key")
                .isTrue());
    }

    @Test
    void aChainTooLongForTheKernelCommandLineIsRefused() throws Exception {
        Path[] pair = pair(tmp);
        String one = java.nio.file.Files.readString(pair[0]);
        Path chain = java.nio.file.Files.writeString(tmp.resolve("chain.pem"), one + one + one + one);
        var app = seed(List.of("https-port=8443", "tls-certificate=" + chain, "tls-key=" + pair[1]));
        assertThatThrownBy(
                        () -> XenBackend.xlConfig(app, image(app), app.config().bootDefaults()))
                .isInstanceOf(org.mirari.tool.error.BackendException.class)
                .hasMessageContaining("bytes with the TLS certificate and key inline, over Linux's 2047; a Xen guest"
                        + " gets them only that way: use a shorter chain (an ECDSA P-256 leaf alone fits), or --qemu");
    }

    @Test
    void bootTimeSetsReachTheCommandLineOnly() {
        var app = seed(List.of("xl-memory=512"));
        String xl = XenBackend.xlConfig(
                app,
                image(app),
                boot(app, Map.of("http-port", "8081", "ip-use-dhcp", "false")).all());
        assertThat(xl)
                .contains(" http-port=8081 ")
                .contains(" ip-use-dhcp=false\"\n")
                .contains("console=hvc0 panic=-1 quiet rootfstype=ramfs rdinit=/init -- ");
    }

    @Test
    void withoutXlMemoryTheXlConfigsMemoryFollowsVmMemory() {
        // vm-memory's default (128 MiB, the measured need) or its value, as for QEMU.
        for (var c : Map.of("", "128", "vm-memory: 200\n", "200").entrySet()) {
            var app =
                    TestApps.bare(Path.of("/apps/hello/hello.conf"), "main-http: Hello.main\n" + c.getKey(), List.of());
            assertThat(XenBackend.xlConfig(app, image(app), Map.of())).contains("\nmemory = " + c.getValue() + "\n");
        }
    }

    @Test
    void theSeedsXlMemoryOf32IsRefusedWithTheMinimum() {
        var app = seed(List.of());
        assertThatThrownBy(() -> XenBackend.requireMemory(app.config(), image(app)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "app.conf:53:12: xl-memory 32 MiB is below what mir-app.initrd needs: 109 MiB "
                                + "(5 MiB unpacked initramfs + 56 MiB for the JVM to start + 48 MiB kernel); use xl-memory: 109 or more");
    }
}
