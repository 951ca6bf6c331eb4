package org.mirari.runtime.internal.http;

import java.util.Arrays;

/**
 * Decodes a chunked request body (RFC 9112 §7.1) incrementally: feed it bytes as they arrive;
 * it consumes up to the end of the body and no further, so pipelined requests stay in the
 * buffer. Chunk extensions and trailer fields are read and dropped.
 */
public final class ChunkedDecoder {
    private enum State {
        SIZE,
        EXTENSION,
        SIZE_LF,
        DATA,
        DATA_CR,
        DATA_LF,
        TRAILER_START,
        TRAILER,
        TRAILER_LF,
        DONE
    }

    private static final int MAX_LINE = 4096;

    private final long maxBody;
    private State state = State.SIZE;
    private long chunkLeft;
    private int sizeDigits;
    private int lineBytes;
    private byte[] body = new byte[256];
    private int bodyLength;

    public ChunkedDecoder(long maxBody) {
        this.maxBody = maxBody;
    }

    public boolean done() {
        return state == State.DONE;
    }

    /** The decoded body; valid once {@link #done()}. */
    public byte[] body() {
        return Arrays.copyOf(body, bodyLength);
    }

    /** Consumes bytes of {@code b[from, to)}; returns how many were consumed. */
    public int feed(byte[] b, int from, int to) throws HttpParseException {
        int p = from;
        while (p < to && state != State.DONE) {
            byte c = b[p];
            switch (state) {
                case SIZE -> {
                    int digit = Character.digit(c, 16);
                    if (digit >= 0) {
                        if (++sizeDigits > 15) {
                            throw new HttpParseException(400, "chunk size too long");
                        }
                        chunkLeft = chunkLeft * 16 + digit;
                        p++;
                    } else if (sizeDigits == 0) {
                        throw new HttpParseException(400, "malformed chunk size");
                    } else if (c == ';' || c == ' ' || c == '\t') {
                        state = State.EXTENSION;
                        lineBytes = 0;
                    } else if (c == '\r') {
                        state = State.SIZE_LF;
                        p++;
                    } else if (c == '\n') {
                        state = State.SIZE_LF;
                    } else {
                        throw new HttpParseException(400, "malformed chunk size");
                    }
                }
                case EXTENSION -> {
                    if (c == '\r' || c == '\n') {
                        state = State.SIZE_LF;
                        if (c == '\r') {
                            p++;
                        }
                    } else if (++lineBytes > MAX_LINE) {
                        throw new HttpParseException(400, "chunk extension too long");
                    } else {
                        p++;
                    }
                }
                case SIZE_LF -> {
                    if (c != '\n') {
                        throw new HttpParseException(400, "malformed chunk line ending");
                    }
                    p++;
                    if (chunkLeft == 0) {
                        state = State.TRAILER_START;
                    } else {
                        if (bodyLength + chunkLeft > maxBody) {
                            throw new HttpParseException(413, "request body larger than " + maxBody + " bytes");
                        }
                        state = State.DATA;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(chunkLeft, to - p);
                    append(b, p, n);
                    p += n;
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    if (c == '\r') {
                        p++;
                    } else if (c != '\n') {
                        throw new HttpParseException(400, "chunk data longer than its size");
                    }
                    state = State.DATA_LF;
                }
                case DATA_LF -> {
                    if (c != '\n') {
                        throw new HttpParseException(400, "malformed chunk line ending");
                    }
                    p++;
                    state = State.SIZE;
                    sizeDigits = 0;
                }
                case TRAILER_START -> {
                    // An empty line ends the body; anything else is a trailer field to skip.
                    if (c == '\r') {
                        p++;
                        state = State.TRAILER_LF;
                    } else if (c == '\n') {
                        p++;
                        state = State.DONE;
                    } else {
                        state = State.TRAILER;
                        lineBytes = 0;
                    }
                }
                case TRAILER -> {
                    p++;
                    if (c == '\n') {
                        state = State.TRAILER_START;
                    } else if (++lineBytes > MAX_LINE) {
                        throw new HttpParseException(431, "trailer field too long");
                    }
                }
                case TRAILER_LF -> {
                    if (c != '\n') {
                        throw new HttpParseException(400, "malformed end of chunked body");
                    }
                    p++;
                    state = State.DONE;
                }
                case DONE -> throw new IllegalStateException("unreachable");
            }
        }
        return p - from;
    }

    private void append(byte[] b, int off, int n) {
        if (bodyLength + n > body.length) {
            body = Arrays.copyOf(
                    body, (int) Math.min(Math.max(body.length * 2L, bodyLength + (long) n), Integer.MAX_VALUE - 8));
        }
        System.arraycopy(b, off, body, bodyLength, n);
        bodyLength += n;
    }
}
