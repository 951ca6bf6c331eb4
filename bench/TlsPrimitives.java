import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyAgreement;

/**
 * The raw public-key operations a TLS 1.3 server does per full handshake, timed in this JDK: an
 * ephemeral key pair plus one key agreement (per named group), and one CertificateVerify signature
 * (per certificate key). Prints each one's median microseconds over ROUNDS alternating rounds and
 * its ratio against the first of its kind (the JDK's default: x25519, ECDSA P-256).
 * Run pinned: taskset -c 0 java bench/TlsPrimitives.java [ROUNDS]
 */
public class TlsPrimitives {
    interface Op {
        void run() throws Exception;
    }

    record Case(String name, Op op) {}

    static Op agreement(String alg, java.security.spec.AlgorithmParameterSpec spec, String kaAlg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        g.initialize(spec);
        KeyPair peer = g.generateKeyPair();
        return () -> {
            KeyPair mine = g.generateKeyPair();
            KeyAgreement ka = KeyAgreement.getInstance(kaAlg);
            ka.init(mine.getPrivate());
            ka.doPhase(peer.getPublic(), true);
            ka.generateSecret();
        };
    }

    static Op signing(String alg, java.security.spec.AlgorithmParameterSpec spec, int bits, String sigAlg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (spec != null) g.initialize(spec);
        else if (bits > 0) g.initialize(bits);
        KeyPair kp = g.generateKeyPair();
        byte[] msg = new byte[130];
        return () -> {
            Signature s = Signature.getInstance(sigAlg);
            if (sigAlg.equals("RSASSA-PSS")) {
                s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            s.initSign(kp.getPrivate());
            s.update(msg);
            s.sign();
        };
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<Case> agree = List.of(
                new Case("key share x25519", agreement("XDH", NamedParameterSpec.X25519, "XDH")),
                new Case("key share secp256r1", agreement("EC", new ECGenParameterSpec("secp256r1"), "ECDH")),
                new Case("key share secp384r1", agreement("EC", new ECGenParameterSpec("secp384r1"), "ECDH")));
        List<Case> sign = List.of(
                new Case("sign ecdsa_secp256r1_sha256", signing("EC", new ECGenParameterSpec("secp256r1"), 0, "SHA256withECDSA")),
                new Case("sign rsa_pss_rsae_sha256 2048", signing("RSA", null, 2048, "RSASSA-PSS")),
                new Case("sign ed25519", signing("Ed25519", null, 0, "Ed25519")));
        for (List<Case> kind : List.of(agree, sign)) {
            List<List<Double>> us = new ArrayList<>();
            for (Case c : kind) us.add(new ArrayList<>());
            for (int w = 0; w < 10; w++) for (Case c : kind) time(c.op, 300); // warm up (C2)
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < kind.size(); i++) us.get(i).add(time(kind.get(i).op, 400));
            }
            double base = median(us.get(0));
            for (int i = 0; i < kind.size(); i++) {
                double m = median(us.get(i));
                System.out.printf("%s: ratio %.2f (%.1f us/op, baseline %s %.1f us/op)%n",
                        kind.get(i).name, base / m, m, kind.get(0).name, base);
            }
        }
    }

    static double time(Op op, int n) throws Exception {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) op.run();
        return (System.nanoTime() - t) / 1e3 / n;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
