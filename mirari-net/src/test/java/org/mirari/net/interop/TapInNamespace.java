package org.mirari.net.interop;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.mirari.net.Await;
import org.mirari.net.NetClock;
import org.mirari.net.device.NetDevice;
import org.mirari.net.device.TapDevice;
import org.mirari.net.device.TapOffload;
import org.mirari.net.stack.Ipv4Config;
import org.mirari.net.stack.NetStack;
import org.mirari.net.stack.StackDriver;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/**
 * The fixture of the tap ITs: a tap opened in the test JVM's namespace, then moved into a fresh
 * namespace where the kernel side ({@code host}/24) lives (the attached fd keeps working across
 * the move), and the stack on it with its driver. {@link #close} undoes all of it.
 */
final class TapInNamespace implements AutoCloseable {
    final Netns ns;
    final String tap;
    final TapDevice device;
    private NetStack stack;

    /** Rung each time the stack's driver has handled all it had: what the tests wait for in the stack. */
    final Await.Signal settled = new Await.Signal();

    private StackDriver driver;

    /** Skips the calling test, saying why, when namespaces or taps are unavailable or a tool is missing. */
    static void assumeAvailable(String test, String... tools) {
        String why = Netns.unavailableReason();
        for (var t : tools) if (why == null && Netns.which(t) == null) why = t + " is not installed";
        if (why != null) System.out.println(test + " skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
    }

    /** A plain tap at the kernel's default MTU. */
    TapInNamespace(Ipv4Address host) throws Exception {
        this(host, 0, TapOffload.NONE);
    }

    /** A tap at {@code mtu} (0: the kernel's default) opened asking for {@code offload}. */
    TapInNamespace(Ipv4Address host, int mtu, TapOffload offload) throws Exception {
        ns = new Netns();
        tap = Netns.unique("mt");
        Netns.run("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        if (mtu > 0) Netns.run("ip", "link", "set", tap, "mtu", Integer.toString(mtu));
        device = TapDevice.open(tap, MacAddress.randomLocal(new SecureRandom()), offload);
        Netns.run("ip", "link", "set", tap, "netns", ns.name);
        Netns.run("ip", "-n", ns.name, "addr", "add", host + "/24", "dev", tap);
        Netns.run("ip", "-n", ns.name, "link", "set", tap, "up");
    }

    /** The stack on {@code dev} (the tap, or a decorator of it), made once; not configured, no driver yet. */
    NetStack stack(NetDevice dev) {
        if (stack == null) stack = new NetStack(Await.ringingOnIdle(dev, settled), new SecureRandom());
        return stack;
    }

    /** The stack on the tap itself. */
    NetStack stack() {
        return stack(device);
    }

    /** Starts the driver of the stack made before. */
    void startDriver() {
        driver = new StackDriver(stack, NetClock.SYSTEM, System.err).start();
    }

    /** A stack on {@code dev} at {@code app}/24 with the kernel side as its gateway, driven. */
    NetStack startStatic(NetDevice dev, Ipv4Address app, Ipv4Address host) throws Exception {
        stack(dev).configure(new Ipv4Config(app, Ipv4Address.netmask(24), Optional.of(host)), NetClock.SYSTEM.nanos());
        startDriver();
        return stack;
    }

    @Override
    public void close() throws Exception {
        if (driver != null) driver.close();
        if (stack != null) stack.close();
        device.close();
        ns.close();
        Netns.exec(10, "ip", "link", "del", tap); // if it never moved
    }
}
