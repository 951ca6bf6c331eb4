package org.mirari.tool.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a built app, as a value a backend returns and {@code run} carries out with one
 * exhaustive {@code switch}: tests compare it, {@code run --dry-run} prints it. A new kind of run
 * (a container whose bundle must be unpacked first, a deployment with no local process) is a new
 * record here, and the compiler then names every place that must handle it.
 */
public sealed interface RunSpec permits RunSpec.Process, RunSpec.HostPrepared, RunSpec.VmConsole, RunSpec.Container {

    /** The process that runs (the app's JVM, or the hypervisor). */
    Launch launch();

    /**
     * What the run does, one shell command a line, for {@code run --dry-run}: the host's
     * preparation, then the command (quoted where a VM's kernel command line has spaces, so it
     * can be pasted into a shell).
     */
    default List<String> commands() {
        var lines = new ArrayList<String>();
        switch (this) {
            case Process p -> lines.add(String.join(" ", p.launch().command()));
            case HostPrepared h -> {
                h.host().createCommands().forEach(c -> lines.add(String.join(" ", c)));
                h.host().dnsmasqCommand("dnsmasq").ifPresent(c -> lines.add(String.join(" ", c)));
                lines.add(String.join(" ", h.launch().command()));
            }
            case Container c -> {
                var plan = c.container();
                plan.createCommands().forEach(cmd -> lines.add(String.join(" ", cmd)));
                lines.add("unpack " + plan.layout() + " into " + plan.rootfs());
                lines.add("write " + plan.bundle().resolve("config.json"));
                plan.forwards()
                        .forEach(f -> lines.add("forward tcp " + f.hostAddress() + ":" + f.hostPort() + " to "
                                + plan.containerAddress() + ":" + f.containerPort()));
                lines.add(String.join(" ", c.launch().command()));
            }
            case VmConsole v -> {
                // The run's private directory for QEMU's sockets; the port forwards then come
                // through QEMU's monitor (after a snapshot or a restore), not on this line.
                if (v.console().snapshots() instanceof VmSnapshots.Cache c)
                    lines.add("mkdir -m 700 " + shellQuote(c.runDir().toString()));
                lines.add(String.join(
                        " ",
                        v.launch().command().stream().map(RunSpec::shellQuote).toList()));
            }
        }
        return lines;
    }

    /** {@code arg} as a shell word. */
    static String shellQuote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_=:,./@+%".indexOf(c) >= 0))
            return arg;
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /**
     * Where the app listens, checked before it starts on host sockets and named in the message when
     * it cannot bind.
     *
     * @param address an IPv4 address, or {@code *} for every address
     */
    record Listen(String address, int port) {}

    /**
     * A process on this host.
     *
     * @param listen     where a {@code main-http} app listens on host sockets (checked first), if anywhere
     * @param quickRun   whether the launcher may later exec the same command by itself (the quick run):
     *                   true for a plain JVM on host sockets, which needs no host preparation
     */
    record Process(Launch launch, Optional<Listen> listen, boolean quickRun) implements RunSpec {
        public Process {
            Objects.requireNonNull(launch, "launch");
            Objects.requireNonNull(listen, "listen");
        }
    }

    /**
     * A process whose host side must be prepared first and undone after: the {@code --unix} tap
     * (and its DHCP server).
     *
     * @param listen where the app listens on its own stack (shown when it cannot bind; not checked on the host)
     */
    record HostPrepared(Launch launch, TapPlan host, Optional<Listen> listen) implements RunSpec {
        public HostPrepared {
            Objects.requireNonNull(launch, "launch");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(listen, "listen");
        }
    }

    /** A VM whose console is the app's: followed for progress, readiness, crashes and the exit code. */
    record VmConsole(Launch launch, VmConsoleSpec console) implements RunSpec {
        public VmConsole {
            Objects.requireNonNull(launch, "launch");
            Objects.requireNonNull(console, "console");
        }
    }

    /**
     * A container: its host side prepared first and undone after (the namespace, the veth pair,
     * the unpacked image, the forwards), then runc runs it in the foreground.
     *
     * @param listen where the app listens inside its namespace
     */
    record Container(Launch launch, ContainerPlan container, Optional<Listen> listen) implements RunSpec {
        public Container {
            Objects.requireNonNull(launch, "launch");
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(listen, "listen");
        }
    }
}
