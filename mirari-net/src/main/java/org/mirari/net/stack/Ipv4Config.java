package org.mirari.net.stack;

import java.util.Optional;
import org.mirari.net.wire.Ipv4Address;

/** The interface's IPv4 configuration, static or from a DHCP lease. */
public record Ipv4Config(Ipv4Address address, Ipv4Address netmask, Optional<Ipv4Address> gateway) {
    public Ipv4Config {
        if (netmask.prefixLength() < 0) throw new IllegalArgumentException("netmask " + netmask + " is not contiguous");
        if (address.isAny() || address.isBroadcast() || address.isMulticast())
            throw new IllegalArgumentException(address + " is not a unicast host address");
    }

    public static Ipv4Config of(String address, String netmask, String gateway) {
        return new Ipv4Config(
                Ipv4Address.parse(address),
                Ipv4Address.parse(netmask),
                gateway == null ? Optional.empty() : Optional.of(Ipv4Address.parse(gateway)));
    }

    public boolean onLink(Ipv4Address a) {
        return a.sameSubnet(address, netmask);
    }

    /** The directed broadcast address of the subnet. */
    public Ipv4Address subnetBroadcast() {
        return new Ipv4Address(address.bits() | ~netmask.bits());
    }
}
