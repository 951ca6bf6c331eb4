/**
 * Mirari's pure-Java userspace network stack, in four layers with dependencies pointing down:
 * {@code wire} (packet formats as views over buffers plus parsed records), {@code device} (frames
 * in and out: tap, loopback, virtual switch, fault injector, pcap recorder), {@code stack} (the
 * interface: ARP, IPv4, ICMP, UDP sockets, DHCP client, driven by the caller's time) and
 * {@code nio} (a {@link java.nio.channels.spi.SelectorProvider} so plain JDK channels run on it).
 * Only the JDK and mirari-runtime's API are used.
 */
package org.mirari.net;
