package org.mirari.tool.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.TestApps;
import org.mirari.tool.error.ConfigException;

/**
 * {@code mirari deploy k8s -o yaml} and {@code --vm} as golden files: the ConfigMap, Deployment and
 * Service of a {@code main-http} app; a {@code main-ip} app (no Service, probes on its health port, more heap); the
 * KubeVirt VirtualMachine.
 */
class K8sManifestsTest {
    private static final Path HELLO = Path.of("/apps/hello/hello.conf");
    private static final String HELLO_CONF = "main-http: Hello.main\nhttp-port: 8080\n";

    private static String golden(String name) throws IOException {
        try (var in = K8sManifestsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static K8sOptions options(int replicas) {
        return new K8sOptions(
                replicas,
                "shop",
                "registry.example:5000/hello@sha256:" + "ab".repeat(32),
                Optional.empty(),
                java.util.OptionalInt.empty());
    }

    @Test
    void anHttpAppIsAConfigMapADeploymentAndAService() throws IOException {
        var app = TestApps.bare(HELLO, HELLO_CONF, List.of());
        var boot = TestApps.boot(HELLO, HELLO_CONF, Map.of("http-port", "9090"));
        assertThat(K8sManifests.yaml(app, boot, options(3))).isEqualTo(golden("hello.yaml"));
        assertThat(K8sManifests.objects(app))
                .containsExactly("ConfigMap/hello-boot", "Deployment/hello", "Service/hello");
    }

    @Test
    void anIpAppHasNoServiceAndItsProbesAreOnTheHealthPort() throws IOException {
        Path conf = Path.of("/apps/seed/ping.conf");
        String text = "main-ip: Ping.main\nip-address: 10.0.0.9\n";
        var app = TestApps.bare(conf, text, List.of("-Xmx256m"));
        var boot = TestApps.boot(conf, text, Map.of());
        String yaml = K8sManifests.yaml(app, boot, options(1));
        assertThat(yaml).isEqualTo(golden("seed.yaml"));
        assertThat(yaml).doesNotContain("kind: Service", "port: http\n");
        assertThat(yaml).contains("MIRARI_HEALTH_PORT: \"8099\"", "containerPort: 8099", "port: health\n");
        assertThat(K8sManifests.memoryMiB(List.of("-Xmx256m"))).isEqualTo(256 + 48 + 48);
    }

    @Test
    void theMicroVmIsAKubeVirtVirtualMachineOnPaper() throws IOException {
        var app = TestApps.bare(HELLO, HELLO_CONF, List.of());
        var boot = TestApps.boot(HELLO, HELLO_CONF, Map.of());
        assertThat(KubeVirtManifests.yaml(app, boot, options(1))).isEqualTo(golden("hello-kubevirt.yaml"));
    }

    @Test
    void aNameThatCannotNameObjectsIsAConfigError() {
        AppBuild app = TestApps.bare(Path.of("/apps/x/shop_.conf"), HELLO_CONF, List.of());
        assertThatThrownBy(() -> K8sManifests.objectName(app))
                .isInstanceOf(ConfigException.class)
                .hasMessage("the app's name shop_ cannot name Kubernetes objects (lowercase letters, digits and '-', "
                        + "at most 63, a letter or digit at each end); set name: in shop_.conf");
        assertThat(K8sManifests.objectName(TestApps.bare(Path.of("/apps/x/my_shop.v2.conf"), HELLO_CONF, List.of())))
                .isEqualTo("my-shop-v2");
        assertThat(K8sManifests.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }
}
