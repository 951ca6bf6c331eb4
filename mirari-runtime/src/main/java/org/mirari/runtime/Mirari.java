package org.mirari.runtime;

import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.internal.boot.Boot;
import org.mirari.runtime.internal.boot.BootTrace;
import org.mirari.runtime.kv.KvStore;

/**
 * The entry points that the generated {@code Main} calls, one per entry kind, and the app's
 * access to its KV stores. {@code args} are the process arguments: boot-time parameters as
 * {@code key=value} ({@code http-port=9090}) that override {@link AppSpec#defaults()}
 * (see {@link BootParameters}).
 *
 * <p>Each entry point boots in this order: boot-time parameters (a bad one: message on stderr,
 * exit 2), KV stores from {@code -Dmirari.kv.dir} (default {@code kv/} beside the app's jar;
 * a missing one: exit 1), the network (host sockets, or {@code -Dmirari.net=tap:<name>} through
 * {@link org.mirari.runtime.spi.NetworkProvider}) and then the app. Progress goes to stdout as
 * readiness lines:
 * <pre>
 * mirari-ready: network address=10.0.0.2 netmask=255.255.255.0 gateway=10.0.0.1 uptime_ms=412
 * mirari-ready: listening url=http://127.0.0.1:8080/ uptime_ms=530
 * </pre>
 * ({@code gateway=} only when there is one; {@code boot_ms=} from {@code /proc/uptime} appended
 * when the JVM is PID 1 or runs with {@code -Dmirari.vm=true}). An exception escaping the app
 * prints its stack trace and exits with status 1.
 */
public final class Mirari {
    private static final Boot BOOT = boot();

    private Mirari() {}

    /**
     * Boots a {@code main-http} app: network, KV stores, then the HTTP server on
     * {@code http-address:http-port}; returns only when the JVM shuts down (SIGTERM, Ctrl-C),
     * after requests in progress have finished. A handler's exception becomes a 500 response
     * (stack trace on stderr), not an exit.
     */
    public static void http(String[] args, AppSpec spec, HttpApp app) {
        exitIfFailed(BOOT.http(args, spec, app));
    }

    /** Boots a {@code main-ip} app: network and KV stores, then calls {@code app}. */
    public static void ip(String[] args, AppSpec spec, IpApp app) {
        exitIfFailed(BOOT.ip(args, spec, app));
    }

    /** Boots a {@code main-noip} app: KV stores, then calls {@code app}; returns when it does. */
    public static void noip(String[] args, AppSpec spec, NoIpApp app) {
        exitIfFailed(BOOT.noip(args, spec, app));
    }

    /**
     * Registers {@code hook} to run each time this app's VM is restored from a snapshot
     * ({@code mirari run --qemu} restores a snapshot taken once the app listened), before any request
     * from outside reaches the restored copy. The runtime has then already set the clock and reseeded
     * the kernel's RNG and the JVM's {@code SecureRandom}; what the app made before the snapshot (keys,
     * tokens, its own generators) is the same in every copy unless a hook makes it anew. Never called
     * outside a restored VM.
     */
    public static void afterRestore(RestoreHook hook) {
        org.mirari.runtime.internal.restore.RestoreListener.register(hook);
    }

    /**
     * The KV store named by {@code fs-<name>} (mapped once, then shared);
     * {@link IllegalArgumentException} if there is none.
     */
    public static KvStore store(String name) {
        return BOOT.stores().get(name);
    }

    private static Boot boot() {
        BootTrace.to(System.err);
        BootTrace.step("runtime");
        // The caller only locates the default KV directory; with -Dmirari.kv.dir (which every image
        // sets) it is never asked for, and walking the stack took 200 ms of a VM's boot under TCG.
        var caller = Boot.kvDirGiven() ? Mirari.class : callerOfMain();
        BootTrace.step("caller");
        return new Boot(System.out, System.err, caller);
    }

    private static void exitIfFailed(int status) {
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The class whose jar locates the default KV directory: the app's {@code Main}, if found. */
    private static Class<?> callerOfMain() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.filter(f -> f.getMethodName().equals("main")
                                && !f.getDeclaringClass().getName().startsWith("org.mirari.runtime."))
                        .reduce((first, second) -> second) // the outermost main
                        .<Class<?>>map(StackWalker.StackFrame::getDeclaringClass)
                        .orElse(Mirari.class));
    }
}
