package org.mirari.oci.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.config.ConfigParser;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.k8s.K8sManifests;
import org.mirari.tool.k8s.K8sOptions;
import org.mirari.tool.oci.OciExtension;
import org.mirari.tool.plan.Boot;

/**
 * The manifests of {@code deploy k8s} applied with fabric8 to its mock API server in CRUD mode and
 * read back; the rollout followed while a stand-in controller reports ready replicas; a pod that
 * cannot pull its image, a forbidden namespace and an unreachable cluster as messages with the fix.
 */
@EnableKubernetesMockClient(crud = true)
class Fabric8DeployTest {
    private static final String CONF = "main-http: Hello.main\nhttp-port: 8080\n";

    @TempDir
    Path dir;

    KubernetesMockServer server;
    KubernetesClient client;

    private static OciExtension.Deployment deployment(String yaml, boolean await) {
        return new OciExtension.Deployment(yaml, "hello", 2, Optional.empty(), "shop", await, Duration.ofSeconds(20));
    }

    static String yaml(Map<String, String> sets) {
        Path conf = Path.of("/apps/hello/hello.conf");
        var config = new ConfigParser(conf, "hello.conf").parse(CONF.getBytes(), List.of());
        var app = new AppBuild(
                "hello", conf, List.of(), List.of(), List.of(), 25, Path.of("/jdk"), List.of(), "test", config);
        var effective = new ConfigParser(conf, "hello.conf")
                .parse(
                        CONF.getBytes(),
                        sets.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .toList());
        return K8sManifests.yaml(
                app,
                Boot.of(effective, sets),
                new K8sOptions(2, "shop", "registry.example/hello:1", Optional.empty(), OptionalInt.empty()));
    }

    @Test
    void theManifestsAreAppliedReadBackAndTheRolloutIsFollowed() throws Exception {
        var events = new ArrayList<Event>();
        // A stand-in for the Deployment controller: once the Deployment exists, report its replicas ready.
        var controller = Thread.ofVirtual().start(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                var d = client.apps()
                        .deployments()
                        .inNamespace("shop")
                        .withName("hello")
                        .get();
                if (d != null) {
                    d.setStatus(new DeploymentStatusBuilder()
                            .withReplicas(2)
                            .withReadyReplicas(2)
                            .withUpdatedReplicas(2)
                            .build());
                    client.apps().deployments().inNamespace("shop").resource(d).updateStatus();
                    return;
                }
                Thread.onSpinWait();
            }
        });
        var lines = Fabric8Deploy.apply(client, deployment(yaml(Map.of("http-port", "9090")), true), events::add);
        controller.join();

        var cm = client.configMaps().inNamespace("shop").withName("hello-boot").get();
        assertThat(cm.getData()).containsEntry("MIRARI_HTTP_PORT", "9090").containsEntry("MIRARI_HTTP_ADDRESS", "*");
        var d = client.apps()
                .deployments()
                .inNamespace("shop")
                .withName("hello")
                .get();
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        var container = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("registry.example/hello:1");
        assertThat(container.getReadinessProbe().getTcpSocket().getPort().getStrVal())
                .isEqualTo("http");
        assertThat(container.getEnvFrom().getFirst().getConfigMapRef().getName())
                .isEqualTo("hello-boot");
        assertThat(container.getResources().getRequests().get("memory").toString())
                .isEqualTo("160Mi");
        var svc = client.services().inNamespace("shop").withName("hello").get();
        assertThat(svc.getSpec().getPorts().getFirst().getPort()).isEqualTo(9090);
        assertThat(lines)
                .singleElement()
                .asString()
                .startsWith("service hello: http://")
                .contains(":9090/ in the cluster (hello.shop.svc)");
        assertThat(events)
                .extracting(Object::toString)
                .anyMatch(e -> e.contains("applied Deployment/hello in namespace shop"))
                .anyMatch(e -> e.contains("rollout: 2 of 2 replicas ready"));

        // Applying again updates what exists.
        Fabric8Deploy.apply(client, deployment(yaml(Map.of("http-port", "9191")), false), e -> {});
        assertThat(client.configMaps()
                        .inNamespace("shop")
                        .withName("hello-boot")
                        .get()
                        .getData())
                .containsEntry("MIRARI_HTTP_PORT", "9191");
    }

    @Test
    void aPodThatCannotPullItsImageEndsTheWaitWithTheFix() {
        client.pods()
                .inNamespace("shop")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("hello-1")
                        .addToLabels("app.kubernetes.io/name", "hello")
                        .endMetadata()
                        .withNewStatus()
                        .withContainerStatuses(new ContainerStatusBuilder()
                                .withName("hello")
                                .withImage("registry.example/hello:1")
                                .withNewState()
                                .withNewWaiting()
                                .withReason("ImagePullBackOff")
                                .withMessage("not found")
                                .endWaiting()
                                .endState()
                                .build())
                        .endStatus()
                        .build())
                .create();
        assertThatThrownBy(() -> Fabric8Deploy.apply(client, deployment(yaml(Map.of()), true), e -> {}))
                .isInstanceOf(BackendException.class)
                .hasMessageStartingWith(
                        "the cluster cannot pull the image registry.example/hello:1 (pod hello-1: ImagePullBackOff, not found); push it");
    }

    @Test
    void aMissingNamespaceSaysHowToCreateIt() {
        assertThatThrownBy(() -> refusedWith(404, "namespaces \"shop\" not found"))
                .isInstanceOf(BackendException.class)
                .hasMessageStartingWith("namespace shop does not exist on the cluster at http://localhost:")
                .hasMessageEndingWith(
                        " (404); create it (kubectl create namespace shop) or choose another with --namespace");
    }

    /** Applies to a mock server that answers the first request with {@code code}. */
    private static void refusedWith(int code, String message) {
        var strict = new KubernetesMockServer(false);
        strict.init();
        try (var c = strict.createClient()) {
            strict.expect()
                    .post()
                    .withPath("/api/v1/namespaces/shop/configmaps")
                    .andReturn(
                            code,
                            new StatusBuilder()
                                    .withCode(code)
                                    .withMessage(message)
                                    .build())
                    .always();
            Fabric8Deploy.apply(c, deployment(yaml(Map.of()), false), e -> {});
        } finally {
            strict.destroy();
        }
    }

    @Test
    void aForbiddenNamespaceSaysWhatToAskFor() {
        assertThatThrownBy(() -> refusedWith(403, "configmaps is forbidden"))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("forbids this in namespace shop (403: configmaps is forbidden); ask for a Role")
                .hasMessageEndingWith("or deploy to another with --namespace");
    }

    @Test
    void anUnreachableClusterIsNamedWithTheContext() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: gone
                  cluster:
                    server: https://127.0.0.1:%d
                    insecure-skip-tls-verify: true
                contexts:
                - name: gone
                  context:
                    cluster: gone
                    user: u
                current-context: gone
                users:
                - name: u
                  user:
                    token: t
                """.formatted(port));
        assertThatThrownBy(() -> Fabric8Deploy.apply(kubeconfig, deployment(yaml(Map.of()), false), e -> {}))
                .isInstanceOf(BackendException.class)
                .hasMessageStartingWith("cannot reach the cluster at https://127.0.0.1:" + port + "/")
                .hasMessageEndingWith(
                        "; is the kube context right (kubectl config current-context), or choose another with --context");
    }
}
