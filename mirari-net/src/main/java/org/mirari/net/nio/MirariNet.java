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

    public static void install(NetStack stack, NetClock clock) { installed = new Installed(stack, clock); }

    public static void uninstall(NetStack stack) {
        var i = installed;
        if (i != null && i.stack == stack) installed = null;
    }

    static NetStack stack() throws IOException {
        var i = installed;
        if (i == null) throw new IOException("Mirari's network is not up in this JVM (no -Dmirari.net=tap:<name>, or it is shutting down)");
        return i.stack;
    }

    static NetClock clock() {
        var i = installed;
        return i == null ? NetClock.SYSTEM : i.clock;
    }
}
