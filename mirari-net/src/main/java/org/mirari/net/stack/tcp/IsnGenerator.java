package org.mirari.net.stack.tcp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

/**
 * RFC 6528 initial sequence numbers: ISN = M + F(localip, localport, remoteip, remoteport, secret),
 * M a 4-microsecond timer and F a keyed hash (SHA-256 truncated to 32 bits), so ISNs of one 4-tuple
 * advance with time (old duplicates do not fit a new incarnation) while an off-path attacker cannot
 * predict them for another tuple.
 */
public final class IsnGenerator {
    private final byte[] secret = new byte[16];

    public IsnGenerator(RandomGenerator random) {
        for (int i = 0; i < secret.length; i++) secret[i] = (byte) random.nextInt();
    }

    public int isn(TcpTuple t, long nowNanos) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        var b = new byte[12];
        int l = t.localAddress().bits(), r = t.remoteAddress().bits();
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (l >>> (24 - 8 * i));
            b[4 + i] = (byte) (r >>> (24 - 8 * i));
        }
        b[8] = (byte) (t.localPort() >>> 8);
        b[9] = (byte) t.localPort();
        b[10] = (byte) (t.remotePort() >>> 8);
        b[11] = (byte) t.remotePort();
        md.update(b);
        md.update(secret);
        var h = md.digest();
        int f = (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
        return (int) (nowNanos / 4000) + f;
    }
}
