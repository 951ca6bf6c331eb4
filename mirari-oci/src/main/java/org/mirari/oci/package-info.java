/**
 * The {@code mirari-oci} module's entry: {@link org.mirari.oci.MirariOci} implements the tool's
 * {@code org.mirari.tool.oci.OciExtension} with jib-core ({@code image}) and the fabric8 client
 * ({@code k8s}). The tool loads this module on its own class loader only for the OCI commands.
 */
package org.mirari.oci;
