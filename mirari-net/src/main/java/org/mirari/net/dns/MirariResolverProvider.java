package org.mirari.net.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves names through Mirari's own stack on {@code --unix}: registered as a service
 * ({@code META-INF/services/java.net.spi.InetAddressResolverProvider}, JEP 418), so that
 * {@link InetAddress#getByName} and everything built on it ({@code HttpClient}, JDBC drivers, Netty)
 * ask the DNS server of the app's own network, not the host's. With no stub installed
 * ({@link MirariDns}), and for {@code localhost} (RFC 6761 section 6.3), the machine's own host name
 * (which {@link InetAddress#getLocalHost} looks up, and which {@code /etc/hosts} knows, not DNS) and
 * reverse lookups of loopback addresses, it answers as the JDK's built-in resolver does. IPv4 only: a lookup that asks
 * for IPv6 addresses alone finds none. Reverse lookups of other addresses are not supported (no PTR
 * queries), so {@link InetAddress#getHostName} gives the literal, as with an unknown address.
 */
public final class MirariResolverProvider extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        var builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                var stub = MirariDns.current();
                var lower = host.toLowerCase(Locale.ROOT);
                if (stub.isEmpty()
                        || lower.equals("localhost")
                        || lower.endsWith(".localhost")
                        || lower.equals("localhost.")
                        || lower.equals(HOST_NAME)) return builtin.lookupByName(host, policy);
                if ((policy.characteristics() & LookupPolicy.IPV4) == 0)
                    throw new UnknownHostException(host + ": Mirari's stack has IPv4 only");
                try {
                    var found = stub.get().lookup(host);
                    var out = new InetAddress[found.size()];
                    for (int i = 0; i < out.length; i++)
                        out[i] = InetAddress.getByAddress(
                                host, found.get(i).toInet().getAddress());
                    return Stream.of(out);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UnknownHostException(host + ": interrupted");
                }
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                if (MirariDns.current().isEmpty() || (addr.length == 4 && addr[0] == 127))
                    return builtin.lookupByAddress(addr);
                throw new UnknownHostException("reverse lookups are not supported on Mirari's stack");
            }
        };
    }

    @Override
    public String name() {
        return "mirari";
    }

    /** The kernel's host name (uname -n), read without a lookup: the resolver must not recurse. */
    private static final String HOST_NAME = readHostName();

    private static String readHostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
                    .strip()
                    .toLowerCase(Locale.ROOT);
        } catch (java.io.IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
