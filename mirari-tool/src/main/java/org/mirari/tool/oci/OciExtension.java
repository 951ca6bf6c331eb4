package org.mirari.tool.oci;

import java.nio.file.Path;
import org.mirari.tool.event.EventSink;

/**
 * What the {@code mirari-oci} module does for the tool, found with {@link java.util.ServiceLoader}
 * on the module's own class loader ({@link OciExtensions#load}). Failures are thrown as the tool's
 * own exceptions ({@code BuildException}, {@code BackendException}) with what to do.
 */
public interface OciExtension {

    /**
     * Builds the image into an OCI archive ({@code archive}) and unpacks the archive into the OCI
     * image layout directory {@code layout} (replaced as a whole). Needs no daemon and no network.
     */
    OciImage build(OciImageSpec spec, Path archive, Path layout, EventSink events);

    /**
     * Builds the same image into a registry as {@code reference} ({@code host:port/name:tag}), with
     * the credentials of the Docker config ({@code ~/.docker/config.json}, its credential helpers).
     *
     * @param insecure whether plain HTTP and unverified TLS are allowed (a registry on loopback)
     */
    OciImage push(OciImageSpec spec, String reference, boolean insecure, EventSink events);

    /** Extracts the layers of the image that {@code layout} holds into {@code rootfs}, bottom to top. */
    void unpack(Path layout, Path rootfs);

    /**
     * Applies Kubernetes manifests to the cluster of a kube context (create, or update what exists),
     * then, when asked, waits for the Deployment's rollout, showing progress.
     *
     * @param kubeconfig the kubeconfig file
     * @return lines for people: the Service's address and how to reach it
     */
    java.util.List<String> apply(Path kubeconfig, Deployment deployment, EventSink events);

    /**
     * What to apply and wait for.
     *
     * @param yaml      the manifests
     * @param name      the Deployment's (and Service's) name
     * @param context   the kube context, else the kubeconfig's current one
     * @param namespace the namespace of every object
     * @param awaitRollout whether to wait for the rollout
     * @param timeout   how long the rollout may take
     */
    record Deployment(
            String yaml,
            String name,
            int replicas,
            java.util.Optional<String> context,
            String namespace,
            boolean awaitRollout,
            java.time.Duration timeout) {}
}
