package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code run} needs to follow a VM's console: where the guest is reachable from the host, what
 * to do when the guest crashes ({@code xl-on_crash}), and where the console is logged.
 *
 * @param hostUrls    the host side of each forward ({@code http://127.0.0.1:18080/}), shown when the app listens
 * @param onCrash     {@code destroy} (end the run), {@code restart} (boot again) or {@code preserve} (keep the console log)
 * @param consoleLog  the file the console is copied to while the VM runs
 * @param summary     one line about the machine ({@code QEMU microvm, TCG, 256 MiB, PVH entry})
 * @param snapshots   whether the VM is restored from (or recorded into) a snapshot
 */
public record VmConsoleSpec(
        List<String> hostUrls, String onCrash, Path consoleLog, String summary, VmSnapshots snapshots) {
    public VmConsoleSpec {
        hostUrls = List.copyOf(hostUrls);
        java.util.Objects.requireNonNull(snapshots, "snapshots");
    }

    /** A VM target without snapshots (Xen, EC2). */
    public VmConsoleSpec(List<String> hostUrls, String onCrash, Path consoleLog, String summary) {
        this(hostUrls, onCrash, consoleLog, summary, new VmSnapshots.None());
    }
}
