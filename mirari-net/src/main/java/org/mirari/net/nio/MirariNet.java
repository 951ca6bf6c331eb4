package org.mirari.net.nio;

import java.io.IOException;
import org.mirari.net.NetClock;
import org.mirari.net.stack.NetStack;

/**
 * The stack the JVM-wide {@link MirariSelectorProvider} uses. The JDK instantiates a selector
 * provider by class name with no arguments, so the stack cannot be passed in: the network
 * provider installs it here once the interface is up, and removes it on shutdown.
 */
public final class MirariNet {
    private record Installed(NetStack stack, NetClock clock) {}

    private static volatile Installed installed;

    private MirariNet() {}

    public static void install(NetStack stack, NetClock clock) {
        installed = new Installed(stack, clock);
    }

    public static void uninstall(NetStack stack) {
        var i = installed;
        if (i != null && i.stack == stack) installed = null;
    }

    static NetStack stack() throws IOException {
        var i = installed;
        if (i == null)
            throw new IOException(
                    "Mirari's network is not up in this JVM (no -Dmirari.net=tap:<name>, or it is shutting down)");
        return i.stack;
    }

    private static boolean socketsInstalled;

    /**
     * Puts plain {@link java.net.Socket} and {@link java.net.ServerSocket} (and so
     * {@code HttpURLConnection}) on Mirari's stack, through the JDK's JVM-wide
     * {@code Socket.setSocketImplFactory} and {@code ServerSocket.setSocketFactory} (deprecated
     * since JDK 17, still there in 25). Both can be set once per JVM; a second call does nothing.
     * Uses the JVM-wide {@link MirariSelectorProvider} when that is the provider, else one on the
     * installed stack.
     */
    @SuppressWarnings("deprecation")
    public static synchronized void installSocketFactories() throws IOException {
        if (socketsInstalled) return;
        var p = java.nio.channels.spi.SelectorProvider.provider() instanceof MirariSelectorProvider m
                ? m
                : new MirariSelectorProvider();
        java.net.Socket.setSocketImplFactory(() -> new StackSocketImpl(p, false));
        java.net.ServerSocket.setSocketFactory(() -> new StackSocketImpl(p, true));
        socketsInstalled = true;
    }

    static NetClock clock() {
        var i = installed;
        return i == null ? NetClock.SYSTEM : i.clock;
    }
}
