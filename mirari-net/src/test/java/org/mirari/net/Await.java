package org.mirari.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mirari.net.device.ForwardingDevice;
import org.mirari.net.device.NetDevice;
import org.mirari.net.device.Offloads;
import org.mirari.net.device.RxStatus;
import org.mirari.net.device.TxOffload;

/**
 * The condition waits of this module's tests. A wait checks its condition again whenever
 * something that can change it happens (a {@link Signal} rung by that thing), never after a
 * guessed interval, and fails with what it waited for once its deadline passes.
 */
public final class Await {
    private Await() {}

    /** Something a test waits for; may throw, which counts as "not yet" (the last one is shown on failure). */
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Rung by whatever changes what the waiters check; a wait wakes at each ring and looks again. */
    public static final class Signal {
        private long rings;

        public synchronized void ring() {
            rings++;
            notifyAll();
        }

        /**
         * Waits until {@code condition} holds, checking it now and after each {@link #ring}, or
         * fails after {@code timeout} with {@code what} (asked only then) and the last exception.
         */
        public void until(Duration timeout, Supplier<String> what, Condition condition) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            Exception last = null;
            while (true) {
                long seen;
                synchronized (this) {
                    seen = rings; // before the check: a ring during it is not lost
                }
                try {
                    if (condition.holds()) return;
                } catch (Exception e) {
                    last = e;
                }
                synchronized (this) {
                    while (rings == seen) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what.get(), last);
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                }
            }
        }
    }

    /**
     * {@code device}, ringing {@code signal} each time the stack's driver goes to wait on it: the
     * driver has handled every frame and timer due, so the stack's state is as settled as it gets
     * until the next frame or timer (which ends in another ring; the driver wakes at least every
     * 100 ms). Offloads pass through: the stack sees the device as it is.
     */
    public static NetDevice ringingOnIdle(NetDevice device, Signal signal) {
        return new ForwardingDevice(device) {
            @Override
            public Offloads offloads() {
                return inner.offloads();
            }

            @Override
            public int receive(ByteBuffer dst, RxStatus status) throws IOException {
                return inner.receive(dst, status);
            }

            @Override
            public void send(ByteBuffer frame, TxOffload offload) throws IOException {
                inner.send(frame, offload);
            }

            @Override
            public void await(long timeoutNanos) throws IOException, InterruptedException {
                signal.ring();
                super.await(timeoutNanos);
            }
        };
    }

    /**
     * Waits (10 s at most) until {@code thread} blocks, with or without a time-out: the moment from
     * which a wake-up has to reach it rather than find it still running. The JDK signals no such
     * moment, so this looks at the thread's state in a spin; the state changes within microseconds
     * of the call the test makes it block in.
     */
    public static void blocked(Thread thread) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            var state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) return;
            if (state == Thread.State.TERMINATED) throw new AssertionError(thread + " ended without blocking");
            if (System.nanoTime() - deadline > 0) throw new AssertionError(thread + " never blocked; it is " + state);
            Thread.onSpinWait();
        }
    }
}
