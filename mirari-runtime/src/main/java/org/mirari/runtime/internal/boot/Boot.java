package org.mirari.runtime.internal.boot;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.mirari.runtime.AppSpec;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.IpApp;
import org.mirari.runtime.NoIpApp;
import org.mirari.runtime.console.ReadyLine;
import org.mirari.runtime.console.ToolConsole;
import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.internal.http.HttpServer;
import org.mirari.runtime.internal.http.Listener;
import org.mirari.runtime.internal.http.MonotonicClock;
import org.mirari.runtime.internal.http.ServerConfig;
import org.mirari.runtime.internal.tls.HttpsRedirect;
import org.mirari.runtime.internal.tls.Tls;
import org.mirari.runtime.net.NetInterface;
import org.mirari.runtime.net.Network;
import org.mirari.runtime.spi.NetworkProvider;

/**
 * Boots an app. Each entry returns the process exit status: 0 when the app ended normally,
 * 1 when it failed (its stack trace printed), 2 when a boot-time parameter was wrong.
 * Readiness lines go to {@code out}; failures to {@code err}.
 */
public final class Boot {
    /** How long requests in progress may take to finish at a shutdown by signal. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    /**
     * Set by the handlers of INT, TERM and HUP before they exit: a stop from outside (Ctrl-C, the
     * tool, a supervisor) lets requests in progress finish; the app's own {@code System.exit}
     * does not wait for them. Called from a handler, it could never be waited for: the request that
     * asked is on the exiting thread, so the grace ran out in full (10 s) before the JVM ended.
     */
    private static volatile boolean stoppedBySignal;

    /** Whether the handlers above are in place: without them every shutdown gets the grace. */
    private static volatile boolean stopSignalsHandled;

    /**
     * Set ({@code normal} or {@code quiet}) when the {@code mirari} launcher starts this JVM in the
     * tool's place, on {@code mirari run}'s quick path: the console, the exit code of a port that
     * cannot be bound (5) and of a stop by signal (130) are then the tool's.
     */
    static final String RUN_CONSOLE = "mirari.run.console";

    private final PrintStream out;
    private final PrintStream err;
    private final Class<?> caller;
    private volatile Stores stores;

    public Boot(PrintStream out, PrintStream err, Class<?> caller) {
        this.out = out;
        this.err = err;
        this.caller = caller;
    }

    /** The stores of the booted app, or of the default directory when nothing booted yet. */
    public Stores stores() {
        Stores s = stores;
        if (s == null) {
            s = new Stores(kvDir());
            stores = s;
        }
        return s;
    }

