package org.mirari.net;

/**
 * Where the stack's time comes from: monotonic nanoseconds. Nothing below the device reads a clock
 * itself; the driver loop reads one of these and passes the time down, and tests pass a virtual
 * clock so a loss at t=3 ms replays exactly.
 */
@FunctionalInterface
public interface NetClock {
    long nanos();

    /** The JVM's monotonic clock. */
    NetClock SYSTEM = System::nanoTime;
}
