package org.mirari.runtime.internal.boot;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Optional<String> defaultRoute = defaultRoute().map(Route::device);
        NetInterface chosen = null;
        boolean chosenByRoute = false;
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
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
                    return Network.of(List.of(describe(nif, a, ia.getNetworkPrefixLength())));
                }
                if (route && !chosenByRoute) {
                    chosen = describe(nif, a, ia.getNetworkPrefixLength());
                    chosenByRoute = true;
                } else if (chosen == null && nif.isLoopback()) {
                    chosen = describe(nif, a, ia.getNetworkPrefixLength());
                }
            }
        }
        if (chosen == null) {
            chosen = new NetInterface(
                    "lo", "", (Inet4Address) InetAddress.getLoopbackAddress(), mask(8), Optional.empty());
        }
        return Network.of(List.of(chosen));
    }

    private static NetInterface describe(NetworkInterface nif, Inet4Address a, int prefix) throws SocketException {
        byte[] hw = nif.getHardwareAddress();
        String mac =
                hw == null || hw.length == 0 ? "" : HexFormat.ofDelimiter(":").formatHex(hw);
        Optional<Inet4Address> gateway =
                defaultRoute().filter(r -> r.device().equals(nif.getName())).map(Route::gateway);
        return new NetInterface(nif.getName(), mac, a, mask(prefix), gateway);
    }

    static Inet4Address mask(int prefix) {
        int m = prefix <= 0 ? 0 : -1 << (32 - Math.min(prefix, 32));
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Route(String device, Inet4Address gateway) {}

    /** The default IPv4 route from {@code /proc/net/route} (Linux), if any. */
    private static Optional<Route> defaultRoute() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/route"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && f[1].equals("00000000") && !f[2].equals("00000000")) {
                    int g = Integer.reverseBytes(Integer.parseUnsignedInt(f[2], 16)); // little-endian hex
                    return Optional.of(new Route(f[0], (Inet4Address) InetAddress.getByAddress(
                            new byte[] {(byte) (g >>> 24), (byte) (g >>> 16), (byte) (g >>> 8), (byte) g})));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no routing table: no gateway to report
        }
        return Optional.empty();
    }
}
