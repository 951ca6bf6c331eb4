package org.mirari.runtime.internal.tls;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Whether a private key belongs to a certificate, checked before anything is served: the JDK takes
 * a mismatched pair without a word, and every handshake then fails at the client (a
 * CertificateVerify that does not verify, RFC 8446 §4.4.3), which the server never sees. Each check
 * is the cheapest one the key type allows, since it runs at every start, in a guest under emulation
 * too: RSA compares the modulus (and the public exponent where the key has it); EC computes the
 * key's public point's x coordinate with one ECDH against the curve's generator (x(d·G)); EdDSA,
 * rare on the web, signs a fixed text and verifies it with the certificate's key.
 */
public final class KeyMatch {
    private KeyMatch() {}

    /**
     * Throws {@link IllegalArgumentException} ({@code KEY is not the key of CERTIFICATE (...); what
     * to do}) unless {@code key} is the private half of {@code leaf}'s public key; {@code certSource}
     * and {@code keySource} name where they came from.
     */
    public static void check(X509Certificate leaf, PrivateKey key, String certSource, String keySource) {
        PublicKey pub = leaf.getPublicKey();
        String why = mismatch(pub, key);
        if (why != null) {
            throw new IllegalArgumentException(keySource + " is not the key of the certificate in " + certSource + " ("
                    + why + "); give the private key the certificate was issued for");
        }
    }

    /** Why the two do not belong together, or null when they do. */
    static String mismatch(PublicKey pub, PrivateKey key) {
        try {
            return switch (key) {
                case RSAPrivateKey rsa
                when pub instanceof RSAPublicKey p -> {
                    if (!rsa.getModulus().equals(p.getModulus())) yield "the RSA moduli differ";
                    if (rsa instanceof RSAPrivateCrtKey crt
                            && !crt.getPublicExponent().equals(p.getPublicExponent())) {
                        yield "the RSA public exponents differ";
                    }
                    yield null;
                }
                case ECPrivateKey ec when pub instanceof ECPublicKey p -> ec(ec, p);
                case EdECPrivateKey ed when pub instanceof EdECPublicKey p -> edwards(ed, p);
                default -> kind(key) + " key for a certificate with " + kind(pub) + " key";
            };
        } catch (GeneralSecurityException e) {
            return "the key cannot be used with the certificate's: " + e.getMessage();
        }
    }

    private static String ec(ECPrivateKey key, ECPublicKey pub) throws GeneralSecurityException {
        ECParameterSpec a = key.getParams(), b = pub.getParams();
        if (!a.getCurve().equals(b.getCurve())
                || !a.getGenerator().equals(b.getGenerator())
                || !a.getOrder().equals(b.getOrder())) {
            return "the key and the certificate are on different curves";
        }
        // x(d·G): the generator as a public key. Only d and n-d give that x; n-d is no key anyone
        // would hold by mistake (it is d's negation, not another key file).
        PublicKey generator = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(a.getGenerator(), a));
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(key);
        agreement.doPhase(generator, true);
        BigInteger x = new BigInteger(1, agreement.generateSecret());
        return x.equals(pub.getW().getAffineX()) ? null : "the EC public points differ";
    }

    private static String edwards(EdECPrivateKey key, EdECPublicKey pub) throws GeneralSecurityException {
        byte[] text = "mirari: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance(key.getAlgorithm());
        sign.initSign(key);
        sign.update(text);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(pub.getAlgorithm());
        verify.initVerify(pub);
        verify.update(text);
        return verify.verify(signature) ? null : "a signature made with the key does not verify with the certificate's";
    }

    /** The key's family, with its article. */
    private static String kind(java.security.Key k) {
        return switch (k.getAlgorithm()) {
            case "EC" -> "an EC";
            case "RSA", "RSASSA-PSS" -> "an RSA";
            case "EdDSA", "Ed25519", "Ed448" -> "an EdDSA";
            default -> "a " + k.getAlgorithm();
        };
    }
}
