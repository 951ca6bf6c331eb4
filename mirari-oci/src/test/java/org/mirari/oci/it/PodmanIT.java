package org.mirari.oci.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mirari.oci.it.Mirari.mirari;
import static org.mirari.oci.it.Mirari.run;
import static org.mirari.oci.it.OciIT.freePort;
import static org.mirari.oci.it.OciIT.get;
import static org.mirari.oci.it.OciIT.listening;
import static org.mirari.oci.it.OciIT.onPath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests of {@code mirari deploy k8s} run by Debian's {@code podman kube play} (with runc),
 * the real local consumer of the manifests (no real Kubernetes cluster is reachable here): it loads
 * the OCI archive of {@code build --oci --tar} (the image {@link OciIT} checks, built once), runs the Deployment with its ConfigMap as
 * environment and the HTTP port published by {@code --host-port}; the app answers there on the
 * ConfigMap's {@code http-port}, and {@code podman kube down} removes the pod.
 */
@ExtendWith(BuiltImage.Resolver.class)
class PodmanIT {
    @TempDir
    static Path dir;

    static BuiltImage hello;

    @BeforeAll
    static void build(BuiltImage.Images images) throws Exception {
        assumeTrue(OciIT.euid() == 0, "podman kube play runs as root here");
        assumeTrue(onPath("podman") && onPath("runc"), "podman or runc is not installed");
        hello = images.hello(); // OciIT's image: built once per run
    }

    @Test
    void podmanKubePlayRunsTheManifestsAndTearsThemDown() throws Exception {
        assumeTrue(onPath("podman"), "podman is not installed");
        // Debian's podman as root here: no raising of rlimits, runc as the runtime (crun fails on this kernel).
        Path conf = Files.writeString(
                dir.resolve("containers.conf"),
                "[containers]\n"
                        + "default_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n[engine]\nruntime = \"runc\"\n");
        var env = Map.of("CONTAINERS_CONF", conf.toString());
        var load = run(
                env,
                Duration.ofMinutes(2),
                "podman",
                "load",
                "-i",
                hello.archive().toString());
        assertThat(load.code()).as(load.output()).isZero();
        var m = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)").matcher(load.output());
        assertThat(m.find()).as(load.output()).isTrue();
        String image = m.group(1);
        int port = freePort();
        var yaml = mirari(
                env,
                Duration.ofMinutes(2),
                "deploy",
                "k8s",
                "-q",
                "-o",
                "yaml",
                "--image",
                image,
                "--host-port",
                Integer.toString(port),
                "--set",
                "http-port=8181",
                hello.app().toString());
        assertThat(yaml.code()).as(yaml.output()).isZero();
        assertThat(yaml.output()).contains("MIRARI_HTTP_PORT: \"8181\"", "hostPort: " + port);
        Path manifests = Files.writeString(
                dir.resolve("hello.yaml"), yaml.output().substring(yaml.output().indexOf("# Generated")));
        var play = run(env, Duration.ofMinutes(3), "podman", "kube", "play", manifests.toString());
        try {
            assertThat(play.code()).as(play.output()).isZero();
            // kube play prints the pod's id, then its containers' ("Container:\n<id>"); the app says when it listens.
            var container = Pattern.compile("Container:\\s+(\\w+)").matcher(play.output());
            assertThat(container.find()).as(play.output()).isTrue();
            var logs = new Mirari.Watched(Mirari.start(env, "podman", "logs", "-f", container.group(1)));
            try {
                logs.await(l -> l.contains("ready: listening"), Duration.ofSeconds(60));
            } finally {
                logs.process.destroy();
            }
            assertThat(get("http://127.0.0.1:" + port + "/"))
                    .as("the app answers on the published port")
                    .contains("Hello");
        } finally {
            var down = run(env, Duration.ofMinutes(2), "podman", "kube", "down", manifests.toString());
            run(env, Duration.ofMinutes(1), "podman", "rmi", image);
            if (play.code() == 0) assertThat(down.code()).as(down.output()).isZero();
        }
        assertThat(run(env, Duration.ofSeconds(30), "podman", "pod", "ps", "--format", "{{.Name}}")
                        .output())
                .doesNotContain("hello");
        assertThat(listening(port)).as("the published port is closed").isFalse();
    }
}
