package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/** The response encoder alone: a response in, the exact bytes on the wire out. */
class ResponseEncoderTest {
    private static final byte[] DATE = "Date: Tue, 01 Dec 2026 08:06:56 GMT\r\n".getBytes(StandardCharsets.US_ASCII);

    private static String encode(Response r, String method, int minor, boolean close) {
        var out = new OutputQueue();
        ResponseEncoder.encode(r, method, minor, close, DATE, out);
        return new String(out.drain(), StandardCharsets.ISO_8859_1);
    }

    /**
     * The encoder tells the bodies apart with instanceof, not an exhaustive pattern switch (which
     * costs a generated class at the first answer under TCG), so the compiler no longer catches a
     * new kind of body: this does.
     */
    @Test
    void theEncoderKnowsEveryKindOfBody() {
        assertThat(Response.Body.class.getPermittedSubclasses())
                .as("a new kind of Response.Body needs its branch in ResponseEncoder.length and encode")
                .containsExactlyInAnyOrder(
                        Response.Body.Empty.class, Response.Body.Bytes.class, Response.Body.Kv.class);
    }

    @Test
    void aTextResponseWithItsLengthAndTheDate() {
        assertThat(encode(Response.ok("hello\n"), "GET", 1, false)).isEqualTo("""
                HTTP/1.1 200 OK\r
                Date: Tue, 01 Dec 2026 08:06:56 GMT\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Length: 6\r
                \r
                hello
                """);
    }

    @Test
    void theServerOwnsTheFramingFields() {
        var r = new Response(
                200,
                Headers.of(
                        "Content-Length",
                        "99",
                        "transfer-encoding",
                        "chunked",
                        "CONNECTION",
                        "upgrade",
                        "X-Kept",
                        "yes"),
                new Response.Body.Bytes("ok".getBytes(StandardCharsets.US_ASCII)));
        assertThat(encode(r, "GET", 1, true)).isEqualTo("""
                HTTP/1.1 200 OK\r
                Date: Tue, 01 Dec 2026 08:06:56 GMT\r
                X-Kept: yes\r
                Content-Length: 2\r
                Connection: close\r
                \r
                ok""");
    }

    @Test
    void http10KeepAliveIsSaidAndHeadHasNoBody() {
        assertThat(encode(Response.ok("hello\n"), "HEAD", 0, false)).isEqualTo("""
                HTTP/1.1 200 OK\r
                Date: Tue, 01 Dec 2026 08:06:56 GMT\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Length: 6\r
                Connection: keep-alive\r
                \r
                """);
    }

    @Test
    void noContentAndNotModifiedHaveNoLength() {
        assertThat(encode(Response.noContent(), "GET", 1, false)).isEqualTo("""
                HTTP/1.1 204 No Content\r
                Date: Tue, 01 Dec 2026 08:06:56 GMT\r
                \r
                """);
    }

    @Test
    void aClosingResponseMarksTheQueueAndAnErrorLingers() {
        var out = new OutputQueue();
        ResponseEncoder.encode(Response.ok("x"), "GET", 1, false, DATE, out);
        assertThat(out.ending()).isEqualTo(OutputQueue.Ending.STAY_OPEN);
        ResponseEncoder.encode(Response.ok("x"), "GET", 1, true, DATE, out);
        assertThat(out.ending()).isEqualTo(OutputQueue.Ending.CLOSE);
        ResponseEncoder.error(400, "bad", DATE, out);
        assertThat(out.ending()).isEqualTo(OutputQueue.Ending.LINGER);
        assertThat(new String(out.drain(), StandardCharsets.ISO_8859_1)).endsWith("""
                HTTP/1.1 400 Bad Request\r
                Date: Tue, 01 Dec 2026 08:06:56 GMT\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Length: 17\r
                Connection: close\r
                \r
                Bad Request: bad
                """);
    }

    @Test
    void aKvBodyIsASliceOfTheMappedPackNotAHeapCopy(@TempDir Path tmp) throws Exception {
        byte[] value = new byte[1 << 20];
        KvStore store = bigStore(tmp, value);
        var out = new OutputQueue(); // a channel that takes no file spans (Mirari's own stack, TLS)
        ResponseEncoder.encode(
                new Response(200, Headers.of(), new Response.Body.Kv(store, "big.bin", 0, value.length)),
                "GET",
                1,
                false,
                DATE,
                out);
        var sink = new Recorder();
        assertThat(out.writeTo(sink)).isTrue();
        var buffers = sink.taken;
        assertThat(buffers).hasSize(2);
        assertThat(buffers.get(1).isDirect())
                .as("the body is the mapping itself")
                .isTrue();
        byte[] sent = new byte[buffers.get(1).remaining()];
        buffers.get(1).get(sent);
        assertThat(sent).isEqualTo(value);
    }

