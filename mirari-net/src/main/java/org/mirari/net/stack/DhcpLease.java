package org.mirari.net.stack;

import java.util.List;
import java.util.Optional;
import org.mirari.net.wire.Ipv4Address;

/**
 * A lease from a DHCP server. Times are the caller's nanoseconds.
 *
 * @param renewAt  T1: when to start renewing with the server (RFC 2131 4.4.5)
 * @param rebindAt T2: when to start asking any server
 * @param expiresAt when the address must no longer be used
 */
public record DhcpLease(
        Ipv4Address address,
        Ipv4Address netmask,
        Optional<Ipv4Address> router,
        List<Ipv4Address> dns,
        Ipv4Address server,
        long leaseSeconds,
        long renewAt,
        long rebindAt,
        long expiresAt) {
    public DhcpLease {
        dns = List.copyOf(dns);
    }

    public Ipv4Config config() {
        return new Ipv4Config(address, netmask, router);
    }
}
