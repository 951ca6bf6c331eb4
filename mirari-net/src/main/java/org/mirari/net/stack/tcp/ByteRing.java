package org.mirari.net.stack.tcp;

import java.nio.ByteBuffer;

/**
 * A byte FIFO that grows on demand up to a capacity, so 10,000 idle connections do not each hold
 * a megabyte. Offsets are relative to the oldest byte still held.
 */
final class ByteRing {
    private byte[] buf = new byte[0];
    private int head, size;
    private int capacity;

    ByteRing(int capacity) {
        this.capacity = capacity;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    int free() {
        return capacity - size;
    }

    void setCapacity(int c) {
        capacity = Math.max(c, size);
    }

    /** Appends as much of {@code src} as fits; returns the count. */
    int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        if (n == 0) return 0;
        ensure(size + n);
        int tail = (head + size) % buf.length;
        int first = Math.min(n, buf.length - tail);
        src.get(buf, tail, first);
        if (n > first) src.get(buf, 0, n - first);
        size += n;
        return n;
    }

    /** Appends {@code len} bytes of {@code src} from its position without moving it. */
    int write(ByteBuffer src, int offset, int len) {
        var d = src.duplicate();
        d.position(d.position() + offset).limit(d.position() + len);
        return write(d);
    }

    /** Moves up to {@code dst.remaining()} bytes out; returns the count. */
    int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size);
        copy(0, dst, n);
        drop(n);
        return n;
    }

    /** Copies {@code n} bytes from {@code offset} into {@code dst}, leaving them held. */
    void copy(int offset, ByteBuffer dst, int n) {
        if (n == 0) return;
        int start = (head + offset) % buf.length;
        int first = Math.min(n, buf.length - start);
        dst.put(buf, start, first);
        if (n > first) dst.put(buf, 0, n - first);
    }

    void drop(int n) {
        if (n <= 0) return;
        head = (head + n) % Math.max(1, buf.length);
        size -= n;
        if (size == 0) head = 0;
    }

    /** Frees the memory (the connection is done). */
    void release() {
        buf = new byte[0];
        head = size = 0;
    }

    private void ensure(int need) {
        if (need <= buf.length) return;
        int n = Math.max(4096, buf.length);
        while (n < need) n *= 2;
        n = Math.min(n, Math.max(capacity, need));
        var nb = new byte[n];
        int first = Math.min(size, buf.length - head);
        if (size > 0) {
            System.arraycopy(buf, head, nb, 0, first);
            System.arraycopy(buf, 0, nb, first, size - first);
        }
        buf = nb;
        head = 0;
    }
}
