package org.mirari.oci.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.oci.OciExtension;

/** Applies manifests to a cluster with fabric8 and follows the rollout. */
public final class Fabric8Deploy {
    private Fabric8Deploy() {}

    /** Connects with the kubeconfig file, to {@code context} or its current one, and applies. */
    public static List<String> apply(Path kubeconfig, OciExtension.Deployment deployment, EventSink events) {
        Config config;
        try {
            config = Config.fromKubeconfig(
                    deployment.context().orElse(null), Files.readString(kubeconfig), kubeconfig.toString());
        } catch (IOException e) {
            throw new BackendException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new BackendException(
                    "the kubeconfig " + kubeconfig + " has no usable context"
                            + deployment.context().map(c -> " " + c).orElse("") + ": " + e.getMessage()
                            + "; choose one with --context (kubectl config get-contexts)",
                    e);
        }
        if (config.getMasterUrl() == null
                || config.getCurrentContext() == null && deployment.context().isEmpty())
            throw new BackendException("the kubeconfig " + kubeconfig + " names no current context; "
                    + "choose one with --context (kubectl config get-contexts)");
        config.setRequestTimeout(10_000);
        config.setConnectionTimeout(5_000);
        // fabric8 retries a failed request with backoff (about 20 s in all): an unreachable cluster is reported at
        // once.
        config.setRequestRetryBackoffLimit(0);
        try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
            return apply(client, deployment, events);
        }
    }

    /** Applies with {@code client} (tests give the mock server's). */
    public static List<String> apply(KubernetesClient client, OciExtension.Deployment deployment, EventSink events) {
        String ns = deployment.namespace();
        String where = client.getMasterUrl()
                + (deployment.context().map(c -> " (context " + c + ")").orElse(""));
        try {
            List<HasMetadata> items = client.load(
                            new ByteArrayInputStream(deployment.yaml().getBytes(StandardCharsets.UTF_8)))
                    .items();
            for (var item : items) {
                var applied = client.resource(item).inNamespace(ns).createOr(NonDeletingOperation::update);
                events.emit(new Event.Info("applied " + applied.getKind() + "/"
                        + applied.getMetadata().getName() + " in namespace " + ns + " (generation "
                        + applied.getMetadata().getGeneration() + ")"));
            }
            var lines = new ArrayList<String>();
            if (deployment.awaitRollout()) waitForRollout(client, deployment, events);
            var service = client.services()
                    .inNamespace(ns)
                    .withName(deployment.name())
                    .get();
            if (service != null && service.getSpec() != null) {
                for (var port : service.getSpec().getPorts()) {
                    lines.add("service " + deployment.name() + ": http://"
                            + service.getSpec().getClusterIP() + ":"
                            + port.getPort() + "/ in the cluster (" + deployment.name() + "." + ns
                            + ".svc); from here: kubectl -n " + ns + " port-forward service/" + deployment.name() + " "
                            + port.getPort());
                }
            }
            return lines;
        } catch (KubernetesClientException e) {
            throw failure(e, ns, where);
        }
    }

    /** Waits until the Deployment's pods are ready, showing progress; fails early on a pod that cannot pull its image. */
    static void waitForRollout(KubernetesClient client, OciExtension.Deployment deployment, EventSink events) {
        String ns = deployment.namespace();
        long deadline = System.nanoTime() + deployment.timeout().toNanos();
        int shown = -1;
        while (true) {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName(deployment.name())
                    .get();
            int ready = d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                    ? 0
                    : d.getStatus().getReadyReplicas();
            int updated = d == null || d.getStatus() == null || d.getStatus().getUpdatedReplicas() == null
                    ? 0
                    : d.getStatus().getUpdatedReplicas();
            if (ready != shown) {
                events.emit(new Event.Info("rollout: " + ready + " of " + deployment.replicas() + " replicas ready"));
                shown = ready;
            }
            if (ready >= deployment.replicas() && updated >= deployment.replicas()) return;
            cannotPull(client, deployment).ifPresent(m -> {
                throw new BackendException(m);
            });
            if (System.nanoTime() > deadline)
                throw new BackendException("the rollout of " + deployment.name() + " did not finish in "
                        + deployment.timeout().toSeconds() + " s (" + ready + " of " + deployment.replicas()
                        + " ready); see kubectl -n " + ns + " describe deployment " + deployment.name());
            try {
                Thread.sleep(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted while waiting for the rollout", e);
            }
        }
    }

    /** A pod of the deployment waiting with ErrImagePull or ImagePullBackOff, as a message with the fix. */
    static Optional<String> cannotPull(KubernetesClient client, OciExtension.Deployment deployment) {
        var pods = client.pods()
                .inNamespace(deployment.namespace())
                .withLabel("app.kubernetes.io/name", deployment.name())
                .list()
                .getItems();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) continue;
            for (var cs : pod.getStatus().getContainerStatuses()) {
                var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
                if (waiting != null
                        && List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName")
                                .contains(waiting.getReason())) {
                    return Optional.of("the cluster cannot pull the image " + cs.getImage() + " (pod "
                            + pod.getMetadata().getName() + ": " + waiting.getReason()
                            + (waiting.getMessage() == null ? "" : ", " + waiting.getMessage())
                            + "); push it where the cluster can pull it (mirari build --oci --push REGISTRY/"
                            + deployment.name() + ":TAG) and deploy with --image REGISTRY/" + deployment.name()
                            + ":TAG, with an imagePullSecret for a private registry");
                }
            }
        }
        return Optional.empty();
    }

    /** fabric8's failures as the tool's, with what to do. */
    static BackendException failure(KubernetesClientException e, String ns, String where) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof ConnectException)) cause = cause.getCause();
        if (cause != null || e.getCode() == 0 && e.getCause() instanceof IOException)
            return new BackendException(
                    "cannot reach the cluster at " + where + ": "
                            + (cause != null ? cause.getMessage() : e.getCause().getMessage())
                            + "; is the kube context right (kubectl config current-context), or choose another with --context",
                    e);
        return switch (e.getCode()) {
            case 401 ->
                new BackendException(
                        "the cluster at " + where + " refused the credentials (401); log in again "
                                + "(refresh the kubeconfig's token or client certificate)",
                        e);
            case 403 ->
                new BackendException(
                        "the cluster at " + where + " forbids this in namespace " + ns
                                + " (403: " + message(e)
                                + "); ask for a Role that may create Deployments, Services and ConfigMaps "
                                + "there, or deploy to another with --namespace",
                        e);
            case 404 ->
                new BackendException(
                        "namespace " + ns + " does not exist on the cluster at " + where
                                + " (404); create it (kubectl create namespace " + ns
                                + ") or choose another with --namespace",
                        e);
            default ->
                new BackendException(
                        "the cluster at " + where + " refused the deployment (" + e.getCode() + ": " + message(e) + ")",
                        e);
        };
    }

    private static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
    }
}
