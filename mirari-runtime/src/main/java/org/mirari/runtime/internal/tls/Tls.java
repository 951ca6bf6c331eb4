package org.mirari.runtime.internal.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.mirari.runtime.internal.http.Transport;

/**
 * The server's TLS settings, made once at boot: TLS 1.3 and 1.2 only (RFC 8996 deprecates the
 * older ones), and for 1.2 only ECDHE with an AEAD cipher (RFC 9325 §4.2), the server's order
 * preferred, client-initiated renegotiation refused. Session resumption is the JDK's (TLS 1.3
 * tickets, RFC 8446 §4.6.1; 1.2 session IDs); OCSP stapling is switched on, which answers only for
 * certificates that name an OCSP responder.
 */
public final class Tls {
    /** TLS 1.3 first. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final String[] suites;
    private final String[] alpn;

    private Tls(SSLContext context, String[] alpn) {
        this.context = context;
        this.alpn = alpn;
        String[] supported = context.getSupportedSSLParameters().getCipherSuites();
        this.suites = Arrays.stream(supported).filter(Tls::modern).toArray(String[]::new);
    }

    /** TLS 1.3's suites (all AEAD), and 1.2's ECDHE ones with GCM or ChaCha20-Poly1305. */
    static boolean modern(String suite) {
        if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
            return true;
        }
        return suite.startsWith("TLS_ECDHE_")
                && (suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305"))
                && !suite.contains("_CCM");
    }

    /**
     * Settings for {@code chain} (leaf first) and its {@code key}, offering {@code alpn} (e.g.
     * {@code http/1.1}) in order.
     */
    public static Tls of(List<X509Certificate> chain, PrivateKey key, List<String> alpn) {
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        if (System.getProperty("jdk.tls.server.enableStatusRequestExtension") == null) {
            System.setProperty("jdk.tls.server.enableStatusRequestExtension", "true");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("server", key, none, chain.toArray(Certificate[]::new));
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new Tls(context, alpn.toArray(String[]::new));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("the TLS key does not fit the certificate or cannot be used ("
                    + e.getMessage() + "); give the key of the certificate's public key");
        }
    }

    /** A server engine with these settings. */
    public SSLEngine engine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(PROTOCOLS);
        p.setCipherSuites(suites);
        p.setUseCipherSuitesOrder(true);
        p.setApplicationProtocols(alpn);
        engine.setSSLParameters(p);
        return engine;
    }

    /** The transports of an HTTPS listener. */
    public Transport.Factory transports() {
        return channel -> new TlsTransport(channel, engine());
    }

    /** The cipher suites offered (for tests and the log). */
    public List<String> suites() {
        return List.of(suites);
    }
}
