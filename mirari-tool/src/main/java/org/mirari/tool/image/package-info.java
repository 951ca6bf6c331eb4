/**
 * Builds micro-VM images: a Linux kernel (fetched once from Debian into a content-addressed cache,
 * or given by {@code vm-kernel}) and a reproducible initramfs holding a jlink'd runtime, the shared
 * libraries it needs, the app, its KV stores, the network drivers and the in-guest init (the runtime
 * and the app as squashfs files that the init mounts).
 *
 * <p>Uses the JDK, commons-compress (ar, tar, cpio, LZ4 blocks) and xz, and runs {@code apt-get},
 * {@code jdeps}, {@code jlink}, {@code ldd}, {@code zstd} and {@code mksquashfs} as external tools. Depends on {@code error} and
 * {@code event} only; the {@code backend} package consumes the {@link org.mirari.tool.image.VmImage}
 * it produces. The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.image;
