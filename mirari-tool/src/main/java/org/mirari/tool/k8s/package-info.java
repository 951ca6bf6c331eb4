/**
 * Kubernetes manifests for an app's OCI image, as text: a ConfigMap with the boot-time parameters
 * (as the image reads them from the environment), a Deployment with probes on the HTTP port and
 * resource requests from the image's needs, a Service for {@code http-port}; and, on paper, a
 * KubeVirt {@code VirtualMachine} booting the micro-VM image. Pure functions of the app and the
 * options, so they are golden-tested; applying them is the {@code mirari-oci} module's (fabric8).
 * May use {@code backend}, {@code plan}, {@code config}, {@code targets}, {@code json}, {@code error}.
 */
package org.mirari.tool.k8s;
