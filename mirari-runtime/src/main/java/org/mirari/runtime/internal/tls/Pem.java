package org.mirari.runtime.internal.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM text (RFC 7468): a certificate chain, leaf first, and a PKCS #8 private key
 * ({@code BEGIN PRIVATE KEY}) for EC, RSA or Ed25519. Errors name what was read and what to give.
 */
public final class Pem {
    private Pem() {}

    /** The DER of every block labelled {@code label}, in order. */
    static List<byte[]> blocks(String text, String label) {
        var out = new ArrayList<byte[]>();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int at = 0;
        while ((at = text.indexOf(begin, at)) >= 0) {
            int stop = text.indexOf(end, at);
            if (stop < 0) {
                throw new IllegalArgumentException("a PEM block " + label + " has no END line; give the whole file");
            }
            String body = text.substring(at + begin.length(), stop).replaceAll("\\s", "");
            try {
                out.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a PEM block " + label + " is not base64; give the file as written");
            }
            at = stop + end.length();
        }
        return out;
    }

    /** The certificates in {@code text}, leaf first. */
    public static List<X509Certificate> certificates(String text, String source) {
        var der = blocks(text, "CERTIFICATE");
        if (der.isEmpty()) {
            throw new IllegalArgumentException(
                    source
                            + " holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the certificate chain, leaf first");
        }
        try {
            var factory = CertificateFactory.getInstance("X.509");
            var chain = new ArrayList<X509Certificate>();
            for (byte[] d : der) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(d)));
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    source + " holds a certificate that cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The PKCS #8 private key in {@code text}. */
    public static PrivateKey privateKey(String text, String source) {
        var der = blocks(text, "PRIVATE KEY");
        if (der.isEmpty()) {
            String hint =
                    text.contains("-----BEGIN EC PRIVATE KEY-----") || text.contains("-----BEGIN RSA PRIVATE KEY-----")
                            ? "; convert it to PKCS #8 with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY8"
                            : "; give an unencrypted PKCS #8 key (-----BEGIN PRIVATE KEY-----)";
            throw new IllegalArgumentException(source + " holds no PKCS #8 private key" + hint);
        }
        for (String alg : new String[] {"EC", "RSA", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der.getFirst()));
            } catch (GeneralSecurityException e) {
                // another algorithm
            }
        }
        throw new IllegalArgumentException(source + " holds a private key that is not EC, RSA or Ed25519");
    }

    /**
     * The prefix of a PEM file written inline: {@code der:} and the base64 of each block's DER,
     * comma-separated. It has no spaces or newlines, so it fits on a kernel command line, where a
     * Xen guest gets its boot-time parameters (the guest cannot read the host's files).
     */
    public static final String INLINE = "der:";

    /** {@code text}'s blocks labelled {@code label} in the {@link #INLINE} form; none is an error naming {@code source}. */
    public static String inline(String text, String label, String source) {
        var der = blocks(text, label);
        if (der.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no PEM block " + label + "; give a PEM file");
        }
        var parts = new ArrayList<String>();
        for (byte[] d : der) parts.add(Base64.getEncoder().encodeToString(d));
        return INLINE + String.join(",", parts);
    }

    /** The PEM text of an {@link #INLINE} value, its blocks labelled {@code label}. */
    public static String fromInline(String value, String label, String param) {
        var sb = new StringBuilder();
        for (String part : value.substring(INLINE.length()).split(",", -1)) {
            try {
                sb.append(encode(label, Base64.getDecoder().decode(part)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("boot parameter " + param + ": " + INLINE
                        + " is not followed by base64 DER blocks separated by commas; give a PEM file's path");
            }
        }
        return sb.toString();
    }

    /** {@code der} as a PEM block. */
    public static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
