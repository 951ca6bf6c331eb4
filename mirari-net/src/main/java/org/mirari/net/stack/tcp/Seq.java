package org.mirari.net.stack.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 3.4): {@code a} is before {@code b} when
 * {@code a - b} is negative as a 32-bit int. Raw {@code int} comparisons are wrong across the wrap.
 */
final class Seq {
    private Seq() {}

    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    static boolean le(int a, int b) {
        return a - b <= 0;
    }

    static boolean gt(int a, int b) {
        return a - b > 0;
    }

    static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }

    /** {@code lo <= x < hi} modulo 2^32. */
    static boolean inWindow(int x, int lo, int hi) {
        return le(lo, x) && lt(x, hi);
    }
}