    /** A store with one 1 MiB value {@code big.bin} of known bytes. */
    private static KvStore bigStore(Path tmp, byte[] value) throws Exception {
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31 + 7);
        }
        Files.createDirectories(tmp.resolve("files"));
        Files.write(tmp.resolve("files/big.bin"), value);
        KvPackWriter.pack(tmp.resolve("files"), tmp.resolve("s.kv"));
        return KvStore.open(tmp.resolve("s.kv"));
    }

    /** Takes every buffer whole and records each file transfer instead of sending it. */
    private static final class Recorder implements java.nio.channels.GatheringByteChannel {
        final java.io.ByteArrayOutputStream buffers = new java.io.ByteArrayOutputStream();
        /** Each buffer as it was handed over, sharing its bytes. */
        final java.util.List<ByteBuffer> taken = new java.util.ArrayList<>();

        final java.util.List<long[]> transfers = new java.util.ArrayList<>();
        final java.util.List<java.nio.channels.FileChannel> files = new java.util.ArrayList<>();

        OutputQueue queue(long fileMinBytes) {
            return new OutputQueue(
                    (file, position, count) -> {
                        files.add(file);
                        transfers.add(new long[] {position, count});
                        return count;
                    },
                    fileMinBytes);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += srcs[i].remaining();
                taken.add(srcs[i].duplicate());
                while (srcs[i].hasRemaining()) {
                    buffers.write(srcs[i].get());
                }
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void aLargeKvBodyIsASpanOfThePackFileThatTheKernelSends(@TempDir Path tmp) throws Exception {
        byte[] value = new byte[1 << 20];
        var store = (org.mirari.runtime.internal.kv.PackedKvStore) bigStore(tmp, value);
        long at = store.slot("big.bin").orElseThrow().offset();
        var rec = new Recorder();
        OutputQueue out = rec.queue(64 * 1024);
        ResponseEncoder.encode(
                new Response(200, Headers.of(), new Response.Body.Kv(store, "big.bin", 0, value.length)),
                "GET",
                1,
                false,
                DATE,
                out);
        assertThat(out.writeTo(rec)).isTrue();
        assertThat(rec.buffers.toString(StandardCharsets.ISO_8859_1))
                .as("the head alone goes as bytes")
                .isEqualTo("HTTP/1.1 200 OK\r\n" + new String(DATE, StandardCharsets.US_ASCII)
                        + "Content-Length: 1048576\r\n\r\n");
        assertThat(rec.transfers).containsExactly(new long[] {at, value.length});
        assertThat(rec.files).containsExactly(store.file());
        var sent = ByteBuffer.allocate(value.length);
        store.file().read(sent, at);
        assertThat(sent.array()).as("the span is the value's bytes in the pack").isEqualTo(value);
    }

    @Test
    void aRangeOfALargeValueIsASpanFromItsFirstByteAndASmallOneIsTheMapping(@TempDir Path tmp) throws Exception {
        byte[] value = new byte[1 << 20];
        var store = (org.mirari.runtime.internal.kv.PackedKvStore) bigStore(tmp, value);
        long at = store.slot("big.bin").orElseThrow().offset();
        var rec = new Recorder();
        OutputQueue out = rec.queue(64 * 1024);
        var big = new Response(206, Headers.of(), new Response.Body.Kv(store, "big.bin", 1000, 200_000));
        var small = new Response(206, Headers.of(), new Response.Body.Kv(store, "big.bin", 1000, 10));
        ResponseEncoder.encode(big, "GET", 1, false, DATE, out);
        ResponseEncoder.encode(small, "GET", 1, false, DATE, out);
        assertThat(out.writeTo(rec)).isTrue();
        assertThat(rec.transfers).containsExactly(new long[] {at + 1000, 200_000});
        assertThat(rec.buffers.toString(StandardCharsets.ISO_8859_1))
                .endsWith("Content-Length: 10\r\n\r\n" + new String(value, 1000, 10, StandardCharsets.ISO_8859_1));
    }

    @Test
    void headOfALargeValueSendsNoSpanAndTheDrainedBytesAreTheResponse(@TempDir Path tmp) throws Exception {
        byte[] value = new byte[1 << 20];
        KvStore store = bigStore(tmp, value);
        var rec = new Recorder();
        OutputQueue out = rec.queue(64 * 1024);
        var r = new Response(200, Headers.of(), new Response.Body.Kv(store, "big.bin", 0, value.length));
        ResponseEncoder.encode(r, "HEAD", 1, false, DATE, out);
        assertThat(out.writeTo(rec)).isTrue();
        assertThat(rec.transfers).isEmpty();
        assertThat(rec.buffers.toString(StandardCharsets.ISO_8859_1)).endsWith("Content-Length: 1048576\r\n\r\n");
        OutputQueue again = rec.queue(64 * 1024);
        ResponseEncoder.encode(r, "GET", 1, false, DATE, again);
        byte[] all = again.drain();
        assertThat(java.util.Arrays.copyOfRange(all, all.length - value.length, all.length))
                .isEqualTo(value);
    }
}
