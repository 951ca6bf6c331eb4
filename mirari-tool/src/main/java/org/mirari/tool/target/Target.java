package org.mirari.tool.target;

import java.util.Locale;
import java.util.Optional;

/** The backends Mirari builds for and runs on. The CLI switch is {@code --<name>}. */
public enum Target {
    /** A JVM process on host sockets (the default; needs no root). */
    SOCKET,
    /** Unix-direct: the JVM runs Mirari's userspace stack on a tap device. */
    UNIX,
    /** A micro-VM image booted by QEMU. */
    QEMU,
    /** The same image, run by Xen's {@code xl} as a PVH guest. */
    XEN;

    /** The switch and {@code compiler: ..+<name>} spelling. */
    public String switchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Target> fromName(String name) {
        for (var t : values()) {
            if (t.switchName().equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** Whether the target's output is a VM image rather than a jar. */
    public boolean isVm() {
        return this == QEMU || this == XEN;
    }
}
