package org.mirari.net.nio;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A selector over this provider's channels. Readiness is level-triggered and computed from the
 * channels' state; a channel whose state changes (a datagram queued, pipe bytes written, a close)
 * signals every selector watching it, so {@code select} sleeps on a condition instead of polling.
 */
final class StackSelector extends AbstractSelector {
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = new UngrowableSet<>(selected);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean changed;
    private boolean wakeupPending;

    StackSelector(SelectorProvider provider) {
        super(provider);
    }

    /** Called by watched channels (from any thread) when their readiness may have changed. */
    void changed() {
        lock.lock();
        try {
            changed = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!(ch instanceof StackChannel sc)) throw new IllegalSelectorException();
        var key = new StackSelectionKey(ch, this);
        key.attach(att);
        key.interestOps(ops);
        keys.add(key);
        sc.watch(this);
        changed();
        return key;
    }

    @Override
    public Set<SelectionKey> keys() {
        if (!isOpen()) throw new ClosedSelectorException();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        if (!isOpen()) throw new ClosedSelectorException();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return doSelect(0);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) throw new IllegalArgumentException("negative timeout");
        return doSelect(timeout == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeout));
    }

    @Override
    public int select() throws IOException {
        return doSelect(-1);
    }

    /** {@code timeoutNanos}: 0 = do not wait, negative = wait until something is ready or a wakeup. */
    private int doSelect(long timeoutNanos) throws IOException {
        if (!isOpen()) throw new ClosedSelectorException();
        synchronized (this) {
            synchronized (publicSelected) {
                long deadline = System.nanoTime() + timeoutNanos;
                if (timeoutNanos == 0) {
                    lock.lock();
                    try {
                        wakeupPending = false;
                    } finally {
                        lock.unlock();
                    }
                }
                try {
                    begin();
                    while (true) {
                        dropCancelled();
                        lock.lock();
                        try {
                            changed = false;
                        } finally {
                            lock.unlock();
                        }
                        int[] result = updateReady();
                        if (result[1] > 0
                                || timeoutNanos == 0
                                || Thread.currentThread().isInterrupted()) return result[0];
                        lock.lock();
                        try {
                            if (wakeupPending) {
                                wakeupPending = false;
                                return result[0];
                            }
                            if (!changed) {
                                if (timeoutNanos < 0) signal.await();
                                else {
                                    long left = deadline - System.nanoTime();
                                    if (left <= 0) return result[0];
                                    signal.awaitNanos(left);
                                }
                            }
                            if (wakeupPending) {
                                wakeupPending = false;
                                dropCancelled();
                                return updateReady()[0];
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return result[0];
                        } finally {
                            lock.unlock();
                        }
                    }
                } finally {
                    end();
                    dropCancelled();
                }
            }
        }
    }

    /** Returns {number of keys whose ready set grew, number of keys ready at all}. */
    private int[] updateReady() {
        int updated = 0, ready = 0;
        for (var k : keys) {
            var key = (StackSelectionKey) k;
            if (!key.isValid()) continue;
            int ops = ((StackChannel) key.channel()).readyOps() & key.rawInterestOps();
            if (ops == 0) continue;
            ready++;
            if (selected.contains(key)) {
                int merged = key.readyOps() | ops;
                if (merged != key.readyOps()) {
                    key.setReadyOps(merged);
                    updated++;
                }
            } else {
                key.setReadyOps(ops);
                selected.add(key);
                updated++;
            }
        }
        return new int[] {updated, ready};
    }

    private void dropCancelled() {
        var cancelled = cancelledKeys();
        synchronized (cancelled) {
            for (var k : cancelled) {
                keys.remove(k);
                selected.remove(k);
                deregister((StackSelectionKey) k);
                var ch = k.channel();
                if (ch instanceof StackChannel sc && noOtherKey(ch)) sc.unwatch(this);
            }
            cancelled.clear();
        }
    }

    private boolean noOtherKey(Object ch) {
        for (var k : keys) if (k.channel() == ch) return false;
        return true;
    }

    @Override
    public Selector wakeup() {
        lock.lock();
        try {
            wakeupPending = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
        return this;
    }

    @Override
    protected void implCloseSelector() throws IOException {
        wakeup();
        synchronized (this) {
            synchronized (publicSelected) {
                for (var k : keys) {
                    k.cancel();
                }
                dropCancelled();
                keys.clear();
                selected.clear();
            }
        }
    }
}
