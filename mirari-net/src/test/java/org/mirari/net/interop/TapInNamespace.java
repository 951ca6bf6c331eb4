package org.mirari.net.interop;

import java.security.SecureRandom;
import org.mirari.net.device.TapDevice;
import org.mirari.net.wire.Ipv4Address;
import org.mirari.net.wire.MacAddress;

/**
 * A tap opened in the test JVM's namespace, then moved into a fresh namespace where the kernel
 * side ({@code host}/24) lives; the attached fd keeps working across the move.
 */
final class TapInNamespace implements AutoCloseable {
    final Netns ns;
    final String tap;
    final TapDevice device;

    TapInNamespace(Ipv4Address host) throws Exception {
        ns = new Netns();
        tap = Netns.unique("mt");
        Netns.run("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        device = TapDevice.open(tap, MacAddress.randomLocal(new SecureRandom()));
        Netns.run("ip", "link", "set", tap, "netns", ns.name);
        Netns.run("ip", "-n", ns.name, "addr", "add", host + "/24", "dev", tap);
        Netns.run("ip", "-n", ns.name, "link", "set", tap, "up");
    }

    @Override
    public void close() throws Exception {
        device.close();
        ns.close();
        Netns.exec(10, "ip", "link", "del", tap); // if it never moved
    }
}
