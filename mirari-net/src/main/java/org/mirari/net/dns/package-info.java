/**
 * Names on Mirari's own stack: a DNS stub resolver for A records over the stack's UDP
 * ({@link org.mirari.net.dns.DnsStub}) and the JDK resolver provider that puts it under
 * {@link java.net.InetAddress} ({@link org.mirari.net.dns.MirariResolverProvider}). Uses {@code stack}
 * for sockets and {@code wire} for the message format.
 */
package org.mirari.net.dns;
