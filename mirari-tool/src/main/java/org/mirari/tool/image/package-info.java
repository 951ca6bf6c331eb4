/**
 * Builds micro-VM images: a Linux kernel (fetched once from Debian into a content-addressed cache,
 * or given by {@code vm-kernel}) and a reproducible initramfs holding a jlink'd runtime, the shared
 * libraries it needs, the app, its KV stores, the network drivers and the in-guest init.
 *
 * <p>Uses the JDK, commons-compress (ar, tar, cpio, LZ4 blocks) and xz, and runs {@code apt-get},
 * {@code jdeps}, {@code jlink} and {@code ldd} as external tools. Depends on {@code error} and
 * {@code event} only; the {@code backend} package consumes the {@link org.mirari.tool.image.VmImage}
 * it produces. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.image;
