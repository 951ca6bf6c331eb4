package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * What a connection owes its client, in order: response heads and small bodies in a reused
 * staging array, larger bodies as buffers (KV values are slices of the mapped pack, so their bytes
 * go from the page cache to the socket without a copy on the heap). Written with one gathering
 * write per flush.
 */
final class OutputQueue {
    final Staging staging = new Staging();
    private ByteBuffer[] queue = new ByteBuffer[8];
    private int head;
    private int tail;
    /** What happens once everything queued is written. */
    enum Ending {
        /** The connection stays open for the next request. */
        STAY_OPEN,
        /** The last response said {@code Connection: close}: close when the client has nothing more to send. */
        CLOSE,
        /** An error cut a request short: half-close and read until the client closes (RFC 9112 §9.6). */
        LINGER
    }

    private Ending ending = Ending.STAY_OPEN;

    /** Queues {@code b} after everything staged so far. */
    void add(ByteBuffer b) {
        pushStaging();
        if (b.hasRemaining()) {
            append(b);
        }
    }

    void end(Ending e) {
        if (e.compareTo(ending) > 0) {
            ending = e;
        }
    }

    Ending ending() {
        return ending;
    }

    boolean closesAfter() {
        return ending != Ending.STAY_OPEN;
    }

    /** Bytes staged but not yet queued, a measure of how much pipelined output waits. */
    int staged() {
        return staging.length - staging.mark;
    }

    boolean isEmpty() {
        return head == tail && staged() == 0;
    }

    /** Writes what the channel takes; true when everything queued went out. */
    boolean writeTo(GatheringByteChannel channel) throws IOException {
        pushStaging();
        while (head < tail) {
            if (tail - head == 1) {
                channel.write(queue[head]);
            } else {
                channel.write(queue, head, tail - head);
            }
            while (head < tail && !queue[head].hasRemaining()) {
                queue[head++] = null;
            }
            if (head < tail) {
                return false;
            }
        }
        head = tail = 0;
        staging.reset();
        return true;
    }

    /** How many bytes are still to be written (for tests). */
    long remaining() {
        long n = staged();
        for (int i = head; i < tail; i++) {
            n += queue[i].remaining();
        }
        return n;
    }

    /** Everything queued, as one array, consumed (for tests of the encoder). */
    byte[] drain() {
        pushStaging();
        var all = ByteBuffer.allocate((int) remaining());
        for (int i = head; i < tail; i++) {
            all.put(queue[i]);
            queue[i] = null;
        }
        head = tail = 0;
        staging.reset();
        return all.array();
    }

    void clear() {
        for (int i = head; i < tail; i++) {
            queue[i] = null;
        }
        head = tail = 0;
        staging.reset();
    }

    private void pushStaging() {
        if (staging.length > staging.mark) {
            append(ByteBuffer.wrap(staging.bytes, staging.mark, staging.length - staging.mark));
            staging.mark = staging.length;
        }
    }

    private void append(ByteBuffer b) {
        if (tail == queue.length) {
            if (head > 0) {
                System.arraycopy(queue, head, queue, 0, tail - head);
                java.util.Arrays.fill(queue, tail - head, tail, null);
                tail -= head;
                head = 0;
            } else {
                queue = java.util.Arrays.copyOf(queue, queue.length * 2);
            }
        }
        queue[tail++] = b;
    }
}
