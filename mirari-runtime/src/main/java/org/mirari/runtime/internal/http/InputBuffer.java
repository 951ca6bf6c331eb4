package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * A connection's received bytes: one reusable array, read into at {@link #end}, consumed from
 * {@link #start}. Requests are parsed in place; the array grows only as far as a request head may
 * need and compacts when the consumed prefix is in the way.
 */
final class InputBuffer {
    private static final int INITIAL = 4096;

    byte[] bytes = new byte[INITIAL];
    private ByteBuffer view = ByteBuffer.wrap(bytes);
    /** First unconsumed byte. */
    int start;
    /** One past the last received byte. */
    int end;
    /** How far the search for the end of the current head got (so it is not rescanned). */
    int scanned;
    /** The client shut its output side: no more bytes will come. */
    boolean eof;

    boolean isEmpty() {
        return start == end;
    }

    int available() {
        return end - start;
    }

    /**
     * Ensures free space after {@link #end}: rewinds when everything is consumed, compacts, then
     * grows up to {@code limit} bytes if {@code mayGrow}. False when there is no room.
     */
    boolean makeRoom(int limit, boolean mayGrow) {
        if (start == end) {
            start = end = scanned = 0;
        }
        if (end < bytes.length) {
            return true;
        }
        if (start > 0) {
            System.arraycopy(bytes, start, bytes, 0, end - start);
            end -= start;
            scanned -= start;
            start = 0;
            return true;
        }
        int max = Math.max(limit, INITIAL);
        if (bytes.length >= max || !mayGrow) {
            return false;
        }
        bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 2, max));
        view = ByteBuffer.wrap(bytes);
        return true;
    }

    /** Reads what the channel has into the free space; the count, or -1 at end of stream (then {@link #eof}). */
    int readFrom(ReadableByteChannel channel) throws IOException {
        view.limit(bytes.length).position(end);
        int n = channel.read(view);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
        return n;
    }

    /** Reads and drops whatever the channel has (while lingering); -1 at end of stream. */
    int discardFrom(ReadableByteChannel channel) throws IOException {
        start = end = scanned = 0;
        view.clear();
        return channel.read(view);
    }
}
