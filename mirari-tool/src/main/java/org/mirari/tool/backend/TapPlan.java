package org.mirari.tool.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host side of a {@code --unix} run, as values: the tap, the host's address on it, and, when the
 * app uses DHCP, the DHCP server to start. {@code run} carries it out and undoes what it did.
 *
 * @param tap          the tap device's name
 * @param hostAddress  the host's address on the tap, dotted quad
 * @param prefix       the subnet's prefix length
 * @param appMac       the MAC the app's stack uses (stable per app, so DHCP hands it the same address)
 * @param dhcpRange    first and last address the DHCP server may hand out, when the app uses DHCP
 * @param dhcpAddress  the address DHCP reserves for the app's MAC (the conf's {@code ip-address} when it
 *                     fits the subnet), so the app's address is the same with and without DHCP
 * @param leaseFile    where the DHCP server keeps its leases
 * @param responderCommand  Mirari's own one-client DHCP server (from {@code mirari-net}), used when
 *                     dnsmasq is not installed
 */
public record TapPlan(
        String tap,
        String hostAddress,
        int prefix,
        String appMac,
        Optional<List<String>> dhcpRange,
        Optional<String> dhcpAddress,
        Path leaseFile,
        Optional<List<String>> responderCommand) {

    /** The commands that create and configure the tap when it does not exist yet. */
    public List<List<String>> createCommands() {
        return List.of(
                List.of("ip", "tuntap", "add", "dev", tap, "mode", "tap"),
                // marks the tap as made by a run, so a run that crashed before removing it is recognised
                List.of("ip", "link", "set", "dev", tap, "alias", TAP_ALIAS),
                List.of("ip", "addr", "add", hostAddress + "/" + prefix, "dev", tap),
                // A host-local link: both ends take the largest MTU a tap allows, so one frame (one system
                // call) carries up to 64 KiB; the app's stack reads it from the tap when it opens it.
                List.of("ip", "link", "set", "dev", tap, "mtu", String.valueOf(HOST_LOCAL_MTU)),
                List.of("ip", "link", "set", "dev", tap, "up"));
    }

    /** The tap's MTU when a run creates it: the largest Linux takes on a tap (65535 less headroom, as rootlesskit and pasta use). */
    public static final int HOST_LOCAL_MTU = 65520;

    /** What removes a tap this run created. */
    public List<String> deleteCommand() {
        return List.of("ip", "link", "del", "dev", tap);
    }

    /** dnsmasq as the tap's DHCP server (and nothing else: no DNS, no other interface). */
    public Optional<List<String>> dnsmasqCommand(String dnsmasq) {
        return dhcpRange.map(range -> {
            var cmd = new ArrayList<String>(List.of(
                    dnsmasq,
                    "--no-daemon",
                    "--conf-file=/dev/null",
                    "--port=0",
                    "--interface=" + tap,
                    "--except-interface=lo",
                    "--bind-dynamic",
                    "--no-ping",
                    "--dhcp-range=" + range.get(0) + "," + range.get(1) + "," + netmask() + ",1h",
                    "--dhcp-leasefile=" + leaseFile,
                    "--dhcp-authoritative"));
            dhcpAddress.ifPresent(a -> cmd.add("--dhcp-host=" + appMac + "," + a));
            return List.copyOf(cmd);
        });
    }

    public String netmask() {
        long m = prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
        return (m >>> 24) + "." + (m >>> 16 & 0xff) + "." + (m >>> 8 & 0xff) + "." + (m & 0xff);
    }

    /** The commands a user without root runs once so that {@code mirari run --unix} can use the tap. */
    public String grantCommands(String user) {
        return "sudo ip tuntap add dev " + tap + " mode tap user " + user
                + " && sudo ip addr add " + hostAddress + "/" + prefix + " dev " + tap
                + " && sudo ip link set dev " + tap + " up";
    }

    public static final String TAP_ALIAS = "mirari-run";
}
