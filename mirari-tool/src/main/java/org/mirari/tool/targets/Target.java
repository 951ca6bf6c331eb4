package org.mirari.tool.targets;

import java.util.Locale;
import java.util.Optional;

/** The backends Mirari builds for and runs on. The CLI switch is {@code --<name>}. */
public enum Target {
    /** A JVM process on host sockets (the default; needs no root). */
    SOCKET("A JVM process on host sockets (the default; needs no root)."),
    /** Unix-direct: the JVM runs Mirari's userspace stack on a tap device. */
    UNIX("Unix-direct: the JVM runs Mirari's own TCP/IP stack on a tap device."),
    /** A micro-VM image booted by QEMU. */
    QEMU("A micro-VM image (kernel + initramfs) booted by QEMU."),
    /** The same image, run by Xen's {@code xl} as a PVH guest. */
    XEN("The same image, run as a Xen PVH guest with xl."),
    /** JavaScript (TeaVM): {@code main-noip} apps on Node, {@code main-http} apps in a browser's Service Worker. */
    JS("JavaScript (TeaVM): main-noip apps on Node, main-http apps served by a browser's Service Worker."),
    /** A UEFI disk for Amazon EC2 (GPT, a unified kernel image), booted locally by QEMU with OVMF. */
    EC2("A UEFI disk image for Amazon EC2 (GPT, unified kernel image); run locally by QEMU with OVMF."),
    /** An OCI image (no base image), run locally with runc in its own network namespace. */
    OCI("An OCI image from scratch (jlink'd runtime, app, stores), run with runc; deploy k8s ships it.");

    private final String summary;

    Target(String summary) {
        this.summary = summary;
    }

    /** One sentence for people: the help text of the target's switch. */
    public String summary() {
        return summary;
    }

    /** Every target's {@code compiler: ...+<name>} spelling, for messages: {@code +socket, +unix, +qemu or +xen}. */
    public static String plusNames() {
        var names =
                java.util.Arrays.stream(values()).map(t -> "+" + t.switchName()).toList();
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

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
        return this == QEMU || this == XEN || this == EC2;
    }
}
