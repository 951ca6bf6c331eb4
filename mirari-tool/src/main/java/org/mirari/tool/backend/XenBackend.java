package org.mirari.tool.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.XlParam;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.hosttool.Orphans;
import org.mirari.tool.image.VmImage;
import org.mirari.tool.plan.Boot;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.targets.Target;

/**
 * The {@code --xen} target: the same image as {@code --qemu}, booted as a Xen PVH guest. The build
 * also writes {@code <name>.xl} beside the conf ({@code type = "pvh"}, the kernel's PVH ELF, the
 * initrd, the read-only disks of the runtime and the app, the command line with the conf's boot-time
 * parameters, the TLS certificate and key inline among them ({@link GuestFiles}; the file is then its
 * owner's only), and every {@code xl-*} key); the
 * run is {@code xl create -c <name>.xl}, with the command line given again as an {@code xl}
 * override when {@code --set} changed a boot-time parameter, following the guest's console like
 * {@code --qemu}. Launching writes nothing.
 */
public final class XenBackend implements Backend {
    private final Host host;

    public XenBackend(Host host) {
        this.host = host;
    }

    public XenBackend() {
        this(Host.bare());
    }

    @Override
    public Target target() {
        return Target.XEN;
    }

    /** The image, and {@code <name>.xl} made from it. */
    @Override
    public Artifact artifact() {
        return new Artifact.Image((app, image) -> {
            var boot = app.config().bootDefaults();
            return List.of(new Artifact.TextFile(
                    app.outputs().xlFile(),
                    xlConfig(app, image, boot),
                    "its xl config",
                    !boot.getOrDefault("tls-key", "").isEmpty()));
        });
    }

    @Override
    public List<PlannedFile> buildOutputs(AppBuild app) {
        var files = new ArrayList<>(VmImages.outputs(app, Target.XEN));
        files.add(new PlannedFile(app.outputs().xlFile(), "the xl config of the PVH guest (stamped)"));
        return files;
    }

    @Override
    public RunSpec launch(AppBuild app, Boot boot, RunOptions options) {
        VmImage image = VmImages.image(app, Target.XEN);
        var config = app.config();
        if (!image.pvh()) {
            throw new BackendException(
                    image.kernel().getFileName() + " has no PVH entry point, which Xen PVH guests need; "
                            + "use Debian's cloud kernel (leave vm-kernel unset) or a kernel built with CONFIG_PVH");
        }
        requireMemory(config, image);
        Path file = app.outputs().xlFile();
        String xl = findXl(file);
        var command = new ArrayList<>(List.of(xl, "create", "-c", file.toString()));
        // The build wrote the conf's boot-time parameters; xl takes KEY=VALUE after the config
        // file as an override of that file's line, so a run with --set writes nothing.
        boolean ownCmdline = config.xl().stream().noneMatch(x -> x.key().equals("cmdline"));
        if (!boot.overrides().isEmpty() && ownCmdline) command.add("cmdline=" + quote(cmdline(image, boot.all())));
        var spec = new VmConsoleSpec(
                List.of(),
                VmGuest.onCrash(config),
                app.outputs().consoleLog(Target.XEN),
                "Xen PVH guest " + app.name() + ", " + memoryMib(config, image) + " MiB, kernel "
                        + image.kernelRelease());
        return new RunSpec.VmConsole(new Launch(command, Map.of(), app.appDir(), Optional.empty()), spec);
    }

    /** The guest's memory: {@code xl-memory}, else as for QEMU ({@code vm-memory}, else what the image needs, at least 128 MiB). */
    static int memoryMib(Config config, VmImage image) {
        for (var x : config.xl()) {
            if (x.key().equals("memory") && x.value() instanceof XlParam.Number n) return (int) n.value();
        }
        return VmGuest.memoryMib(config, image);
    }

    /** As for QEMU, but naming {@code xl-memory} when that key sets the memory. */
    static void requireMemory(Config config, VmImage image) {
        int memory = memoryMib(config, image);
        var key = config.xl().stream().filter(x -> x.key().equals("memory")).findFirst();
        if (key.isPresent()) VmGuest.requireMemory(key.get().at() + ": ", "xl-memory", memory, image);
        else VmGuest.requireMemory(config, image, memory);
    }

