package org.mirari.tool.run;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirari.tool.backend.ContainerPlan;
import org.mirari.tool.backend.Host;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.HostTool;
import org.mirari.tool.oci.OciExtensions;

/**
 * The host side of a container run, undone by {@link #close}: the network namespace and veth pair,
 * the unpacked root file system, runc's config and the port forwards.
 *
 * <p>A run killed with SIGKILL runs no clean-up of its own, and runc (killed with it through
 * {@link org.mirari.tool.hosttool.Orphans}) leaves the container running. So, before anything is made, a <em>reaper</em> is
 * started in a session of its own: a shell that reads one line from a pipe the tool holds. When the
 * run ends normally it cleans up itself and writes {@code done}; when the tool dies the pipe closes
 * and the reaper removes the container, the namespace and the veth. A run that finds the leftovers
 * of an earlier one under its id (a reaper that could not run) removes them first.
 */
final class ContainerHost implements AutoCloseable {
    private final ContainerPlan plan;
    private final String runc;
    private final Path ip;
    private final EventSink events;
    private final Process reaper;
    private final List<PortForwarder> forwarders = new ArrayList<>();
    private boolean closed;

    private ContainerHost(ContainerPlan plan, String runc, Path ip, EventSink events, Process reaper) {
        this.plan = plan;
        this.runc = runc;
        this.ip = ip;
        this.events = events;
        this.reaper = reaper;
    }

    static ContainerHost prepare(ContainerPlan plan, String runc, EventSink events, Host host) {
        Path ip =
                host.tools().require(HostTool.IP, "run --oci needs it for the container's network", "or use --socket");
        if (TapHost.euid(host.env("USER").orElse("")) != 0) {
            throw new BackendException("run --oci needs root: runc and a network namespace of the container's own;"
                    + " run it as root (sudo -E bin/mirari run --oci ...), or use --socket");
        }
        if (Files.exists(plan.netnsPath())
                || Files.isDirectory(Path.of("/run/runc").resolve(plan.id()))) {
            events.emit(new Event.Info(
                    "removing what an earlier run of " + plan.id() + " left (its container, its namespace)"));
            remove(plan, runc, ip);
        }
        Process reaper;
        try {
            reaper = new ProcessBuilder(reaperCommand(plan, runc, ip))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new BackendException(
                    "cannot start the clean-up guard of the container (setsid, sh): " + e.getMessage(), e);
        }
        var side = new ContainerHost(plan, runc, ip, events, reaper);
        try {
            for (var cmd : plan.createCommands()) {
                var r = exec(cmd, ip);
                if (r.code() != 0)
                    throw new BackendException(String.join(" ", cmd) + " failed: "
                            + r.output().strip() + "; another run may use the address " + plan.hostAddress()
                            + ": choose others with --set ip-address=... --set ip-gateway=...");
            }
            side.unpack(host);
            Files.createDirectories(plan.bundle());
            Files.writeString(plan.bundle().resolve("config.json"), plan.configJson());
            for (var f : plan.forwards()) {
                side.forwarders.add(PortForwarder.start(
                        f.hostAddress(),
                        f.hostPort(),
                        new InetSocketAddress(plan.containerAddress(), f.containerPort())));
            }
            return side;
        } catch (IOException | RuntimeException e) {
            side.close();
            if (e instanceof RuntimeException r) throw r;
            throw new BackendException(
                    "cannot prepare the container's bundle in " + plan.bundle() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The reaper: {@code setsid} so that a Ctrl-C to the terminal's process group does not reach it,
     * signals ignored, and the removal commands run unless the tool says {@code done}.
     */
    static List<String> reaperCommand(ContainerPlan plan, String runc, Path ip) {
        var script = new StringBuilder("trap '' INT TERM HUP; if read x && [ \"$x\" = done ]; then exit 0; fi");
        for (var cmd : resolvedAll(plan.removeCommands(runc), ip)) {
            script.append("; ");
            script.append(String.join(
                    " ",
                    cmd.stream()
                            .map(org.mirari.tool.backend.RunSpec::shellQuote)
                            .toList()));
        }
        return List.of("setsid", "/bin/sh", "-c", script.toString());
    }

    /** Unpacks the image into the shared read-only root unless it holds this image already. */
    private void unpack(Host host) throws IOException {
        Path index = plan.layout().resolve("index.json");
        if (!Files.isRegularFile(index))
            throw new BackendException(plan.layout() + " holds no OCI image; build it first: mirari build --oci");
        Path marker = plan.rootfs().resolveSibling(plan.rootfs().getFileName() + ".index.json");
        byte[] wanted = Files.readAllBytes(index);
        if (Files.isRegularFile(marker)
                && java.util.Arrays.equals(Files.readAllBytes(marker), wanted)
                && Files.isDirectory(plan.rootfs())) return;
        events.emit(new Event.Info("unpacking the image into " + plan.rootfs().getFileName()));
        Files.deleteIfExists(marker);
        OciExtensions.load(host.mirariHome()).unpack(plan.layout(), plan.rootfs());
        Files.write(marker, wanted);
    }

    /** The host URLs of the forwards. */
    List<String> urls() {
        return plan.forwards().stream().map(ContainerPlan.Forward::url).toList();
    }

    private static void remove(ContainerPlan plan, String runc, Path ip) {
        for (var cmd : plan.removeCommands(runc)) exec(cmd, ip);
    }

    /** The commands with {@code ip} as found on {@code PATH}. */
    private static List<List<String>> resolvedAll(List<List<String>> commands, Path ip) {
        return commands.stream().map(c -> resolved(c, ip)).toList();
    }

    private static List<String> resolved(List<String> cmd, Path ip) {
        if (!cmd.getFirst().equals("ip")) return cmd;
        var out = new ArrayList<>(cmd);
        out.set(0, ip.toString());
        return out;
    }

    /** Runs a host command to its end (30 s at most); its exit code and output. */
    private static TapHost.Result exec(List<String> cmd, Path ip) {
        try {
            var p = new ProcessBuilder(resolved(cmd, ip))
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            return new TapHost.Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new BackendException(cmd.getFirst() + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while running " + String.join(" ", cmd), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        forwarders.forEach(PortForwarder::close);
        remove(plan, runc, ip);
        try {
            Files.deleteIfExists(plan.bundle().resolve("config.json"));
            Files.deleteIfExists(plan.bundle());
        } catch (IOException e) {
            // an empty directory under .mirari: harmless
        }
        try (OutputStream out = reaper.getOutputStream()) {
            out.write("done\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the reaper already ended: it cleaned up (the same commands, harmless twice)
        }
        if (Files.exists(plan.netnsPath()))
            events.emit(new Event.Warning("could not remove the network namespace " + plan.id()
                    + "; remove it with: ip netns delete " + plan.id()));
    }
}
