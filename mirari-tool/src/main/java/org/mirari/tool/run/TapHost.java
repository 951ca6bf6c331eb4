package org.mirari.tool.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.TapPlan;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.HostTool;
import org.mirari.tool.hosttool.Orphans;

/**
 * Carries out a {@link TapPlan} for a {@code --unix} run and undoes it on {@link #close()}: creates
 * the tap (or reuses one that exists, such as a persistent tap made for the user), gives the host
 * its address, starts a DHCP server for the app when it uses DHCP (dnsmasq, or Mirari's own responder). Only what this run
 * created is removed. A tap left by a run that crashed (marked with an alias) counts as this run's.
 */
public final class TapHost implements AutoCloseable {
    private final Host machine;
    private final TapPlan plan;
    private final EventSink events;
    private final List<List<String>> undo = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Process dhcpServer;
    private boolean owned;
    /** The {@code ip} command, found on {@code PATH} when this run must use it (as root). */
    private Path ip;

    private TapHost(TapPlan plan, EventSink events, Host machine) {
        this.machine = machine;
        this.plan = plan;
        this.events = events;
    }

    /** Prepares the host side; {@link BackendException} (exit 5) with the fix when this user cannot. */
    public static TapHost prepare(TapPlan plan, EventSink events, Host host) {
        String user = host.property("user.name").orElse("$USER");
        return prepare(plan, events, euid(user), user, host);
    }

    /** As {@link #prepare(TapPlan, EventSink, Host)} for the given effective user (tests). */
    static TapHost prepare(TapPlan plan, EventSink events, long euid, String user) {
        return prepare(plan, events, euid, user, Host.bare());
    }

