package org.mirari.net.stack.tcp;

/**
 * RFC 6298 section 2: SRTT and RTTVAR from samples, RTO = SRTT + max(G, 4 RTTVAR), clamped to the
 * configured bounds. Integer nanoseconds throughout (a {@code 1/8} in floating point is a known
 * bug in another Java stack: it evaluated to zero).
 */
final class RttEstimator {
    private static final long GRANULARITY = 1_000_000L; // 1 ms
    private final long minRto, maxRto;
    private long srtt, rttvar, rto;
    private boolean sampled;

    RttEstimator(TcpConfig c) {
        this.minRto = c.minRto();
        this.maxRto = c.maxRto();
        this.rto = c.initialRto();
    }

    void sample(long r) {
        if (r < 0) return;
        if (!sampled) {
            srtt = r;
            rttvar = r / 2;
            sampled = true;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = Math.min(maxRto, Math.max(minRto, srtt + Math.max(GRANULARITY, 4 * rttvar)));
    }

    /** The RTO before backoff. */
    long rto() {
        return rto;
    }

    /** The RTO doubled {@code backoff} times, at most the maximum (RFC 6298 5.5). */
    long rto(int backoff) {
        long r = rto;
        for (int i = 0; i < backoff && r < maxRto; i++) r *= 2;
        return Math.min(maxRto, r);
    }

    long srtt() {
        return srtt;
    }

    boolean sampled() {
        return sampled;
    }
}
