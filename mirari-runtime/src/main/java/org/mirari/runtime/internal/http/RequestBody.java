package org.mirari.runtime.internal.http;

/**
 * The body of the request being read: a known length (RFC 9112 §6.2) or chunked (§7.1), copied
 * out of the input buffer as it arrives.
 */
sealed interface RequestBody {
    static RequestBody fixed(int length) {
        return new Fixed(new byte[length]);
    }

    static RequestBody chunked(long maxBody) {
        return new Chunked(new ChunkedDecoder(maxBody));
    }

    /** Takes body bytes from {@code b[from, to)}; returns how many it consumed. */
    int feed(byte[] b, int from, int to) throws HttpParseException;

    boolean done();

    /** The whole body, once {@link #done}. */
    byte[] bytes();

    final class Fixed implements RequestBody {
        private final byte[] bytes;
        private int read;

        Fixed(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int feed(byte[] b, int from, int to) {
            int n = Math.min(to - from, bytes.length - read);
            System.arraycopy(b, from, bytes, read, n);
            read += n;
            return n;
        }

        @Override
        public boolean done() {
            return read == bytes.length;
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }
    }

    final class Chunked implements RequestBody {
        private final ChunkedDecoder decoder;

        Chunked(ChunkedDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public int feed(byte[] b, int from, int to) throws HttpParseException {
            return decoder.feed(b, from, to);
        }

        @Override
        public boolean done() {
            return decoder.done();
        }

        @Override
        public byte[] bytes() {
            return decoder.body();
        }
    }
}
