package org.mirari.runtime.internal.boot;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.net.NetInterface;
import org.mirari.runtime.net.Network;

/**
 * The network of an app on host sockets: the host interface that carries the configured
 * address ({@code http-address}, else {@code ip-address}), else the one of the default route,
 * else loopback. The host owns it; the app only describes it.
 */
final class HostNetwork {
    private HostNetwork() {}

    static Network describe(BootParameters params) throws SocketException {
        // read once: the gateway of the interface chosen comes from the same table
        Optional<DefaultRoute> table = DefaultRoute.read();
        Optional<String> defaultRoute = table.map(DefaultRoute::device);
        NetInterface chosen = null;
        boolean chosenByRoute = false;
        // The enumeration, not networkInterfaces(): no stream framework in a VM's boot (see Ascii).
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                if (!(ia.getAddress() instanceof Inet4Address a)) {
                    continue;
                }
                boolean carries = !params.httpAnyAddress() && a.getHostAddress().equals(params.httpAddress())
                        || a.equals(params.ipAddress());
                boolean route = defaultRoute.isPresent() && defaultRoute.get().equals(nif.getName());
                if (carries) {
                    return Network.of(List.of(describe(nif, a, ia.getNetworkPrefixLength(), table)));
                }
                if (route && !chosenByRoute) {
                    chosen = describe(nif, a, ia.getNetworkPrefixLength(), table);
                    chosenByRoute = true;
                } else if (chosen == null && nif.isLoopback()) {
                    chosen = describe(nif, a, ia.getNetworkPrefixLength(), table);
                }
            }
        }
        if (chosen == null) {
            chosen = new NetInterface(
                    "lo", "", (Inet4Address) InetAddress.getLoopbackAddress(), mask(8), Optional.empty());
        }
        return Network.of(List.of(chosen));
    }

    private static NetInterface describe(NetworkInterface nif, Inet4Address a, int prefix, Optional<DefaultRoute> route)
            throws SocketException {
        byte[] hw = nif.getHardwareAddress();
        String mac =
                hw == null || hw.length == 0 ? "" : HexFormat.ofDelimiter(":").formatHex(hw);
        Optional<Inet4Address> gateway =
                route.filter(r -> r.device().equals(nif.getName())).map(DefaultRoute::gateway);
        return new NetInterface(nif.getName(), mac, a, mask(prefix), gateway);
    }

    static Inet4Address mask(int prefix) {
        return ipv4(prefix <= 0 ? 0 : -1 << (32 - Math.min(prefix, 32)));
    }

    /** The IPv4 address whose 32 bits, most significant first, are {@code a}. */
    static Inet4Address ipv4(int a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (IOException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
