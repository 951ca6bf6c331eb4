package org.mirari.tool.backend;

import java.util.List;
import java.util.Map;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.XlParam;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.image.VmImage;

/**
 * What every VM target shares about its guest, whatever the hypervisor: the kernel command line,
 * the guest's memory and its check against the image, and what a crash does. QEMU and Xen use it;
 * a third VM target (Firecracker) would too.
 */
final class VmGuest {
    /** The init's environment variable (set on the kernel command line) for JVM options that depend on the run. */
    static final String JVM_OPTIONS_VAR = "MIRARI_JVM_OPTIONS";

    /** The init's environment variable for how the guest JVM's JIT compiler starts ({@code deferred} under TCG). */
    static final String JIT_VAR = "MIRARI_JIT";

    private VmGuest() {}

    /**
     * The start of every QEMU command line Mirari runs, the run's and the KVM probe's: one CPU of
     * the {@code microvm} machine with {@code memoryMib} MiB, none of QEMU's default devices or
     * user config, no display, and no reboot (a guest that reboots ends QEMU instead).
     */
    static List<String> microvm(String qemu, String accel, int memoryMib) {
        return machine(qemu, "microvm,accel=" + accel, memoryMib);
    }

    /** The same start for another machine ({@code q35,accel=tcg} for {@code --ec2}'s UEFI boot). */
    static List<String> machine(String qemu, String machine, int memoryMib) {
        return List.of(
                qemu,
                "-M",
                machine,
                "-m",
                Integer.toString(memoryMib),
                "-smp",
                "1",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-no-reboot");
    }

    /**
     * The guest kernel's command line: console, {@code panic=-1} (a panic ends the VM at once, so
     * the runner sees it), {@code quiet}, under TCG the TSC parameters (without them about two boots
     * in three hang calibrating the TSC; {@code tsc=reliable} stops the clocksource watchdog from
     * falling back to jiffies on a slow emulated CPU), {@code mitigations=off}, and C1 only, with its
     * thresholds raised, for the JVM; then the init and the boot-time parameters.
     *
     * @param tscKhz the host's TSC frequency under TCG (0: unknown, no hints)
     */
    static String kernelCommandLine(String console, boolean tcg, long tscKhz, VmImage image, Map<String, String> boot) {
        var sb = new StringBuilder(console).append(" panic=-1 quiet");
        if (tcg) {
            if (tscKhz > 0)
                sb.append(" tsc_early_khz=")
                        .append(tscKhz)
                        .append(" lpj=")
                        .append(tscKhz * 4)
                        .append(" tsc=reliable");
            // No Spectre/Meltdown mitigations under emulation: TCG runs each guest branch as generated
            // host code and an indirect one as a call into its block lookup, so the guest's retpolines
            // and return-buffer fills steer no predictor and guard nothing (the host's own mitigations
            // cover QEMU); they only cost translation and cycles. Measured (hello, 3 rounds of 4-6
            // alternating boots, load 1.5-3.5): first 200 0.64-0.80 s sooner, the busybox VM unchanged
            // (+0.07 to +0.19 s, within the noise). KVM, Xen and EC2 guests run on a real CPU: they keep them.
            sb.append(" mitigations=off");
            // On one emulated CPU, C2 compiling competes with starting up: C1 alone reached "listening"
            // about 0.8 s sooner of 9 s (guest clock) for hello. Under KVM the JVM keeps all its tiers.
            sb.append(' ').append(JVM_OPTIONS_VAR).append("=-XX:TieredStopAtLevel=1");
            // And C1 waits for ten times the usual calls before it compiles a method (init.sh, "The JIT
            // compiler under emulation"): hello listened about 0.3 s sooner, the seed no later.
            sb.append(' ').append(JIT_VAR).append("=deferred");
        }
        sb.append(' ').append(image.initArgs());
        boot.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    /**
     * {@code vm-memory} when set; otherwise the default (128 MiB), raised to what the image needs
     * (rounded up to 32 MiB) so that a large image runs without the user doing the arithmetic.
     */
    static int memoryMib(Config config, VmImage image) {
        if (config.vmMemoryMib().isPresent()) return config.vmMemoryMib().get().value();
        return Math.max(Config.DEFAULT_VM_MEMORY_MIB, (image.minimumMemoryMiB() + 31) / 32 * 32);
    }

    /** Guest memory must hold the unpacked initramfs, the JVM's heap and metaspace, and the kernel. */
    static void requireMemory(Config config, VmImage image, int memoryMib) {
        requireMemory(
                config.vmMemoryMib().map(m -> m.at() + ": ").orElse(config.fileName() + ": "),
                "vm-memory",
                memoryMib,
                image);
    }

    /** The check for any key that sets the guest memory: {@code where} is that key's position ("app.conf:7:13: "). */
    static void requireMemory(String where, String key, int memoryMib, VmImage image) {
        int need = image.minimumMemoryMiB();
        if (memoryMib >= need) return;
        throw new ConfigException(where + key + " " + memoryMib + " MiB is below what "
                + image.initrd().getFileName() + " needs: " + need + " MiB (" + image.memoryBreakdown() + "); use "
                + key + ": " + need + " or more");
    }

    /** What a crashed guest does, from {@code xl-on_crash}: {@code destroy}, {@code restart} or {@code preserve}. */
    static String onCrash(Config config) {
        for (var x : config.xl()) {
            if (x.key().equals("on_crash") && x.value() instanceof XlParam.Text t) {
                String v = t.value();
                if (v.startsWith("restart")) return "restart";
                if (v.startsWith("preserve") || v.startsWith("coredump")) return "preserve";
                return "destroy";
            }
        }
        return "destroy";
    }
}
