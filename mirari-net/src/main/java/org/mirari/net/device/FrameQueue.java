package org.mirari.net.device;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A bounded queue of frames with a waitable "not empty" signal; the receive side of in-memory devices. */
final class FrameQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final int capacity;
    private boolean woken;
    private long dropped;

    FrameQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Copies and enqueues; drops (and counts) when full. */
    void offer(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        lock.lock();
        try {
            if (frames.size() >= capacity) {
                dropped++;
                return;
            }
            frames.add(copy);
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int poll(ByteBuffer dst) {
        lock.lock();
        try {
            byte[] f = frames.poll();
            if (f == null) return -1;
            dst.put(f);
            return f.length;
        } finally {
            lock.unlock();
        }
    }

    void await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            if (frames.isEmpty() && !woken && nanos > 0) ready.await(nanos, TimeUnit.NANOSECONDS);
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    void wakeup() {
        lock.lock();
        try {
            woken = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return frames.size();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            frames.clear();
        } finally {
            lock.unlock();
        }
    }
}
