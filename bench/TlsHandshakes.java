import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.mirari.runtime.internal.tls.SelfSigned;
import org.mirari.runtime.internal.tls.Tls;

/**
 * The server's CPU per full TLS 1.3 handshake, without sockets: a JDK client engine and the
 * runtime's server engine ({@code Tls.engine()}) exchange their flights through memory, and only
 * the server's calls (engine creation, wrap, unwrap, delegated tasks) are timed. Variants, each a
 * client setting, alternate round by round; medians of ROUNDS rounds of N handshakes.
 * Run pinned: taskset -c 0 java -cp mirari-runtime/target/classes bench/TlsHandshakes.java [ROUNDS] [N] [variant...]
 * Variants: x25519 (the default key share), secp256r1 (the client offers only P-256).
 */
public class TlsHandshakes {
    static long serverNanos;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<String> variants = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("x25519", "secp256r1");
        var made = SelfSigned.server(List.of("localhost"), Instant.now());
        Tls tls = Tls.of(List.of(made.certificate()), made.key(), List.of("h2", "http/1.1"));
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {}
            public void checkServerTrusted(X509Certificate[] c, String a) {}
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        for (int w = 0; w < 8; w++) for (String v : variants) round(tls, client, v, n);
        List<List<Double>> us = new ArrayList<>();
        for (String v : variants) us.add(new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < variants.size(); i++) us.get(i).add(round(tls, client, variants.get(i), n));
        }
        double base = median(us.get(0));
        for (int i = 0; i < variants.size(); i++) {
            double m = median(us.get(i));
            System.out.printf("server handshake %s: ratio %.2f (%.1f us, baseline %s %.1f us; runs %s)%n",
                    variants.get(i), base / m, m, variants.get(0), base, us.get(i));
        }
    }

    /** Microseconds of server time per handshake. */
    static double round(Tls tls, SSLContext client, String variant, int n) throws Exception {
        serverNanos = 0;
        for (int i = 0; i < n; i++) handshake(tls, client, variant);
        return serverNanos / 1e3 / n;
    }

    static void handshake(Tls tls, SSLContext clientContext, String variant) throws Exception {
        SSLEngine c = clientContext.createSSLEngine("localhost", 443);
        c.setUseClientMode(true);
        SSLParameters p = c.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3"});
        p.setApplicationProtocols(new String[] {"http/1.1"});
        if (variant.equals("secp256r1")) p.setNamedGroups(new String[] {"secp256r1"});
        c.setSSLParameters(p);
        long t = System.nanoTime();
        SSLEngine s = tls.engine();
        serverNanos += System.nanoTime() - t;
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16), toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer app = ByteBuffer.allocate(1 << 16), none = ByteBuffer.allocate(0);
        c.beginHandshake();
        for (int steps = 0; steps < 100; steps++) {
            boolean cDone = step(c, toClient, toServer, app, none, false);
            boolean sDone = step(s, toServer, toClient, app, none, true);
            if (cDone && sDone && toServer.position() == 0 && toClient.position() == 0) return;
        }
        throw new IllegalStateException("no handshake: " + c.getHandshakeStatus() + " " + s.getHandshakeStatus());
    }

    /** Drives one engine while it can; true when it has nothing more to do. */
    static boolean step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app, ByteBuffer none, boolean timed) throws Exception {
        long t = timed ? System.nanoTime() : 0;
        try {
            for (;;) {
                HandshakeStatus h = e.getHandshakeStatus();
                switch (h) {
                    case NEED_TASK -> { Runnable r; while ((r = e.getDelegatedTask()) != null) r.run(); }
                    case NEED_WRAP -> e.wrap(none, out);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        in.flip();
                        app.clear();
                        var r = e.unwrap(in, app);
                        in.compact();
                        if (r.bytesConsumed() == 0 && e.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) return false;
                    }
                    case NOT_HANDSHAKING, FINISHED -> {
                        if (in.position() > 0) { // a post-handshake message (the ticket)
                            in.flip(); app.clear(); e.unwrap(in, app); in.compact();
                            continue;
                        }
                        return true;
                    }
                }
            }
        } finally {
            if (timed) serverNanos += System.nanoTime() - t;
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return Math.round(a[a.length / 2] * 10) / 10.0;
    }
}
