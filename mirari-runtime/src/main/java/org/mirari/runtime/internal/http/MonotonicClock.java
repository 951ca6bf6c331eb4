package org.mirari.runtime.internal.http;

/**
 * The server's time source, in milliseconds that only move forward (their origin is arbitrary).
 * Injected into {@link HttpServer} and its {@link EventLoop}s so that every timeout (head, body,
 * idle, write, linger, drain) can be tested on a virtual clock instead of in real time.
 */
@FunctionalInterface
public interface MonotonicClock {
    long millis();

    /** The JVM's monotonic clock ({@link System#nanoTime()}). */
    static MonotonicClock system() {
        return () -> System.nanoTime() / 1_000_000;
    }
}
