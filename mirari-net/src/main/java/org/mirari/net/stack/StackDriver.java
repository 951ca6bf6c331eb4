package org.mirari.net.stack;

import java.io.IOException;
import java.io.PrintStream;
import org.mirari.net.NetClock;

/**
 * The production loop: one platform thread polls the stack with the real clock and sleeps in the
 * device until a frame arrives or the next timer is due (a blocking native poll would pin a
 * virtual thread's carrier, so this is a platform daemon thread). It prints nothing itself: a
 * failure goes to the stream it was given (the runtime's console, from Boot).
 */
public final class StackDriver implements AutoCloseable {
    private static final long MAX_SLEEP_NANOS = 100_000_000L;
    private final NetStack stack;
    private final NetClock clock;
    private final PrintStream err;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** {@code err}: where a failure of the loop is reported, or null to only keep it in {@link #failure()}. */
    public StackDriver(NetStack stack, NetClock clock, PrintStream err) {
        this.stack = stack;
        this.clock = clock;
        this.err = err;
        stack.setClock(clock);
        this.thread =
                Thread.ofPlatform().daemon().name("mirari-net-" + stack.mac()).unstarted(this::loop);
    }

    public StackDriver start() {
        thread.start();
        return this;
    }

    private void loop() {
        var device = stack.device();
        try {
            while (running) {
                long now = clock.nanos();
                stack.driverSleepsUntil(Long.MIN_VALUE); // awake: app threads need not wake us
                if (stack.poll(now)) continue;
                // Announce the longest sleep first, so a timer an app thread arms meanwhile wakes us.
                stack.driverSleepsUntil(now + MAX_SLEEP_NANOS);
                long deadline = stack.nextDeadline();
                long wait = Math.min(MAX_SLEEP_NANOS, deadline - now);
                stack.driverSleepsUntil(now + Math.max(0, wait));
                if (wait > 0) device.await(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (running) {
                failure = e;
                // The app would otherwise wait on a dead network without a word.
                if (err != null) err.println("mirari-net: the network on " + stack.mac() + " stopped: " + e);
            }
        }
    }

    /** Why the loop stopped on its own, if it did. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        stack.device().wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