    /**
     * The xl config, a value (golden-tested). Mirari's keys come first; every {@code xl-<key>} is
     * then written as {@code <key> = <value>}, replacing Mirari's line for the same key.
     */
    static String xlConfig(AppBuild app, VmImage image, Map<String, String> boot) {
        var config = app.config();
        var lines = new LinkedHashMap<String, String>();
        lines.put("name", quote(app.name()));
        lines.put("type", quote("pvh"));
        lines.put("kernel", quote(image.kernel().toString()));
        lines.put("ramdisk", quote(image.initrd().toString()));
        lines.put("cmdline", quote(cmdline(image, boot)));
        lines.put("memory", Integer.toString(memoryMib(config, image)));
        lines.put("vcpus", "1");
        lines.put("on_crash", quote("destroy"));
        lines.put("vif", "[ '' ]");
        // The runtime's and the app's read-only disks, on Xen's block front-end (xvda, xvdb): as on
        // QEMU, the guest's memory holds none of them until read. target= comes last (it may hold commas).
        if (!image.disks().isEmpty()) {
            var disks = new ArrayList<String>();
            char dev = 'a';
            for (Path d : image.disks())
                disks.add("'format=raw, vdev=xvd" + dev++ + ", access=ro, target=" + d.toAbsolutePath() + "'");
            lines.put("disk", "[ " + String.join(", ", disks) + " ]");
        }
        for (var x : config.xl()) {
            lines.put(
                    x.key(),
                    switch (x.value()) {
                        case XlParam.Number n -> Long.toString(n.value());
                        case XlParam.Text t -> quote(t.value());
                        case XlParam.Items i ->
                            "[ "
                                    + String.join(
                                            ", ",
                                            i.values().stream()
                                                    .map(v -> "'" + v.replace("'", "\\'") + "'")
                                                    .toList())
                                    + " ]";
                    });
        }
        var sb = new StringBuilder("# ").append(app.stamp()).append('\n');
        sb.append("# Start it with: xl create -c ")
                .append(app.outputs().xlFile().getFileName())
                .append('\n');
        lines.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    /**
     * The PVH guest's kernel command line (no TCG: Xen runs guests on hardware virtualisation), the
     * TLS certificate and key inline: a PVH guest has no other channel for a host's files.
     */
    static String cmdline(VmImage image, Map<String, String> boot) {
        return GuestFiles.checked(VmGuest.kernelCommandLine("console=hvc0", false, 0, image, GuestFiles.inline(boot)));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code xl} from PATH, if it can reach a hypervisor; otherwise exit 5 naming the config it wrote. */
    String findXl(Path written) {
        String xl = host.which("xl", "/usr/sbin:/usr/bin:/sbin:/bin")
                .map(Path::toString)
                .orElse(null);
        if (xl == null) {
            throw new BackendException(
                    "xl is not installed, so the Xen guest cannot start here; the config is written: " + written
                            + " (on a Xen host run: xl create -c " + written.getFileName()
                            + "; Debian: apt-get install xen-utils)");
        }
        try {
            var p = Orphans.start(new ProcessBuilder(xl, "info").redirectErrorStream(true));
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            if (p.exitValue() != 0) {
                var last = out.strip().lines().reduce((a, b) -> b).orElse("exit " + p.exitValue());
                throw new BackendException(
                        "xl cannot reach a Xen hypervisor here (" + last + "); the config is written: " + written
                                + " (run xl create -c " + written.getFileName() + " on a Xen host, in dom0)");
            }
        } catch (IOException e) {
            throw new BackendException("xl could not run (" + e.getMessage() + "); the config is written: " + written);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while asking xl about the hypervisor");
        }
        return xl;
    }

    static List<String> keys(String xl) {
        var keys = new ArrayList<String>();
        for (String l : xl.lines().toList())
            if (!l.startsWith("#") && l.contains(" = ")) keys.add(l.substring(0, l.indexOf(" = ")));
        return keys;
    }
}
