package org.mirari.runtime.internal.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test says so. */
final class VirtualClock implements MonotonicClock {
    private final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    public long millis() {
        return millis.get();
    }

    void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }
}
