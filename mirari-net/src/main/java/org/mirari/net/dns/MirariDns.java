package org.mirari.net.dns;

import java.util.Optional;

/**
 * The stub resolver the JVM-wide {@link MirariResolverProvider} uses. The JDK makes the provider
 * once, at the first name lookup, with no way to hand it the stack; the network provider installs
 * the stub here once the interface is up (and removes it on shutdown). While none is installed,
 * names resolve as the JDK would (the host's resolver), which is right for {@code --socket}.
 */
public final class MirariDns {
    private static volatile DnsStub installed;

    private MirariDns() {}

    public static void install(DnsStub stub) {
        installed = stub;
    }

    public static void uninstall(DnsStub stub) {
        if (installed == stub) installed = null;
    }

    static Optional<DnsStub> current() {
        return Optional.ofNullable(installed);
    }
}
