package org.mirari.tool.hosttool;

/** A program Mirari runs on the host, and the Debian package that provides it. */
public enum HostTool {
    /** Makes, configures and removes the tap of {@code --unix} runs (as root). */
    IP("ip", "iproute2"),
    /** Names the kernel package that {@code linux-image-cloud-amd64} depends on, and its version. */
    APT_CACHE("apt-cache", "apt"),
    /** Downloads that kernel package, once, into the cache. */
    APT_GET("apt-get", "apt"),
    QEMU("qemu-system-x86_64", "qemu-system-x86"),
    XL("xl", "xen-utils"),
    /** Answers DHCP on a tap (Mirari's own responder stands in when it is missing). */
    DNSMASQ("dnsmasq", "dnsmasq-base"),
    /** Compresses initrds (gzip stands in when it is missing). */
    ZSTD("zstd", "zstd"),
    /** Runs {@code --oci} images (Debian's, with its own cgroup handling; no Docker engine needed). */
    RUNC("runc", "runc"),
    /** Shows Mirari's man pages ({@code mirari man}). */
    MAN("man", "man-db");

    private final String command;
    private final String debianPackage;

    HostTool(String command, String debianPackage) {
        this.command = command;
        this.debianPackage = debianPackage;
    }

    /** The program's name, as a shell would look it up. */
    public String command() {
        return command;
    }

    public String debianPackage() {
        return debianPackage;
    }
}
