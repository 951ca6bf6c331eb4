/**
 * The seam to the OCI target's heavy libraries (jib-core for images and registries, the fabric8
 * client for Kubernetes), which live in the separate {@code mirari-oci} module: this package holds
 * the values that cross it ({@link org.mirari.tool.oci.OciImageSpec}, {@link org.mirari.tool.oci.OciImage})
 * and the interface the module implements ({@link org.mirari.tool.oci.OciExtension}), and loads the module on a
 * class loader of its own only when an OCI command runs, so that every other command starts without
 * opening those libraries. Depends on {@code loader}, {@code error} and {@code event} only.
 */
package org.mirari.tool.oci;
