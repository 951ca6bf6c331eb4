package org.mirari.net.stack;

/** A token bucket on caller-supplied time: {@code perSecond} tokens a second, at most {@code burst} saved. */
final class TokenBucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;
    private boolean started;

    TokenBucket(double perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    boolean take(long now) {
        if (!started) {
            started = true;
            last = now;
        }
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
