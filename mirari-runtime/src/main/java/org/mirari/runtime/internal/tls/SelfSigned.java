package org.mirari.runtime.internal.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * X.509 v3 certificates (RFC 5280) written as DER and signed with the JDK's ECDSA P-256 and
 * SHA-256 (RFC 5758 §3.2): a self-signed server certificate for local use, or one issued by a
 * small CA (for tests that give the CA to a checker). Written here rather than by running
 * {@code keytool}: no second JVM at configure time, and the guest images carry no {@code keytool}.
 *
 * @param certificate the certificate
 * @param key         its private key
 */
public record SelfSigned(X509Certificate certificate, PrivateKey key) {
    private static final String EC_PUBLIC_KEY_SHA256 = "1.2.840.10045.4.3.2"; // ecdsa-with-SHA256
    private static final String COMMON_NAME = "2.5.4.3";

    /** The certificate as PEM. */
    public String certificatePem() {
        try {
            return Pem.encode("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as PEM (PKCS #8). */
    public String keyPem() {
        return Pem.encode("PRIVATE KEY", key.getEncoded());
    }

    /** A server certificate for {@code names} (DNS names or IP addresses), valid from {@code now} for a year. */
    public static SelfSigned server(List<String> names, Instant now) {
        KeyPair pair = ecKeyPair();
        return new SelfSigned(
                build(names.getFirst(), names, pair, names.getFirst(), pair.getPrivate(), false, now, ""),
                pair.getPrivate());
    }

    /** A CA named {@code name}, to issue with {@link #issue}. */
    public static SelfSigned authority(String name, Instant now) {
        KeyPair pair = ecKeyPair();
        return new SelfSigned(build(name, List.of(), pair, name, pair.getPrivate(), true, now, ""), pair.getPrivate());
    }

    /**
     * A server certificate for {@code names} issued by this CA, naming {@code crl} as its CRL
     * distribution point (RFC 5280 §4.2.1.13) as a public CA's certificates do (an empty one: none).
     */
    public SelfSigned issue(List<String> names, Instant now, String crl) {
        KeyPair pair = ecKeyPair();
        String issuer = certificate.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
        return new SelfSigned(build(names.getFirst(), names, pair, issuer, key, false, now, crl), pair.getPrivate());
    }

    private static KeyPair ecKeyPair() {
        try {
            var g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no EC P-256", e);
        }
    }

    private static byte[] name(String cn) {
        return Der.sequence(Der.tlv(Der.SET, Der.sequence(Der.oid(COMMON_NAME), Der.utf8(cn))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    /** dNSName [2] or iPAddress [7] (RFC 5280 §4.2.1.6), both IMPLICIT. */
    private static byte[] generalName(String name) {
        boolean ip = name.matches("[0-9.]+") || name.contains(":");
        if (ip) {
            try {
                return Der.tlv(
                        Der.context(7, false), InetAddress.getByName(name).getAddress());
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(name + " is not an IP address");
            }
        }
        return Der.tlv(Der.context(2, false), name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static X509Certificate build(
            String subject,
            List<String> names,
            KeyPair pair,
            String issuer,
            PrivateKey signer,
            boolean ca,
            Instant now,
            String crl) {
        byte[] algorithm = Der.sequence(Der.oid(EC_PUBLIC_KEY_SHA256)); // no parameters (RFC 5758 §3.2)
        var extensions = new ArrayList<byte[]>();
        extensions.add(extension("2.5.29.19", true, ca ? Der.sequence(Der.bool(true)) : Der.sequence()));
        // keyUsage: digitalSignature, or keyCertSign and cRLSign for the CA (§4.2.1.3)
        extensions.add(extension(
                "2.5.29.15",
                true,
                ca ? Der.bitString(1, new byte[] {0x06}) : Der.bitString(7, new byte[] {(byte) 0x80})));
        if (!ca) {
            extensions.add(extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1")))); // serverAuth
            extensions.add(extension(
                    "2.5.29.17",
                    false,
                    Der.sequence(names.stream().map(SelfSigned::generalName).toArray(byte[][]::new))));
        }
        if (!crl.isEmpty()) {
            // DistributionPoint { distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } } }
            byte[] uri = Der.tlv(Der.context(6, false), crl.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            extensions.add(extension(
                    "2.5.29.31",
                    false,
                    Der.sequence(Der.sequence(Der.tlv(Der.context(0, true), Der.tlv(Der.context(0, true), uri))))));
        }
        var start = now.minus(Duration.ofMinutes(5)).atZone(ZoneOffset.UTC); // a little clock skew
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7f; // positive (§4.1.2.2)
        serial[0] |= 0x40; // and sixteen bytes long
        byte[] tbs = Der.sequence(
                Der.tlv(Der.context(0, true), Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(serial)),
                algorithm,
                name(issuer),
                Der.sequence(Der.time(start), Der.time(start.plusDays(ca ? 3650 : 365))),
                name(subject),
                pair.getPublic().getEncoded(), // SubjectPublicKeyInfo, as the JDK encodes it
                Der.tlv(Der.context(3, true), Der.sequence(extensions.toArray(byte[][]::new))));
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(signer);
            s.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm, Der.bitString(0, s.sign()));
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate", e);
        }
    }
}
