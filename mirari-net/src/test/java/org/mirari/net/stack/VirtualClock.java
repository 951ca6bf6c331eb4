package org.mirari.net.stack;

import org.mirari.net.NetClock;

/** Test time: starts at an arbitrary non-zero value and moves only when told. */
public final class VirtualClock implements NetClock {
    private long now = 1_000_000_000_000L;

    @Override
    public synchronized long nanos() {
        return now;
    }

    public synchronized void advanceMillis(long ms) {
        now += ms * 1_000_000L;
    }

    public synchronized void advanceSeconds(double s) {
        now += (long) (s * 1e9);
    }

    public synchronized void advanceNanos(long n) {
        now += n;
    }
}
