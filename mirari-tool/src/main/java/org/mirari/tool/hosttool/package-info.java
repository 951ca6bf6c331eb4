/**
 * The programs Mirari runs on the host ({@code ip}, {@code apt-get}, {@code qemu-system-x86_64},
 * {@code xl}...), found in one place with one rule ({@code PATH}, as a shell would), each with the
 * Debian package that provides it, so that a missing one is reported the same way everywhere: by
 * name, with where it was looked for and what to install. {@code mirari doctor} can list them all.
 * Depends on {@code error} only.
 */
package org.mirari.tool.hosttool;
