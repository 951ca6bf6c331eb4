package org.mirari.oci.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mirari.oci.it.Mirari.mirari;
import static org.mirari.oci.it.Mirari.run;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI target end to end through the real {@code bin/mirari}, as root, on one built image:
 * built twice with the same digest and read by skopeo and umoci; run by runc with HTTP through the
 * forward, then stopped by SIGINT and by SIGKILL, and detached ({@code run -d}) then stopped by
 * {@code mirari stop}, with the clean-up checked each time; pushed to a
 * local registry that needs a login (Debian's docker-registry on loopback with an htpasswd file),
 * refused before {@code podman login} and taken after it, and pulled back by digest; its Kubernetes
 * manifests are run by {@code podman kube play} in {@link PodmanIT}.
 */
@ExtendWith(BuiltImage.Resolver.class)
class OciIT {
    private static final Duration BUILD = Duration.ofMinutes(4);
    private static final Pattern READY = Pattern.compile("ready: listening (http://127\\.0\\.0\\.1:\\d+/)");
    private static final Map<String, String> ENV = Map.of();
    /** A free host port to the app's 8080, and a subnet of these tests' own (beside --unix's 10.0.0.x). */
    private static final List<String> RUN_OPTIONS = List.of(
            "--oci", "-p", "127.0.0.1:0:8080", "--set", "ip-address=10.77.15.2", "--set", "ip-gateway=10.77.15.1");

    private static final String PASSWORD =
            "a-test-password-" + ProcessHandle.current().pid();

    @TempDir
    static Path dir;

    static Path app;
    static String digest;

    @BeforeAll
    static void buildTwice(BuiltImage.Images images) throws Exception {
        assumeTrue(euid() == 0, "the OCI tests run as root (runc, network namespaces)");
        for (String tool : new String[] {"runc", "skopeo", "umoci"})
            assumeTrue(onPath(tool), tool + " is not installed (Debian: apt-get install runc skopeo umoci)");
        var hello = images.hello();
        app = hello.app();
        digest = hello.digest();
        Path other = Mirari.example("hello", dir.resolve("b"));
        var b = mirari(ENV, BUILD, "build", "--oci", other.toString());
        assertThat(b.code()).as(b.output()).isZero();
        assertThat(BuiltImage.digestOf(other))
                .as("the same inputs give the same digest")
                .isEqualTo(digest);
    }

    @AfterAll
    static void nothingIsLeft() throws Exception {
        if (app == null) return;
        assertThat(run(ENV, Duration.ofSeconds(20), "runc", "list", "-q").output())
                .doesNotContain("mirari-hello");
        assertThat(run(ENV, Duration.ofSeconds(20), "ip", "netns", "list").output())
                .doesNotContain("mirari-hello");
    }

    @Test
    void skopeoAndUmociReadTheLayoutAndTheArchive() throws Exception {
        var layout = run(
                ENV,
                Duration.ofSeconds(60),
                "skopeo",
                "inspect",
                "oci:" + app.resolve(".mirari/oci/layout") + ":mirari/hello:latest");
        assertThat(layout.output()).contains("\"Digest\": \"" + digest + "\"", "\"org.mirari.version\"");
        // The exposed port and the entrypoint are in the image's config, which plain inspect does not show.
        var config = run(
                ENV,
                Duration.ofSeconds(60),
                "skopeo",
                "inspect",
                "--config",
                "oci:" + app.resolve(".mirari/oci/layout") + ":mirari/hello:latest");
        assertThat(config.output())
                .contains(
                        "\"8080/tcp\"",
                        "\"/jre/bin/java\"",
                        "\"-Dmirari.boot.env=true\"",
                        "\"-XX:AOTCache=/app/app.aot\"",
                        "\"User\": \"65532:65532\"");
        var archive = run(
                ENV, Duration.ofSeconds(60), "skopeo", "inspect", "oci-archive:" + app.resolve("mir-hello.oci.tar"));
        assertThat(archive.output()).contains("\"Digest\": \"" + digest + "\"");
        var umoci = run(
                ENV,
                Duration.ofSeconds(60),
                "umoci",
                "stat",
                "--image",
                app.resolve(".mirari/oci/layout") + ":mirari/hello:latest");
        assertThat(umoci.code()).as(umoci.output()).isZero();
        assertThat(umoci.output()).contains("runtime", "dependencies", "app", "aot-cache");
    }

    @Test
    void runcServesThroughTheForwardAndCtrlCCleansUp() throws Exception {
        var run = startRun();
        String url = ready(run);
        assertThat(get(url)).contains("Hello");
        String id = containerId(run);
        assertThat(run(ENV, Duration.ofSeconds(20), "runc", "list", "-q").output())
                .contains(id);
        // The app is the container's first process: not root, and its JVM mapped the image's AOT cache.
        var state = run(ENV, Duration.ofSeconds(20), "runc", "state", id).output();
        var pid = Pattern.compile("\"pid\": (\\d+)").matcher(state);
        assertThat(pid.find()).as(state).isTrue();
        Path proc = Path.of("/proc", pid.group(1));
        assertThat(Files.readAllLines(proc.resolve("status")))
                .contains("Uid:\t65532\t65532\t65532\t65532", "Gid:\t65532\t65532\t65532\t65532");
        assertThat(Files.readString(proc.resolve("maps"))).contains("app/app.aot");
        signal("INT", run.process.pid());
        assertThat(run.process.waitFor()).as(run.output()).isEqualTo(130);
        assertCleanedUp(id);
    }

    @Test
    void aDetachedRunServesUntilStoppedAndCleansUp() throws Exception {
        // The supervision of run -d (on main for every backend), with a state directory of the test's own.
        var env = Map.of(
                "XDG_STATE_HOME", Files.createDirectories(dir.resolve("state")).toString());
        var args = new ArrayList<>(List.of("run", "-d", "--name", "oci-it"));
        args.addAll(RUN_OPTIONS);
        args.add(app.toString());
        var start = mirari(env, BUILD, args.toArray(String[]::new));
        assertThat(start.code()).as(start.output()).isZero();
        var url = READY.matcher(start.output());
        assertThat(url.find()).as(start.output()).isTrue();
        try {
            assertThat(get(url.group(1))).contains("Hello");
            var ps = mirari(env, Duration.ofSeconds(60), "ps");
            assertThat(ps.output()).containsPattern("oci-it +hello +oci +running +" + Pattern.quote(url.group(1)));
            var logs = mirari(env, Duration.ofSeconds(60), "logs", "oci-it");
            var id = Pattern.compile("container (mirari-hello-\\d+)").matcher(logs.output());
            assertThat(id.find()).as(logs.output()).isTrue();
            var stop = mirari(env, Duration.ofSeconds(60), "stop", "oci-it");
            assertThat(stop.code()).as(stop.output()).isZero();
            assertCleanedUp(id.group(1));
            assertThat(mirari(env, Duration.ofSeconds(60), "ps", "-a").output())
                    .containsPattern("oci-it +hello +oci +exited");
        } finally {
            mirari(env, Duration.ofSeconds(60), "rm", "-f", "oci-it");
        }
    }

    @Test
    void aKilledRunIsCleanedUpByItsReaper() throws Exception {
        var run = startRun();
        ready(run);
        String id = containerId(run);
        signal("KILL", run.process.pid());
        run.process.waitFor();
        Mirari.awaitGone(Path.of("/run/netns", id), Duration.ofSeconds(30)); // the reaper removes it
        assertCleanedUp(id);
    }

    @Test
    void aPushNeedsALoginThenTheImageIsPulledBackByDigest() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")), "docker-registry is not installed");
        assumeTrue(onPath("podman"), "podman is not installed (it logs in)");
        int port = freePort();
        Path storage = Files.createDirectories(dir.resolve("registry"));
        // Basic auth against an htpasswd file (bcrypt, the only kind the registry reads).
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), Htpasswd.line("mirari", PASSWORD) + "\n");
        Path config = Files.writeString(
                dir.resolve("registry.yml"),
                "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: " + storage
                        + "\nauth:\n  htpasswd:\n    realm: mirari-test\n    path: " + htpasswd
                        + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
        var registry = new Mirari.Watched(Mirari.start(ENV, "/usr/bin/docker-registry", "serve", config.toString()));
        try {
            // It says so once its socket listens (distribution's ListenAndServe).
            registry.await(l -> l.contains("listening on 127.0.0.1:" + port), Duration.ofSeconds(30));
            String ref = "127.0.0.1:" + port + "/mirari/hello:1";
            // Credentials come from Docker's config: $DOCKER_CONFIG/config.json, empty at first.
            Path docker = Files.createDirectories(dir.resolve("docker"));
            var env = Map.of("DOCKER_CONFIG", docker.toString());
            var refused = mirari(env, BUILD, "build", "--oci", "--push", ref, app.toString());
            assertThat(refused.code()).as(refused.output()).isEqualTo(5);
            assertThat(refused.output())
                    .contains("the registry refused " + ref + " (unauthorized", "log in first so that");
            var login = run(
                    env,
                    Duration.ofSeconds(60),
                    "podman",
                    "login",
                    "--authfile",
                    docker.resolve("config.json").toString(),
                    "--tls-verify=false",
                    "-u",
                    "mirari",
                    "-p",
                    PASSWORD,
                    "127.0.0.1:" + port);
            assertThat(login.code()).as(login.output()).isZero();
            var push = mirari(env, BUILD, "build", "--oci", "--push", ref, app.toString());
            assertThat(push.code()).as(push.output()).isZero();
            assertThat(push.output()).contains("pushed " + ref + "@" + digest + " (the built image)");
            var pulled = dir.resolve("pulled");
            var copy = run(
                    ENV,
                    Duration.ofSeconds(60),
                    "skopeo",
                    "copy",
                    "--src-tls-verify=false",
                    "--src-creds",
                    "mirari:" + PASSWORD,
                    "docker://" + ref,
                    "oci:" + pulled + ":hello");
            assertThat(copy.code()).as(copy.output()).isZero();
            var inspect = run(ENV, Duration.ofSeconds(60), "skopeo", "inspect", "oci:" + pulled + ":hello");
            assertThat(inspect.output()).contains("\"Digest\": \"" + digest + "\"");
        } finally {
            registry.process.destroy();
            assertThat(registry.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
        }
        assertThat(listening(port)).as("the registry is gone").isFalse();
    }

    @Test
    void theVmImageIsTheKubeVirtContainerDiskThatDeployK8sVmNames() throws Exception {
        // A VM image build (jlink, initrd, squashfs) took 32 s of CI at load 7: opt-in, KernelBootImageTest runs
        // always.
        assumeTrue(
                Boolean.getBoolean("mirari.test.kernelboot"),
                "builds a VM image (~30 s); run with -Dmirari.test.kernelboot=true");
        // A VM image that never boots: its kernel a few bytes of nothing (vm-kernel), its runtime java.base alone.
        Path tiny = Files.createDirectories(dir.resolve("vm/tiny"));
        Files.writeString(
                tiny.resolve("tiny.conf"),
                "main-noip: Tiny.main\nvm-kernel: vmlinuz\ndepends: -jdk.httpserver, -jdk.unsupported\n");
        Files.writeString(tiny.resolve("Tiny.java"), "final class Tiny {\n    static void main() {}\n}\n");
        Files.write(tiny.resolve("vmlinuz"), new byte[4096]);
        var build = mirari(ENV, BUILD, "build", "--qemu", "--kernel-boot", tiny.toString());
        assertThat(build.code()).as(build.output()).isZero();
        assertThat(build.output()).contains("kernel-boot: container disk mirari/tiny-kernelboot:latest");
        var inspect = run(
                ENV,
                Duration.ofSeconds(60),
                "skopeo",
                "inspect",
                "oci-archive:" + tiny.resolve("mir-tiny-kernelboot.oci.tar"));
        assertThat(inspect.code()).as(inspect.output()).isZero();
        assertThat(inspect.output()).contains("\"org.opencontainers.image.title\": \"tiny-kernelboot\"");
        Path bundle = dir.resolve("vm/bundle");
        var unpack = run(
                ENV,
                Duration.ofSeconds(60),
                "umoci",
                "unpack",
                "--image",
                tiny.resolve(".mirari/qemu/kernelboot") + ":mirari/tiny-kernelboot:latest",
                bundle.toString());
        assertThat(unpack.code()).as(unpack.output()).isZero();
        // Where the VirtualMachine's firmware.kernelBoot looks (KubeVirtManifests, the same paths).
        assertThat(Files.mismatch(bundle.resolve("rootfs/boot/mir-tiny.vmlinuz"), tiny.resolve("mir-tiny.vmlinuz")))
                .isEqualTo(-1);
        assertThat(Files.mismatch(bundle.resolve("rootfs/boot/mir-tiny.initrd"), tiny.resolve("mir-tiny.initrd")))
                .isEqualTo(-1);
        // And the two read-only disks, which its volumes take from the same image (containerDisk.path).
        for (String disk : List.of("mir-tiny.jre.sqfs", "mir-tiny.app.sqfs"))
            assertThat(Files.mismatch(bundle.resolve("rootfs/boot/" + disk), tiny.resolve(disk)))
                    .as(disk)
                    .isEqualTo(-1);
        var yaml = mirari(
                ENV, Duration.ofMinutes(2), "deploy", "k8s", "--vm", "--image", "r.example/tiny:1", tiny.toString());
        assertThat(yaml.output())
                .contains(
                        "image: \"r.example/tiny-kernelboot:1\"",
                        "kernelPath: /boot/mir-tiny.vmlinuz",
                        "initrdPath: /boot/mir-tiny.initrd",
                        "path: /boot/mir-tiny.jre.sqfs",
                        "path: /boot/mir-tiny.app.sqfs");
    }

    private static Mirari.Watched startRun() throws IOException {
        var cmd = new ArrayList<>(List.of(Mirari.HOME.resolve("bin/mirari").toString(), "run"));
        cmd.addAll(RUN_OPTIONS);
        cmd.add(app.toString());
        return new Mirari.Watched(Mirari.start(ENV, cmd.toArray(String[]::new)));
    }

    private static String ready(Mirari.Watched run) throws InterruptedException {
        var line = run.await(l -> READY.matcher(l).find(), Duration.ofSeconds(90));
        var m = READY.matcher(line);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String containerId(Mirari.Watched run) throws InterruptedException {
        var line = run.await(l -> l.contains("container mirari-hello-"), Duration.ofSeconds(5));
        var m = Pattern.compile("container (mirari-hello-\\d+)").matcher(line);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static void assertCleanedUp(String id) throws Exception {
        assertThat(run(ENV, Duration.ofSeconds(20), "runc", "list", "-q").output())
                .doesNotContain(id);
        assertThat(run(ENV, Duration.ofSeconds(20), "ip", "netns", "list").output())
                .doesNotContain(id);
        assertThat(run(ENV, Duration.ofSeconds(20), "ip", "-br", "addr").output())
                .doesNotContain("10.77.15.1");
        Mirari.awaitNoProcess("runc delete --force " + id, Duration.ofSeconds(10)); // no reaper is left
    }

    static String get(String url) throws IOException, InterruptedException {
        try (var client = HttpClient.newHttpClient()) {
            var r = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }

    static void signal(String name, long pid) throws Exception {
        assertThat(run(ENV, Duration.ofSeconds(10), "kill", "-" + name, Long.toString(pid))
                        .code())
                .isZero();
    }

    static boolean listening(int port) {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean onPath(String tool) {
        for (String d : new String[] {"/usr/sbin", "/usr/bin", "/sbin", "/bin"})
            if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    static long euid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("Uid:"))
                return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        return -1;
    }
}
