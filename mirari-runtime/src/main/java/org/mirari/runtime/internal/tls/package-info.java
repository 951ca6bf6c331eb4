/**
 * HTTPS for the server in {@code internal.http}: {@code TlsTransport} runs a JDK {@link
 * javax.net.ssl.SSLEngine} over a connection's non-blocking socket (so TLS works wherever the
 * server's channels do: host sockets, Mirari's own stack, the VMs), {@code Tls} makes the engines
 * (TLS 1.3 and 1.2 only, AEAD suites with forward secrecy, RFC 8446 and RFC 9325), {@code Pem}
 * reads the certificate and key, and {@code SelfSigned} writes a certificate for local use (X.509
 * DER, RFC 5280) with the JDK's signatures, since the JDK has no public API to make one.
 */
package org.mirari.runtime.internal.tls;
