package org.mirari.net.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory pipe (64 KiB) whose ends register with this provider's selectors, so an app's
 * wake-up pipe and its datagram channels share one selector.
 */
final class StackPipe extends Pipe {
    private static final int CAPACITY = 64 * 1024;
    private final byte[] ring = new byte[CAPACITY];
    private int head, count;
    private boolean sourceClosed, sinkClosed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changedCond = lock.newCondition();
    private final Watchers watchers = new Watchers();
    private final Source source;
    private final Sink sink;

    StackPipe(SelectorProvider provider) {
        source = new Source(provider);
        sink = new Sink(provider);
    }

    @Override
    public SourceChannel source() {
        return source;
    }

    @Override
    public SinkChannel sink() {
        return sink;
    }

    private void changed() {
        changedCond.signalAll();
    }

    private long read(ByteBuffer[] dsts, int off, int len, boolean blocking) throws IOException {
        lock.lock();
        try {
            while (count == 0) {
                if (sourceClosed) throw new ClosedChannelException();
                if (sinkClosed) return -1;
                if (!blocking) return 0;
                changedCond.await();
            }
            long n = 0;
            for (int i = off; i < off + len && count > 0; i++) {
                var b = dsts[i];
                while (b.hasRemaining() && count > 0) {
                    int chunk = Math.min(Math.min(b.remaining(), count), CAPACITY - head);
                    b.put(ring, head, chunk);
                    head = (head + chunk) % CAPACITY;
                    count -= chunk;
                    n += chunk;
                }
            }
            changed();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            lock.unlock();
            watchers.changed();
        }
    }

    private long write(ByteBuffer[] srcs, int off, int len, boolean blocking) throws IOException {
        lock.lock();
        try {
            long n = 0;
            for (int i = off; i < off + len; i++) {
                var b = srcs[i];
                while (b.hasRemaining()) {
                    if (sinkClosed) throw new ClosedChannelException();
                    if (sourceClosed) throw new IOException("Broken pipe");
                    if (count == CAPACITY) {
                        if (!blocking || n > 0) return n;
                        changedCond.await();
                        continue;
                    }
                    int tail = (head + count) % CAPACITY;
                    int chunk = Math.min(b.remaining(), Math.min(CAPACITY - count, CAPACITY - tail));
                    b.get(ring, tail, chunk);
                    count += chunk;
                    n += chunk;
                }
            }
            changed();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            lock.unlock();
            watchers.changed();
        }
    }

    private int ready(int interest) {
        lock.lock();
        try {
            if (interest == SelectionKey.OP_READ)
                return count > 0 || sinkClosed || sourceClosed ? SelectionKey.OP_READ : 0;
            return count < CAPACITY || sourceClosed || sinkClosed ? SelectionKey.OP_WRITE : 0;
        } finally {
            lock.unlock();
        }
    }

    private void closeEnd(boolean isSource) {
        lock.lock();
        try {
            if (isSource) sourceClosed = true;
            else sinkClosed = true;
            changed();
        } finally {
            lock.unlock();
        }
        watchers.changed();
    }

    private final class Source extends Pipe.SourceChannel implements StackChannel {
        Source(SelectorProvider p) {
            super(p);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return (int) read(new ByteBuffer[] {dst}, 0, 1);
        }

        @Override
        public long read(ByteBuffer[] dsts) throws IOException {
            return read(dsts, 0, dsts.length);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            if (!isOpen()) throw new ClosedChannelException();
            return StackPipe.this.read(dsts, offset, length, isBlocking());
        }

        @Override
        protected void implCloseSelectableChannel() {
            closeEnd(true);
        }

        @Override
        protected void implConfigureBlocking(boolean block) {}

        @Override
        public int readyOps() {
            return ready(SelectionKey.OP_READ);
        }

        @Override
        public Watchers watchers() {
            return watchers;
        }
    }

    private final class Sink extends Pipe.SinkChannel implements StackChannel {
        Sink(SelectorProvider p) {
            super(p);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (!isOpen()) throw new ClosedChannelException();
            return StackPipe.this.write(srcs, offset, length, isBlocking());
        }

        @Override
        protected void implCloseSelectableChannel() {
            closeEnd(false);
        }

        @Override
        protected void implConfigureBlocking(boolean block) {}

        @Override
        public int readyOps() {
            return ready(SelectionKey.OP_WRITE);
        }

        @Override
        public Watchers watchers() {
            return watchers;
        }
    }
}