    public int http(String[] args, AppSpec spec, HttpApp app) {
        BootTrace.step("http");
        handleStopSignals(System.getProperty(RUN_CONSOLE) != null);
        BootTrace.step("signals");
        BootParameters params;
        Network network;
        try {
            params = params(args, spec);
            BootTrace.step("parameters");
            openStores(spec);
            BootTrace.step("stores");
            network = network(params);
        } catch (Failure f) {
            return f.status;
        }
        // In a VM that can be restored from a snapshot: the listener must be there before the snapshot.
        org.mirari.runtime.internal.restore.RestoreListener.startIfRestorable(out, err);
        BootTrace.step("restore listener");
        InetSocketAddress bind = params.httpAnyAddress()
                ? new InetSocketAddress(params.httpPort())
                : new InetSocketAddress(address(params.httpAddress()), params.httpPort());
        String host = !params.httpAnyAddress()
                ? params.httpAddress()
                : network instanceof HostSockets
                        ? "127.0.0.1"
                        : network.iface().address().getHostAddress();
        var listeners = new ArrayList<Listener>();
        var https = params.https();
        if (https.isPresent()) {
            Tls tls;
            try {
                tls = TlsSetup.tls(https.get(), host, err);
            } catch (IllegalArgumentException e) {
                err.println("mirari: " + e.getMessage());
                closeQuietly(network);
                return 2;
            }
            HttpApp plain =
                    https.get().redirect() ? new HttpsRedirect(https.get().port(), host) : app;
            listeners.add(Listener.plain(bind, plain));
            listeners.add(new Listener(
                    new InetSocketAddress(bind.getAddress(), https.get().port()), tls.transports(), app));
        } else {
            listeners.add(Listener.plain(bind, app));
        }
        BootTrace.step("listeners");
        HttpServer server;
        try {
            server = HttpServer.start(listeners, ServerConfig.fromSystemProperties(bind), MonotonicClock.system(), err);
        } catch (BindException e) {
            boolean run = System.getProperty(RUN_CONSOLE) != null;
            String ports =
                    https.map(h -> params.httpPort() + " or " + h.port()).orElse(Integer.toString(params.httpPort()));
            err.println(ToolConsole.PREFIX + "cannot listen on " + params.httpAddress() + ":" + ports + ": "
                    + e.getMessage() + "; choose another port, e.g. " + (run ? "--set " : "") + "http-port=8080");
            closeQuietly(network);
            return run ? ToolConsole.EXIT_CANNOT_RUN : 1;
        } catch (IOException | RuntimeException e) {
            err.println("mirari: cannot start the HTTP server on " + params.httpAddress() + ":" + params.httpPort());
            e.printStackTrace(err);
            closeQuietly(network);
            return 1;
        }
        BootTrace.step("server started");
        // A snapshot is taken when the app reports listening: its server's request path goes in warm.
        if (org.mirari.runtime.internal.restore.RestoreListener.restorable())
            org.mirari.runtime.internal.restore.RestoreListener.primeServer(server.address());
        ready("listening url=http://" + host + ":" + server.address().getPort() + "/"
                + (https.isPresent()
                        ? " https=https://" + host + ":" + server.address(1).getPort() + "/"
                        : ""));
        BootTrace.step("listening");
        var stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    try {
                        server.shutdown(stoppedBySignal || !stopSignalsHandled ? GRACE : Duration.ZERO);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        closeQuietly(network);
                        stopped.countDown();
                    }
                },
                "mirari-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * INT, TERM and HUP end the JVM as its own handling does (the shutdown hooks, then 128 plus the
     * signal's number), after noting that a signal stopped it; only a signal handler can tell a stop
     * from outside from the app's own {@code System.exit(n)}, since a shutdown hook runs for both. In
     * the tool's place (the launcher's quick path, {@code quick}), Ctrl-C and SIGTERM end like the
     * tool's run, with 130, while the app's own exit keeps its {@code n}.
     */
    private static void handleStopSignals(boolean quick) {
        boolean all = true;
        try {
            for (String name : new String[] {"INT", "TERM", "HUP"}) {
                boolean as130 = quick && !name.equals("HUP");
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                        stoppedBySignal = true;
                        System.exit(as130 ? ToolConsole.EXIT_INTERRUPTED : 128 + signal.getNumber());
                    });
                } catch (IllegalArgumentException e) {
                    all = false; // the signal is reserved here (e.g. -Xrs): the JVM's own handling stays
                }
            }
        } catch (LinkageError e) {
            all = false; // a runtime image without jdk.unsupported (depends: -jdk.unsupported)
        }
        stopSignalsHandled = all;
    }

    public int ip(String[] args, AppSpec spec, IpApp app) {
        Network network;
        BootParameters params;
        try {
            params = params(args, spec);
            openStores(spec);
            network = network(params);
        } catch (Failure f) {
            return f.status;
        }
        // On the host's sockets (a container's), after the readiness line: see HealthPort.
        HealthPort health = null;
        try {
            if (network instanceof HostSockets) health = health(params);
            app.run(network instanceof HostSockets h ? h.network() : network);
            return 0;
        } catch (Failure f) {
            return f.status;
        } catch (Throwable t) {
            return appFailed(t);
        } finally {
            if (health != null) health.close();
            closeQuietly(network);
        }
    }

    public int noip(String[] args, AppSpec spec, NoIpApp app) {
        BootParameters params;
        try {
            params = params(args, spec);
            openStores(spec);
        } catch (Failure f) {
            return f.status;
        }
        HealthPort health = null;
        try {
            health = health(params); // no readiness line: ready as it starts
            app.run();
            return 0;
        } catch (Failure f) {
            return f.status;
        } catch (Throwable t) {
            return appFailed(t);
        } finally {
            if (health != null) health.close();
        }
    }

    /** The {@code health-port} listener, when the parameters ask for one; a port in use is exit 1 with the fix. */
    private HealthPort health(BootParameters params) throws Failure {
        if (params.healthPort().isEmpty()) return null;
        int port = params.healthPort().getAsInt();
        try {
            return HealthPort.open(params.httpAddress(), port);
        } catch (IOException e) {
            err.println(ToolConsole.PREFIX + "cannot listen on health-port " + params.httpAddress() + ":" + port + ": "
                    + e.getMessage() + "; choose another, e.g. health-port=8099");
            throw new Failure(1);
        }
    }

    private int appFailed(Throwable t) {
        err.println("mirari: the app failed:");
        t.printStackTrace(err);
        return 1;
    }

    /** A boot step failed; the message is printed already. */
    private static final class Failure extends RuntimeException {
        final int status;

        Failure(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    private BootParameters params(String[] args, AppSpec spec) {
        try {
            // Containers pass boot-time parameters in the environment too (-Dmirari.boot.env=true in the image).
            return Boolean.getBoolean("mirari.boot.env")
                    ? BootParameters.parse(args, spec, System.getenv())
                    : BootParameters.parse(args, spec);
        } catch (IllegalArgumentException e) {
            err.println("mirari: " + e.getMessage());
            throw new Failure(2);
        }
    }

    private void openStores(AppSpec spec) {
        Stores s = new Stores(kvDir());
        for (String name : spec.stores()) {
            try {
                s.get(name);
            } catch (IllegalArgumentException e) {
                err.println("mirari: " + e.getMessage());
                throw new Failure(1);
            }
        }
        stores = s;
    }

    /** Whether {@code mirari.kv.dir} names the KV directory: then the caller given to Boot is not used. */
    public static boolean kvDirGiven() {
        String dir = System.getProperty("mirari.kv.dir");
        return dir != null && !dir.isBlank();
    }

    /** {@code mirari.kv.dir}, else {@code kv/} beside the jar (or classes directory) of the app's Main. */
    private Path kvDir() {
        if (kvDirGiven()) {
            return Path.of(System.getProperty("mirari.kv.dir"));
        }
        try {
            var source = caller.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI());
                Path parent = location.toAbsolutePath().getParent();
                if (parent != null) {
                    return parent.resolve("kv");
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("kv");
    }

    /** The host's network, marked so that the listening URL uses loopback for {@code *}. */
    private record HostSockets(Network network) implements Network {
        @Override
        public NetInterface iface() {
            return network.iface();
        }

        @Override
        public java.util.List<NetInterface> interfaces() {
            return network.interfaces();
        }
    }

    private Network network(BootParameters params) {
        String spec = System.getProperty("mirari.net", "").strip();
        Network network;
        if (spec.isEmpty() || spec.equals("host")) {
            HostSelector.preferTheJdks();
            try {
                network = new HostSockets(HostNetwork.describe(params));
                BootTrace.step("host network");
            } catch (IOException e) {
                err.println("mirari: cannot list the host's network interfaces: " + e.getMessage());
                throw new Failure(1);
            }
        } else {
            int colon = spec.indexOf(':');
            String scheme = colon < 0 ? spec : spec.substring(0, colon);
            String target = colon < 0 ? "" : spec.substring(colon + 1);
            NetworkProvider provider = ServiceLoader.load(NetworkProvider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.scheme().equals(scheme))
                    .findFirst()
                    .orElse(null);
            if (provider == null) {
                err.println("mirari: no network provider for mirari.net=" + spec
                        + "; put mirari-net on the class path (mirari build --unix does)");
                throw new Failure(1);
            }
            try {
                network = provider.open(target, params, out, err);
            } catch (IOException | RuntimeException e) {
                err.println("mirari: cannot bring up " + spec + ": " + e.getMessage());
                throw new Failure(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure(130);
            }
        }
        NetInterface i = network.iface();
        ready("network address=" + i.address().getHostAddress() + " netmask="
                + i.netmask().getHostAddress()
                + i.gateway().map(g -> " gateway=" + g.getHostAddress()).orElse(""));
        return network;
    }

    private static Inet4Address address(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted); // already validated as a dotted quad
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints {@code mirari-ready: <what> uptime_ms=N [boot_ms=N]}. */
    private void ready(String what) {
        var system = ProcClocks.systemUptimeMs(); // one read of /proc/uptime for both clocks
        long uptime = uptimeMs(system);
        BootTrace.step("uptime");
        var console = System.getProperty(RUN_CONSOLE);
        if (console != null) {
            // The line the tool prints for the readiness line it would have read (none when quiet).
            if (!console.equals("quiet")) {
                var r = ReadyLine.parse(ReadyLine.PREFIX + what).orElseThrow();
                err.println(ToolConsole.PREFIX + ToolConsole.ready(r.phase(), r.detail(), uptime));
                err.flush();
            }
            return;
        }
        var line = new StringBuilder(ReadyLine.PREFIX)
                .append(what)
                .append(" uptime_ms=")
                .append(uptime);
        bootMs(system).ifPresent(ms -> line.append(" boot_ms=").append(ms));
        BootTrace.step("boot clock");
        out.println(line);
        out.flush();
        BootTrace.step("ready line");
    }

    /**
     * Milliseconds since this process started (the OS's record of its start): from {@code /proc} on
     * Linux (see {@link ProcClocks} for why not {@code ProcessHandle}), else from {@code ProcessHandle}.
     *
     * @param systemUptimeMs the system's uptime, as {@link ProcClocks#systemUptimeMs()} read it
     */
    static long uptimeMs(java.util.OptionalLong systemUptimeMs) {
        var proc = ProcClocks.processUptimeMs(systemUptimeMs);
        if (proc.isPresent()) return proc.getAsLong();
        return ProcessHandle.current()
                .info()
                .startInstant()
                .map(start -> Math.max(0, Duration.between(start, Instant.now()).toMillis()))
                .orElse(0L);
    }

    /**
     * The guest clock ({@code /proc/uptime}) when this JVM is a VM's whole userspace: PID 1, or
     * {@code -Dmirari.vm=true} when an init script starts it (asked first: a VM's boot then never
     * initializes {@code ProcessHandle}).
     *
     * @param systemUptimeMs the system's uptime, as {@link ProcClocks#systemUptimeMs()} read it
     */
    static java.util.OptionalLong bootMs(java.util.OptionalLong systemUptimeMs) {
        if (!Boolean.getBoolean("mirari.vm") && ProcessHandle.current().pid() != 1) {
            return java.util.OptionalLong.empty();
        }
        return systemUptimeMs;
    }

    private static void closeQuietly(Network network) {
        Object n = network instanceof HostSockets ? null : network;
        if (n instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // shutting down anyway
            }
        }
    }
}
