package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * What a connection owes its client, in order: response heads and small bodies in a reused
 * staging array, larger bodies as buffers (KV values are slices of the mapped pack, so their bytes
 * go from the page cache to the socket without a copy on the heap), and large KV values as spans
 * of the pack file that the kernel sends itself ({@link FileSink}, {@code sendfile}: not even a
 * copy from the mapping into the socket). Buffers go out with one gathering write per flush, a
 * file span with one transfer per flush; each stops where the socket stops taking bytes.
 */
final class OutputQueue {
    /**
     * Moves up to {@code count} bytes of {@code file} from {@code position} to the client, as a
     * non-blocking write does: returns how many the socket took, 0 when it is full.
     */
    @FunctionalInterface
    interface FileSink {
        long transfer(FileChannel file, long position, long count) throws IOException;
    }

    /** Part of a file still owed to the client. */
    private static final class FileSpan {
        final FileChannel file;
        long position;
        long remaining;

        FileSpan(FileChannel file, long position, long remaining) {
            this.file = file;
            this.position = position;
            this.remaining = remaining;
        }
    }

    final Staging staging = new Staging();
    /** Slot i holds a buffer or, when {@code spans[i]} is set, a file span (its buffer is null). */
    private ByteBuffer[] queue = new ByteBuffer[8];

    private FileSpan[] spans = new FileSpan[8];
    private int head;
    private int tail;
    /** How file spans are sent: null when the channel cannot take them (they are not queued then). */
    private final FileSink sink;
    /** Bodies from this many bytes go as file spans (when there is a sink). */
    private final long fileMinBytes;
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

    /** A queue for a channel that takes buffers only. */
    OutputQueue() {
        this(null, Long.MAX_VALUE);
    }

    /** A queue whose bodies of {@code fileMinBytes} or more {@code sink} sends (null: buffers only). */
    OutputQueue(FileSink sink, long fileMinBytes) {
        this.sink = sink;
        this.fileMinBytes = fileMinBytes;
    }

    /** Whether a body of {@code length} bytes should go by {@link #addFile}. */
    boolean takesFile(long length) {
        return sink != null && length >= fileMinBytes;
    }

    /** Queues {@code count} bytes of {@code file} from {@code position}, after everything so far. */
    void addFile(FileChannel file, long position, long count) {
        if (sink == null) {
            throw new IllegalStateException("this queue's channel takes no file spans");
        }
        pushStaging();
        if (count > 0) {
            append(null, new FileSpan(file, position, count));
        }
    }

    /** Queues {@code b} after everything staged so far. */
    void add(ByteBuffer b) {
        pushStaging();
        if (b.hasRemaining()) {
            append(b, null);
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

    /**
     * Writes what the channel takes, never trying again what it just refused: true when
     * everything queued went out, false when the socket is full (wait until it is writable).
     */
    boolean writeTo(GatheringByteChannel channel) throws IOException {
        pushStaging();
        while (head < tail) {
            FileSpan f = spans[head];
            if (f != null) {
                long n = sink.transfer(f.file, f.position, f.remaining);
                if (n == 0 && f.file.size() < f.position + f.remaining) {
                    // the pack shrank under the mapping: the client cannot get the length promised
                    throw new IOException("the pack file is shorter than the value being sent");
                }
                f.position += n;
                f.remaining -= n;
                if (f.remaining > 0) {
                    return false;
                }
                spans[head++] = null;
                continue;
            }
            int end = head + 1;
            while (end < tail && spans[end] == null) {
                end++;
            }
            if (end - head == 1) {
                channel.write(queue[head]);
            } else {
                channel.write(queue, head, end - head);
            }
            while (head < end && !queue[head].hasRemaining()) {
                queue[head++] = null;
            }
            if (head < end) {
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
            n += spans[i] != null ? spans[i].remaining : queue[i].remaining();
        }
        return n;
    }

    /** Everything queued, as one array, consumed (for tests of the encoder). */
    byte[] drain() {
        pushStaging();
        var all = ByteBuffer.allocate((int) remaining());
        for (int i = head; i < tail; i++) {
            if (spans[i] != null) {
                FileSpan f = spans[i];
                try {
                    while (f.remaining > 0) {
                        int n = f.file.read(all, f.position);
                        if (n < 0) {
                            throw new IllegalStateException("file span past the end of its file");
                        }
                        f.position += n;
                        f.remaining -= n;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                spans[i] = null;
            } else {
                all.put(queue[i]);
                queue[i] = null;
            }
        }
        head = tail = 0;
        staging.reset();
        return all.array();
    }

    void clear() {
        for (int i = head; i < tail; i++) {
            queue[i] = null;
            spans[i] = null;
        }
        head = tail = 0;
        staging.reset();
    }

    private void pushStaging() {
        if (staging.length > staging.mark) {
            append(ByteBuffer.wrap(staging.bytes, staging.mark, staging.length - staging.mark), null);
            staging.mark = staging.length;
        }
    }

    private void append(ByteBuffer b, FileSpan f) {
        if (tail == queue.length) {
            if (head > 0) {
                System.arraycopy(queue, head, queue, 0, tail - head);
                System.arraycopy(spans, head, spans, 0, tail - head);
                Arrays.fill(queue, tail - head, tail, null);
                Arrays.fill(spans, tail - head, tail, null);
                tail -= head;
                head = 0;
            } else {
                queue = Arrays.copyOf(queue, queue.length * 2);
                spans = Arrays.copyOf(spans, spans.length * 2);
            }
        }
        queue[tail] = b;
        spans[tail++] = f;
    }
}
