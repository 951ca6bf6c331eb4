package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.target.Target;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The target switches and {@code --set}, shared by configure, build and run. */
public final class TargetOptions {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Switches switches;

    static final class Switches {
        @Option(names = "--socket", description = "A JVM process on host sockets (the default; needs no root).")
        boolean socket;

        @Option(names = "--unix", description = "Unix-direct: the JVM runs Mirari's own TCP/IP stack on a tap device.")
        boolean unix;

        @Option(names = "--qemu", description = "A micro-VM image (kernel + initramfs) booted by QEMU.")
        boolean qemu;

        @Option(names = "--xen", description = "The same image, run as a Xen PVH guest with xl.")
        boolean xen;
    }

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override or add a config key (repeatable); list keys given by --set replace the conf's list.")
    List<String> sets = new ArrayList<>();

    /** The switch given, if any; {@code compiler: ...+<target>} in the conf wins over it. */
    public Optional<Target> requested() {
        if (switches == null) return Optional.empty();
        if (switches.unix) return Optional.of(Target.UNIX);
        if (switches.qemu) return Optional.of(Target.QEMU);
        if (switches.xen) return Optional.of(Target.XEN);
        if (switches.socket) return Optional.of(Target.SOCKET);
        return Optional.empty();
    }

    public List<String> sets() {
        return List.copyOf(sets);
    }
}
