/**
 * OCI images with jib-core: {@link org.mirari.oci.image.JibImages} turns the tool's
 * {@code OciImageSpec} into a reproducible image from scratch (an OCI archive and layout, or a push
 * to a registry with the Docker config's credentials); {@link org.mirari.oci.image.LayoutUnpacker}
 * extracts a layout's layers into a root file system for runc.
 */
package org.mirari.oci.image;
