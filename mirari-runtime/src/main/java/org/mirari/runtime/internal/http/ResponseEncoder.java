package org.mirari.runtime.internal.http;

import java.nio.charset.StandardCharsets;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.kv.PackedKvStore;

/**
 * Turns responses into the bytes of HTTP/1.1 (RFC 9112 §4-§6), bytes in and bytes out: no
 * channel, no clock (the {@code Date} line is given), no printing. A large KV body becomes a span
 * of the pack file when the queue takes one ({@link OutputQueue#takesFile}), else slices of the
 * mapping; either way no body byte is copied here. The server owns the framing
 * fields: an app's {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} are
 * dropped and the right ones written.
 */
final class ResponseEncoder {
    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    /** Byte bodies up to this size are copied next to their head, so one write carries both. */
    static final int INLINE_BODY = 16 * 1024;
    /** KV bodies go out in slices of at most this many bytes. */
    private static final long SLICE = 1L << 30;

    private ResponseEncoder() {}

    /**
     * Appends {@code r}, the answer to a request with method {@code method} in HTTP/1.{@code minor},
     * to {@code out}. With {@code close} the response says {@code Connection: close} and the queue
     * is marked to close after it. A KV body must name a key present in its store.
     */
    static void encode(Response r, String method, int minor, boolean close, byte[] dateLine, OutputQueue out) {
        int status = r.status();
        boolean bodyless = status < 200 || status == 204 || status == 304; // RFC 9110 §6.4.1
        long length = length(r.body());
        Staging s = out.staging;
        s.bytes(Reasons.statusLine(status)).bytes(dateLine);
        for (Headers.Field f : r.headers().fields()) {
            String name = f.name();
            if (isFraming(name)) {
                continue;
            }
            s.ascii(name).ascii(": ").ascii(f.value()).crlf();
        }
        if (!bodyless) {
            s.bytes(CONTENT_LENGTH).number(length).crlf();
        }
        if (close) {
            s.bytes(CLOSE);
            out.end(OutputQueue.Ending.CLOSE);
        } else if (minor == 0) {
            s.bytes(KEEP_ALIVE); // HTTP/1.0 persists only when told (RFC 9112 §9.3)
        }
        s.crlf();
        if (bodyless || length == 0 || method.equals("HEAD")) {
            return;
        }
        // instanceof, not a pattern switch over the sealed Body: see length
        if (r.body() instanceof Response.Body.Bytes b) {
            if (b.bytes().length <= INLINE_BODY) s.bytes(b.bytes());
            else out.add(java.nio.ByteBuffer.wrap(b.bytes()));
        } else if (r.body() instanceof Response.Body.Kv k) {
            if (out.takesFile(length) && k.store() instanceof PackedKvStore p) {
                // the kernel sends the pack's pages itself (sendfile), as nginx does
                out.addFile(p.file(), p.slot(k.key()).orElseThrow().offset() + k.offset(), length);
            } else {
                for (long off = 0; off < length; off += SLICE) {
                    out.add(k.store().read(k.key(), k.offset() + off, Math.min(SLICE, length - off)));
                }
            }
        } // Empty: no bytes
    }

    /**
     * The body's length. {@code instanceof} tests rather than a pattern {@code switch} over the
     * sealed {@link Response.Body}, here and in {@link #encode}: javac compiles such a switch to an
     * {@code invokedynamic} whose bootstrap ({@code SwitchBootstraps.typeSwitch}) generates a class
     * at its first run, which the AOT cache does not keep; under an emulator (TCG) the two switches
     * of this class cost about 140 ms of a VM's first answer. Body has three kinds, all handled.
     */
    private static long length(Response.Body body) {
        if (body instanceof Response.Body.Bytes b) return b.bytes().length;
        if (body instanceof Response.Body.Kv k)
            return Math.max(0, Math.min(k.length(), k.store().size(k.key()) - k.offset()));
        return 0; // Empty
    }

    /** Appends an error response whose text says what went wrong; the connection closes after it. */
    static void error(int status, String message, byte[] dateLine, OutputQueue out) {
        byte[] text = (Reasons.phrase(status) + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        out.staging
                .bytes(Reasons.statusLine(status))
                .bytes(dateLine)
                .ascii("Content-Type: text/plain; charset=utf-8\r\n")
                .bytes(CONTENT_LENGTH)
                .number(text.length)
                .crlf()
                .bytes(CLOSE)
                .crlf()
                .bytes(text);
        out.end(OutputQueue.Ending.LINGER);
    }

    /** The interim response that invites the body of an {@code Expect: 100-continue} request (RFC 9110 §10.1.1). */
    static void interimContinue(OutputQueue out) {
        out.staging.bytes(CONTINUE);
    }

    private static boolean isFraming(String name) {
        return switch (name.length()) {
            case 10 -> name.equalsIgnoreCase("Connection");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }
}
