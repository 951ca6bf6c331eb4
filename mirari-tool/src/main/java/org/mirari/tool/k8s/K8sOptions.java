package org.mirari.tool.k8s;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code mirari deploy k8s} was asked for.
 *
 * @param replicas  the Deployment's replicas
 * @param namespace the namespace (the manifests name it)
 * @param image     the image reference the cluster pulls ({@code registry:5000/hello@sha256:...})
 * @param context   the kube context to apply to, else the current one
 * @param hostPort  a {@code hostPort} for the HTTP port: the node's port ({@code podman kube play}
 *                  publishes it on this host; on a cluster one replica a node can bind it)
 */
public record K8sOptions(
        int replicas, String namespace, String image, Optional<String> context, java.util.OptionalInt hostPort) {
    public K8sOptions {
        if (replicas < 0) throw new IllegalArgumentException("replicas " + replicas);
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(hostPort, "hostPort");
    }
}
