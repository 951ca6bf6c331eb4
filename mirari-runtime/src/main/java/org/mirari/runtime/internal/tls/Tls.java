package org.mirari.runtime.internal.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedKeyManager;
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
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new OneKey(chain.toArray(X509Certificate[]::new), key)}, null, null);
            return new Tls(context, alpn.toArray(String[]::new));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "the TLS key cannot be used (" + e.getMessage() + "); give an EC, RSA or Ed25519 key in PKCS #8");
        }
    }

    /**
     * The server's one certificate and key, handed to the engine as they are. The JDK's key managers
     * take them only from a {@link java.security.KeyStore}, whose PKCS #12 entries are encrypted
     * (10,000 rounds of PBKDF2 to store and again to read): about 110 ms at start with C1, and
     * seconds in a guest under emulation, for a key that is already in memory.
     */
    private static final class OneKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "server";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        OneKey(X509Certificate[] chain, PrivateKey key) {
            this.chain = chain;
            this.key = key;
        }

        /** The alias when the engine asks for this key's type ("EC", "RSA", "RSASSA-PSS", "EdDSA"). */
        private String alias(String keyType) {
            String alg = key.getAlgorithm();
            boolean edwards = (alg.equals("EdDSA") || alg.equals("Ed25519"))
                    && (keyType.equals("EdDSA") || keyType.equals("Ed25519"));
            return keyType.equals(alg) || edwards ? ALIAS : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias(keyType);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return alias(keyType) == null ? null : new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null; // a server only
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
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