    /** As {@link #prepare(TapPlan, EventSink, Host)} for the given effective user on {@code machine} (tests). */
    static TapHost prepare(TapPlan plan, EventSink events, long euid, String user, Host machine) {
        var host = new TapHost(plan, events, machine);
        try {
            host.setUp(euid, user);
            return host;
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    private void setUp(long euid, String user) {
        var sys = Path.of("/sys/class/net", plan.tap());
        boolean root = euid == 0;
        var tun = machine.tunDevice();
        if (!Files.exists(tun))
            throw new BackendException(tun + " does not exist, so --unix cannot open a tap here; load the tun module"
                    + " (sudo modprobe tun), or in a container give it the device (docker run --device /dev/net/tun),"
                    + " or use --socket");
        // Checked before anything is made, so that a missing ip leaves nothing half set up.
        if (root)
            ip = machine.tools()
                    .require(HostTool.IP, "--unix needs it to set up the tap " + plan.tap(), "or use --socket");
        // Many distributions ship /dev/net/tun as 0666 (a tap's owner still decides who may attach); some make it
        // root-only.
        String tunGrant =
                root || (Files.isReadable(tun) && Files.isWritable(tun)) ? "" : "sudo chmod 0666 " + tun + " && ";
        if (Files.isDirectory(sys)) {
            if (!Files.exists(sys.resolve("tun_flags")) || (readHex(sys.resolve("tun_flags")) & 0x0002) == 0)
                throw new BackendException(
                        plan.tap() + " exists but is not a tap device; choose another name with --tap NAME");
            long owner = readLong(sys.resolve("owner"));
            if (!root && owner != euid)
                throw new BackendException("tap " + plan.tap()
                        + " exists but this user may not open it; make it yours once with: " + tunGrant
                        + "sudo ip tuntap del dev " + plan.tap() + " mode tap && " + plan.grantCommands(user));
            if (!tunGrant.isEmpty())
                throw new BackendException(
                        "tap " + plan.tap() + " is yours but /dev/net/tun is root-only here; allow users to open it"
                                + " once with: sudo chmod 0666 /dev/net/tun");
            boolean leftover = TapPlan.TAP_ALIAS.equals(readString(sys.resolve("ifalias")));
            if (leftover && root) {
                undo.add(plan.deleteCommand());
                owned = true;
            }
            if (root) {
                var have = exec(List.of("ip", "-o", "-4", "addr", "show", "dev", plan.tap()))
                        .output();
                if (!have.contains(" " + plan.hostAddress() + "/")) {
                    run(
                            List.of("ip", "addr", "add", plan.hostAddress() + "/" + plan.prefix(), "dev", plan.tap()),
                            user);
                    if (!leftover)
                        undo.add(List.of(
                                "ip", "addr", "del", plan.hostAddress() + "/" + plan.prefix(), "dev", plan.tap()));
                }
                run(List.of("ip", "link", "set", "dev", plan.tap(), "up"), user);
            }
            events.emit(new Event.Info("using existing tap " + plan.tap() + " (host side " + plan.hostAddress() + "/"
                    + plan.prefix() + ")"));
        } else {
            if (!root)
                throw new BackendException(
                        "--unix needs a tap device and this user may not create one; run as root, or create a"
                                + " persistent tap for yourself once with: " + tunGrant + plan.grantCommands(user));
            undo.add(plan.deleteCommand());
            owned = true;
            for (var cmd : plan.createCommands()) run(cmd, user);
            events.emit(new Event.Info(
                    "created tap " + plan.tap() + " (host side " + plan.hostAddress() + "/" + plan.prefix() + ")"));
        }
        if (plan.dhcpRange().isPresent()) startDhcp(root);
    }

    /**
     * dnsmasq when installed, else Mirari's own responder; {@code -Dmirari.unix.dhcp=dnsmasq|builtin}
     * forces one (the default, {@code auto}, prefers dnsmasq).
     */
    private void startDhcp(boolean root) {
        if (!root)
            throw new BackendException("ip-use-dhcp is true, and serving DHCP on " + plan.tap()
                    + " needs root (port 67);" + " run as root or use a static address (--set ip-use-dhcp=false)");
        String choice = machine.property("mirari.unix.dhcp").orElse("auto");
        String dnsmasqPath = choice.equals("builtin") ? null : which(machine, "dnsmasq");
        if (dnsmasqPath == null
                && (choice.equals("dnsmasq") || plan.responderCommand().isEmpty()))
            throw new BackendException(
                    "ip-use-dhcp is true but dnsmasq is not installed to answer DHCP on " + plan.tap()
                            + "; install it (sudo apt-get install dnsmasq-base) or use a static address (--set ip-use-dhcp=false)");
        try {
            Files.createDirectories(plan.leaseFile().getParent());
            var log = plan.leaseFile().resolveSibling("dhcp.log");
            if (dnsmasqPath != null) {
                dhcpServer = new ProcessBuilder(
                                Orphans.guard(plan.dnsmasqCommand(dnsmasqPath).orElseThrow()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                // dnsmasq fails at once when it cannot bind; give it a moment to say so
                if (dhcpServer.waitFor(300, TimeUnit.MILLISECONDS))
                    throw new BackendException("dnsmasq could not serve DHCP on " + plan.tap() + ": "
                            + Files.readString(log).strip() + "; stop the other DHCP server or use a static address");
                events.emit(new Event.Info("dnsmasq answers DHCP on " + plan.tap() + " ("
                        + plan.dhcpRange().get().get(0) + "-"
                        + plan.dhcpRange().get().get(1) + ")"));
            } else {
                dhcpServer = new ProcessBuilder(
                                Orphans.guard(plan.responderCommand().get()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                // it says when it has bound port 67 (a JVM start: allow a few seconds)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.readString(log).contains("dhcp-responder: serving")) {
                    if (!dhcpServer.isAlive() || System.nanoTime() > deadline)
                        throw new BackendException("Mirari's DHCP responder could not serve on " + plan.tap() + ": "
                                + Files.readString(log).strip()
                                + "; stop the other DHCP server or use a static address");
                    Thread.sleep(50);
                }
                events.emit(new Event.Info("Mirari's DHCP responder answers on " + plan.tap() + " ("
                        + plan.responderCommand().get().get(6) + " for the app)"));
            }
        } catch (IOException e) {
            throw new BackendException("cannot start a DHCP server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while starting the DHCP server", e);
        }
    }

    /**
     * Whether this run owns the tap (created it, or took over one a killed run left): then the app
     * makes it transient once it has opened it, so the tap goes with the app however either ends.
     */
    public boolean owned() {
        return owned;
    }

    /**
     * Stops the DHCP server and removes what this run created. Safe to call twice and from a shutdown hook:
     * a second caller waits until the first has finished (the hook halts the JVM right after).
     */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (dhcpServer != null) {
            dhcpServer.destroy();
            try {
                if (!dhcpServer.waitFor(3, TimeUnit.SECONDS))
                    dhcpServer.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                dhcpServer.destroyForcibly();
            }
        }
        for (int i = undo.size() - 1; i >= 0; i--) {
            try {
                exec(undo.get(i));
            } catch (RuntimeException e) {
                // best effort while tearing down
            }
        }
    }

    private void run(List<String> cmd, String user) {
        var r = exec(cmd);
        if (r.code() != 0) {
            if (r.output().contains("Operation not permitted") || r.output().contains("Permission denied"))
                throw new BackendException("no permission to set up " + plan.tap() + " (" + String.join(" ", cmd)
                        + "); run as root, or create a persistent tap for yourself once with: "
                        + plan.grantCommands(user));
            throw new BackendException(
                    String.join(" ", cmd) + " failed: " + r.output().strip());
        }
    }

    record Result(int code, String output) {}

    /** Runs {@code cmd}; an {@code ip} command runs the {@code ip} found on {@code PATH}. */
    private Result exec(List<String> cmd) {
        if (ip != null && cmd.getFirst().equals("ip")) {
            var resolved = new ArrayList<>(cmd);
            resolved.set(0, ip.toString());
            cmd = resolved;
        }
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new BackendException(
                    cmd.get(0) + " is needed for --unix and could not run (" + e.getMessage() + "); install iproute2",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while running " + String.join(" ", cmd), e);
        }
    }

    static long euid(String user) {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:"))
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "root".equals(user) ? 0 : -2;
    }

    /** {@code tool} on {@code PATH}, or in the sbin directories a user's PATH often lacks. */
    static String which(Host host, String tool) {
        var dirs = new ArrayList<>(List.of(host.env("PATH").orElse("").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (var d : dirs) {
            if (d.isEmpty()) continue;
            var p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static long readLong(Path p) {
        try {
            return Long.parseLong(readString(p));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long readHex(Path p) {
        var s = readString(p);
        try {
            return Long.decode(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
