package org.mirari.tool.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.hosttool.HostTools;
import org.mirari.tool.pkg.ReproducibleJar;

/**
 * The machine a backend builds and runs on, as one explicit dependency: its environment and
 * properties (through the {@link ToolContext}, never from globals), the programs on its
 * {@code PATH}, and the probes a backend makes of it (can QEMU use KVM here; the TSC frequency).
 * What a probe finds that takes time is kept in the cache.
 */
public final class Host {
    /** Overrides KVM detection: {@code kvm} or {@code tcg}. */
    static final String ACCEL_PROPERTY = "mirari.qemu.accel";

    private final ToolContext context;

    public Host(ToolContext context) {
        this.context = context;
    }

    /** A host with an empty environment and no probes that find anything: what unit tests build with. */
    public static Host bare() {
        return new Host(new ToolContext(Path.of("").toAbsolutePath(), Map.of(), Path.of("."), Map.of()));
    }

    /** The Mirari checkout ({@code mirari.home}): its modules' jars, the {@code mirari-oci} module. */
    public Path mirariHome() {
        return context.home();
    }

    public Optional<String> env(String name) {
        return context.env(name);
    }

    public Optional<String> property(String name) {
        return context.property(name);
    }

    /** {@code program} on {@code PATH} (or {@code defaultPath} when there is none), if executable. */
    public Optional<Path> which(String program, String defaultPath) {
        return HostTools.onPath(env("PATH").orElse(defaultPath)).find(program);
    }

    /** The host's programs, looked up on this environment's {@code PATH}. */
    public HostTools tools() {
        return HostTools.onPath(env("PATH").orElse(null));
    }

    /**
     * The tun device that taps are opened through: {@code /dev/net/tun}, or the system property
     * {@code mirari.tun.device} (tests point it at a path that does not exist).
     */
    public Path tunDevice() {
        return Path.of(property("mirari.tun.device").orElse("/dev/net/tun"));
    }

    /**
     * The UEFI firmware that boots {@code --ec2} disks under QEMU: the system property
     * {@code mirari.ovmf} (tests point it at a path that does not exist), else {@code MIRARI_OVMF}
     * (distributions that keep OVMF elsewhere), else Debian's {@code /usr/share/ovmf/OVMF.fd}.
     */
    public Path ovmfFirmware() {
        return Path.of(property("mirari.ovmf").or(() -> env("MIRARI_OVMF")).orElse(DEFAULT_OVMF));
    }

    /** Where Debian's {@code ovmf} package puts the firmware. */
    public static final String DEFAULT_OVMF = "/usr/share/ovmf/OVMF.fd";

    /** The archive timestamp of reproducible outputs: {@code SOURCE_DATE_EPOCH}, else the earliest a zip can hold. */
    public LocalDateTime entryTime() {
        return ReproducibleJar.entryTime(context.env());
    }

    /** {@code SOURCE_DATE_EPOCH} (reproducible-builds.org) in seconds, else 0. */
    public long sourceDateEpoch() {
        try {
            return env("SOURCE_DATE_EPOCH").map(s -> Long.parseLong(s.strip())).orElse(0L);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code $MIRARI_CACHE}, else {@code $XDG_CACHE_HOME/mirari}, else {@code ~/.cache/mirari};
     * system property {@code mirari.cache} wins.
     */
    public Path cacheDir() {
        return property("mirari.cache")
                .or(() -> env("MIRARI_CACHE"))
                .map(Path::of)
                .or(() -> env("XDG_CACHE_HOME").map(x -> Path.of(x, "mirari")))
                .orElseGet(() -> Path.of(property("user.home").orElse("."), ".cache", "mirari"));
    }

    /** {@link #cacheDir()}, made if need be; fails naming it and how to choose another when it cannot be written. */
    public Path usableCacheDir() {
        var dir = cacheDir();
        EnvironmentException.requireWritableDir(
                dir,
                "the cache directory",
                "set MIRARI_CACHE (or XDG_CACHE_HOME) to a writable directory, or a writable HOME");
        return dir;
    }

    /**
     * {@code kvm} if QEMU can boot {@code kernel} under KVM here (nested VMs often cannot, whatever
     * {@code /dev/kvm} says; see {@link KvmProbe}), else {@code tcg}; {@code mirari.qemu.accel} or
     * {@code MIRARI_QEMU_ACCEL} forces one. The answer is kept in the cache per machine boot.
     */
    public synchronized String accelerator(String qemu, Path kernel) {
        String forced =
                property(ACCEL_PROPERTY).or(() -> env("MIRARI_QEMU_ACCEL")).orElse("");
        if (forced.equals("kvm") || forced.equals("tcg")) return forced;
        return KvmProbe.accelerator(qemu, kernel, cacheDir(), KvmProbe.DEVICE);
    }

    /** The host's TSC frequency in kHz from /proc/cpuinfo's "cpu MHz", or 0. */
    public long tscKhz() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) {
                    return Math.round(Double.parseDouble(
                                    line.substring(line.indexOf(':') + 1).strip())
                            * 1000);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an odd cpuinfo: boot without the hints
        }
        return 0;
    }
}
