/**
 * Applies the tool's Kubernetes manifests with the fabric8 client ({@link org.mirari.oci.k8s.Fabric8Deploy}):
 * create or update each object, wait for the Deployment's rollout with progress, report pods
 * that cannot pull their image, and print the Service's address. Failures become the tool's
 * exceptions with what to do (an unreachable cluster, a forbidden namespace).
 */
package org.mirari.oci.k8s;
